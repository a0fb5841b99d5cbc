import { sandboxEnvironment } from '../../helpers/sandbox-fixture.js';
import type { Environment } from '../../../model/types.js';
import { buildPlanReport } from '../../../rollout/report/report.js';
import { effectiveDiff } from '../../../rollout/report/effective-diff.js';
import { emptyState } from '../../../rollout/state/store.js';
import type { EnginePlan } from '../../../rollout/state/contracts.js';
import { renderPlanTerminal } from '../../../rollout/ui/terminal-report.js';
import { colorEnabled, fitTable, terminalStyleFor, visibleWidth, wrap } from '../../../rollout/ui/terminal.js';

const AS_OF = new Date('2026-11-25T12:00:00Z');
let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});

const plans: EnginePlan[] = [
  {
    stack: 'guardrails',
    planHash: 'e'.repeat(64),
    changes: [
      { address: 'aws_bedrock_guardrail_version.release_baseline_2026_11_1_us_east_1', type: 'v', action: 'forget' },
      { address: 'aws_organizations_policy.gone', type: 'p', action: 'delete' },
      { address: 'aws_organizations_policy.new', type: 'p', action: 'create' },
    ],
  },
];

function report() {
  const state = emptyState('sandbox');
  return buildPlanReport({
    env,
    phase: 'enterprise',
    release: env.currentRelease,
    currentRelease: null,
    asOf: AS_OF,
    engine: 'sandbox',
    state,
    plans,
    effective: effectiveDiff(env, state, {}, { enterprise: env.currentRelease }, AS_OF),
  });
}

test.each([60, 80, 120])('fits %i columns, no markdown syntax, no colour codes when colour is off', (width) => {
  const text = renderPlanTerminal(report(), { color: false, width });
  for (const line of text.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  expect(text).not.toMatch(/\|---|^#+ |\*\*|<details>/m);
  expect(text).not.toContain('\u001b[');
  // Wrapped lines joined: the content is the same at every width.
  const flat = text.replace(/\s+/g, ' ');
  expect(flat).toContain('1 to add · 1 to destroy · 1 to forget (kept in AWS)');
  expect(flat).toMatch(/⚠ 1 resource\(s\) will be replaced or destroyed: aws_organizations_policy\.gone/);
});

test('colours: red for destroy, yellow for forget, green for create', () => {
  const text = renderPlanTerminal(report(), { color: true, width: 100 });
  expect(text).toContain('\u001b[31m1 to destroy\u001b[39m');
  expect(text).toContain('\u001b[33m1 to forget (kept in AWS)\u001b[39m');
  expect(text).toContain('\u001b[32m1 to add\u001b[39m');
  expect(text).toContain(`\u001b[31m${'delete'.padEnd(20)}\u001b[39m  aws_organizations_policy.gone`);
});

test('NO_COLOR and FORCE_COLOR decide colour before the TTY does', () => {
  expect(colorEnabled({ isTTY: true }, {})).toBe(true);
  expect(colorEnabled({ isTTY: false }, {})).toBe(false);
  expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  expect(terminalStyleFor({ isTTY: true }, {}).width).toBe(100);
  expect(terminalStyleFor({ isTTY: true, columns: 0 }, { COLUMNS: '72' }).width).toBe(72);
});

test('tables shrink prose columns first and wrap, never exceeding the width', () => {
  const t = fitTable({ color: false, width: 40 }, ['id', 'what'], [['EXC-2026-001', 'a long explanation '.repeat(5)]]);
  const lines = t.split('\n');
  for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(40);
  expect(lines[2].startsWith('EXC-2026-001  a long')).toBe(true);
  expect(wrap('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
});

test('the terminal report lists what changes for the guardrail, weakening first, and says promote needs --accept-weakening', () => {
  const r = {
    ...report(),
    guardrailDiffBasis: 'in-force' as const,
    guardrailDiff: [
      { path: 'description', before: 'a', after: 'b', effect: 'neutral' as const, summary: 'description changed' },
      { path: 'topics.Weapons', before: null, after: {}, effect: 'strengthens' as const, summary: 'denied topic Weapons added' },
      {
        path: 'piiEntities.PASSWORD',
        before: {},
        after: null,
        effect: 'weakens' as const,
        summary: 'PII entity PASSWORD removed (was BLOCK)',
      },
    ],
  };
  r.weakening = r.guardrailDiff.filter((i) => i.effect === 'weakens');
  const text = renderPlanTerminal(r, terminalStyleFor({ isTTY: true, columns: 100 }, { NO_COLOR: '1' }));
  const section = text.slice(text.indexOf('What changes for the guardrail'));
  expect(section.split('\n').filter((l) => /weakens|strengthens|neutral|accept-weakening/.test(l))).toEqual([
    '⚠ weakens: PII entity PASSWORD removed (was BLOCK)',
    'strengthens: denied topic Weapons added',
    'neutral: description changed',
    'promote needs --accept-weakening "<reason>" for the 1 weakening change(s)',
  ]);
});
