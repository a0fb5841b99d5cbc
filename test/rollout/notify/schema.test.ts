/** `notifications` in the environment file: defaults, and bad input naming file and path (exit 2). */
import { InputError } from '../../../core/errors.js';
import { loadError, loadMutated } from '../../helpers/environment.js';

const sink = { name: 'platform-slack', type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz' };

describe('notifications', () => {
  test('absent: no notifications', async () => {
    const env = await loadMutated(() => undefined);
    expect(env.notifications).toBeUndefined();
  });

  test('defaults: every event, 5 s budget, 3 retries, 14 days', async () => {
    const env = await loadMutated((d) => {
      d.set('notifications', { sinks: [sink, { name: 'audit', type: 'webhook', url: '${env:AUDIT_HOOK}', events: ['rolled-back'] }] });
    });
    expect(env.notifications).toEqual({
      sinks: [
        {
          ...sink,
          events: ['promotion-started', 'promotion-passed', 'promotion-halted', 'rolled-back', 'gate-failed', 'exceptions-expiring'],
        },
        { name: 'audit', type: 'webhook', url: '${env:AUDIT_HOOK}', events: ['rolled-back'] },
      ],
      timeoutSeconds: 5,
      retries: 3,
      exceptionsExpiringWithinDays: 14,
    });
    const empty = await loadMutated((d) => {
      d.set('notifications', {});
    });
    expect(empty.notifications).toEqual({ sinks: [], timeoutSeconds: 5, retries: 3, exceptionsExpiringWithinDays: 14 });
  });

  test.each([
    [{ sinks: [{ ...sink, url: 'ftp://x' }] }, 'notifications.sinks[0].url', /^expected an http\(s\) URL, got "ftp:\/\/x"/],
    [{ sinks: [{ ...sink, url: 'hooks.slack.com/services/T0' }] }, 'notifications.sinks[0].url', /expected an http\(s\) URL/],
    [{ sinks: [{ ...sink, url: '${env:lower-case}' }] }, 'notifications.sinks[0].url', /or "\$\{env:VAR\}"/],
    [{ sinks: [{ ...sink, type: 'teams' }] }, 'notifications.sinks[0].type', /expected "slack" or "webhook", got "teams"/],
    [
      { sinks: [{ ...sink, events: ['promotion-halted', 'halted'] }] },
      'notifications.sinks[0].events[1]',
      /expected one of promotion-started, .*got "halted"/,
    ],
    [{ sinks: [{ ...sink, events: [] }] }, 'notifications.sinks[0].events', /at least one event/],
    [
      { sinks: [sink, { ...sink, type: 'webhook' }] },
      'notifications.sinks[1].name',
      /expected unique sink names; "platform-slack" is also sinks\[0\]/,
    ],
    [{ sinks: [{ ...sink, name: 'Platform Slack' }] }, 'notifications.sinks[0].name', /lower-case letters, digits and "-"/],
    [{ sinks: [{ ...sink, channel: '#ops' }] }, 'notifications.sinks[0]', /unknown key "channel"/],
    [{ timeoutSeconds: 0 }, 'notifications.timeoutSeconds', /expected seconds > 0/],
    [{ retries: 1.5 }, 'notifications.retries', /whole number/],
    [{ exceptionsExpiringWithinDays: -1 }, 'notifications.exceptionsExpiringWithinDays', /days ≥ 0/],
  ])('%j is bad input at %s', async (value, path, message) => {
    const err = await loadError((d) => {
      d.set('notifications', value);
    });
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(2);
    expect(err.file).toMatch(/environment\.yaml$/);
    expect(err.path).toBe(path);
    expect(err.expected).toMatch(message);
  });

  test('a rejected URL with a path is shown without it (webhook paths carry tokens)', async () => {
    const err = await loadError((d) => {
      d.set('notifications', { sinks: [{ ...sink, url: 'htps://hooks.slack.com/services/T0/B0/s3cr3t' }] });
    });
    expect(err.path).toBe('notifications.sinks[0].url');
    expect(err.expected).not.toContain('s3cr3t');
    expect(err.expected).toContain('"htps://hooks.slack.com/…"');
  });
});
