/**
 * A phase configured with `approval: true`: a non-interactive promote without --approve is bad
 * input (exit 2) and applies nothing; with --approve "<reason>" it proceeds and the ledger records
 * the approval (who, when, reason, plan hash) before the apply.
 */
import { rmSync } from 'node:fs';
import type { Environment } from '../../model/types.js';
import { exitCodeOf } from '../../core/errors.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { promote } from '../../rollout/flows/promote.js';
import { Session } from '../../rollout/flows/session.js';
import { AS_OF, sandboxEnvironment } from '../helpers/sandbox-fixture.js';
import { engineStack, freshHome, ledger, state } from '../helpers/cli.js';

let home: string;
let env: Environment;
beforeAll(async () => {
  const base = await sandboxEnvironment();
  env = { ...base, phases: { ...base.phases, pilot: { ...base.phases.pilot, approval: true } } };
});
beforeEach(() => {
  home = freshHome();
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  delete process.env.ROLLOUT_HOME;
});

async function promotePilot(approve?: string) {
  const s = await Session.open(parseFlags({ env: env.name, asOf: AS_OF, yes: true, json: true, approve }), { lock: 'promote pilot', env });
  try {
    return await promote(s, 'pilot', { progress: silentProgress });
  } finally {
    await s.close();
  }
}

test('without --approve: exit 2 naming the flag, nothing applied; with it: promoted and the approval is in the ledger', async () => {
  const refused = await promotePilot().catch((e: unknown) => e);
  expect(exitCodeOf(refused)).toBe(2);
  expect((refused as Error).message).toMatch(/phase pilot requires approval: re-run with --approve "<reason>".*nothing was applied/);
  expect(engineStack('pilot')).toBeUndefined();
  expect((await state()).phases.pilot?.status ?? 'not-started').toBe('not-started');
  expect((await ledger()).filter((e) => e.kind === 'apply')).toEqual([]);

  const r = await promotePilot('CHG-4711 reviewed by security');
  expect(r).toMatchObject({ ok: true, outcome: 'promoted', phase: 'pilot' });
  expect(r.gates.map((g) => `${g.gate}:${g.status}`)).toEqual([
    'approval:passed',
    'preflight:passed',
    'propagation:passed',
    'smoke:passed',
    'effective-policy:passed',
    'bake:passed',
  ]);
  const entries = (await ledger()).filter((e) => e.attemptId === r.attemptId);
  const approval = entries.findIndex((e) => e.kind === 'approval');
  const firstApply = entries.findIndex((e) => e.kind === 'apply');
  expect(approval).toBeGreaterThanOrEqual(0);
  expect(approval).toBeLessThan(firstApply); // approved before anything changed
  expect(entries[approval]).toMatchObject({
    status: 'passed',
    summary: 'approved: CHG-4711 reviewed by security',
    who: expect.any(String),
    at: expect.any(String),
    planHash: expect.any(String),
  });
}, 120_000);
