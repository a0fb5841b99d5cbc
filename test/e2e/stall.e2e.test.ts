/**
 * A call that never answers during the phase apply (issue 10 item 7): the per-attempt timeout
 * really aborts, the bounded attempts run out, the promotion fails (exit 3) instead of hanging,
 * the lock is released, and the next run resumes the attempt and completes it.
 */
import type { Environment } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { promote } from '../../rollout/flows/promote.js';
import { Session } from '../../rollout/flows/session.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

test('a never-answering call at apply time fails the promote within its attempts; the lock is free and the next run resumes', async () => {
  const saved = { t: process.env.ROLLOUT_CALL_TIMEOUT_MS, a: process.env.ROLLOUT_MAX_ATTEMPTS };
  process.env.ROLLOUT_CALL_TIMEOUT_MS = '300';
  process.env.ROLLOUT_MAX_ATTEMPTS = '2';
  try {
    const flags = parseFlags({ env: 'sandbox', release: R2, asOf: AS_OF, yes: true, json: true });
    const s = await Session.open(flags, {
      lock: 'promote pilot',
      env,
      // The account-level enforced configuration is never answered: the pilot apply's one write.
      target: { sandbox: { faults: { PutEnforcedGuardrailConfiguration: { stallRate: 1 } } } },
    });
    try {
      await expect(promote(s, 'pilot', { progress: silentProgress })).rejects.toMatchObject({ exitCode: 3 });
    } finally {
      await s.close();
    }
    expect((await state()).phases.pilot?.status).toBe('applying');
  } finally {
    for (const [k, v] of [
      ['ROLLOUT_CALL_TIMEOUT_MS', saved.t],
      ['ROLLOUT_MAX_ATTEMPTS', saved.a],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  // The lock was released (this would exit 2 otherwise) and the attempt is resumed and completed.
  const attemptId = (await state()).phases.pilot!.attemptId;
  const r = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: true, outcome: 'promoted', attemptId });
}, 120_000);
