/** phases.<phase>.analysis: defaults filled in; bad conditions are exit 2 naming file, path and expectation. */
import { InputError } from '../../core/errors.js';
import { loadError, loadMutated } from '../helpers/environment.js';

describe('phases.<phase>.analysis', () => {
  test('absent unless given; a minimal analysis gets every default', async () => {
    const none = await loadMutated((d) => {
      d.deleteIn(['phases', 'ou', 'analysis']);
    });
    expect(none.phases.ou.analysis).toBeUndefined();
    const env = await loadMutated((d) => {
      d.setIn(['phases', 'pilot', 'analysis'], { conditions: [{ metric: 'intervention-rate' }, { metric: 'client-errors', max: 5 }] });
    });
    expect(env.phases.pilot.analysis).toEqual({
      intervalSeconds: 60,
      minInvocations: 20,
      belowMinInvocations: 'inconclusive',
      metricsAccount: 'evaluating',
      conditions: [
        { metric: 'intervention-rate', baselineFactor: 1.5, baselinePoints: 2, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
        { metric: 'client-errors', max: 5, baselineFactor: 1.5, baselinePoints: 2, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
      ],
    });
  });

  test.each([
    [{ conditions: [] }, 'phases.pilot.analysis.conditions', /at least one condition/],
    [
      { conditions: [{ metric: 'error-rate' }] },
      'phases.pilot.analysis.conditions[0].metric',
      /one of "intervention-rate", "client-errors"/,
    ],
    [{ conditions: [{ metric: 'latency-p99' }] }, 'phases.pilot.analysis.conditions[0].max', /expected max/],
    [{ conditions: [{ metric: 'intervention-rate', max: 150 }] }, 'phases.pilot.analysis.conditions[0].max', /at most 100, got 150/],
    [{ conditions: [{ metric: 'client-errors', max: -1 }] }, 'phases.pilot.analysis.conditions[0].max', /≥ 0/],
    [
      { conditions: [{ metric: 'throttles', max: 1, failureLimit: 1.5 }] },
      'phases.pilot.analysis.conditions[0].failureLimit',
      /whole number/,
    ],
    [
      { interval: 45, conditions: [{ metric: 'intervention-rate' }] },
      'phases.pilot.analysis.interval',
      /1, 5, 10, 20, 30 or a multiple of 60.*got number 45/,
    ],
    [
      { metricsAccount: 'pilot', conditions: [{ metric: 'intervention-rate' }] },
      'phases.pilot.analysis.metricsAccount',
      /"evaluating", "management" or a 12-digit/,
    ],
    [
      { belowMinInvocations: 'pass', conditions: [{ metric: 'intervention-rate' }] },
      'phases.pilot.analysis.belowMinInvocations',
      /"pass-with-warning"/,
    ],
    [
      { conditions: [{ metric: 'intervention-rate' }, { metric: 'intervention-rate' }] },
      'phases.pilot.analysis.conditions[1].metric',
      /listed twice/,
    ],
    [{ conditions: [{ metric: 'intervention-rate', threshold: 3 }] }, 'phases.pilot.analysis.conditions[0]', /threshold/],
  ])('%j is bad input at %s', async (value, path, message) => {
    const err = await loadError((d) => {
      d.setIn(['phases', 'pilot', 'analysis'], value);
    });
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.file).toMatch(/environment\.yaml$/);
    expect(err.path).toBe(path);
    expect(err.expected).toMatch(message);
  });
});
