/**
 * `rollout rollback <phase> --to <unit>` and promoting an older unit forward (issue 15 item 4), on
 * the sandbox in-process with real SDK calls: the phase returns to any unit of its history with
 * exactly that unit's kept stack; unknown or ambiguous targets exit 2 changing nothing; an older
 * unit goes forward only with --to-older, recorded in the ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment, Phase } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { statusView } from '../../rollout/cli/views/status.js';
import { promote, type RolloutResult } from '../../rollout/flows/promote.js';
import { rollBack } from '../../rollout/flows/rollback.js';
import { Session } from '../../rollout/flows/session.js';
import type { EnginePlan } from '../../rollout/state/contracts.js';
import { envPaths } from '../../rollout/state/paths.js';
import { stackHashOf } from '../../rollout/state/stack-store.js';
import type { UnitRecord } from '../../rollout/state/store.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { engineStack, ledger, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R1, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
/** R2 with one more excluded model: a settings-only unit of the same release (it weakens: acknowledged). */
let envC: Environment;
const MODEL = 'amazon.titan-image-generator-v2:0';
const WEAKENING = 'image generation is not text-guarded';
beforeAll(async () => {
  env = await sandboxEnvironment();
  envC = {
    ...env,
    enforcement: { ...env.enforcement, models: { ...env.enforcement.models, excluded: [...env.enforcement.models.excluded, MODEL] } },
  };
});
useFreshHome();

interface Run {
  env: Environment;
  release?: string;
  to?: string;
  toOlder?: string;
  acceptWeakening?: string;
  /** rollback: sees the plan and the target before anything changes (the CLI's question). */
  confirmPlans?: (plans: EnginePlan[], to: string) => Promise<boolean>;
}

async function run(verb: 'promote' | 'rollback', phase: Phase, o: Run): Promise<RolloutResult> {
  const flags = parseFlags({
    env: o.env.name,
    release: o.release,
    asOf: AS_OF,
    to: o.to,
    toOlder: o.toOlder,
    acceptWeakening: o.acceptWeakening,
    yes: true,
    json: true,
  });
  const s = await Session.open(flags, { lock: `${verb} ${phase}`, env: o.env });
  try {
    if (verb === 'promote') return await promote(s, phase, { progress: silentProgress });
    return await rollBack(s, phase, { progress: silentProgress, ...(o.confirmPlans ? { confirmPlans: o.confirmPlans } : {}) });
  } finally {
    await s.close();
  }
}

async function promoted(phase: Phase, o: Run): Promise<UnitRecord> {
  const r = await run('promote', phase, o);
  if (!r.ok) throw new Error(`${phase}: ${r.message}`);
  return (await state()).phases[phase]!.unit!;
}

/** What the sandbox engine applied for a phase: type, account, region and arguments per resource. */
function deployed(phase: Phase): unknown {
  const res = (engineStack(phase) ?? {}) as Record<string, { type: string; account: string; region: string; args: unknown }>;
  return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { type: v.type, account: v.account, region: v.region, args: v.args }]));
}

/** Everything a refused command must leave as it was: state, ledger, what is deployed. */
async function untouched() {
  const paths = envPaths('sandbox');
  return { state: readFileSync(paths.state, 'utf8'), ledger: (await ledger()).length, pilot: deployed('pilot') };
}

/** Pilot takes A (R1), B (R2) and C (R2 with another excluded model), each passing its gates. */
async function threeUnitsOnPilot() {
  const A = await promoted('pilot', { env, release: R1 });
  const deployedA = deployed('pilot');
  const B = await promoted('pilot', { env, release: R2 });
  const C = await promoted('pilot', { env: envC, release: R2, acceptWeakening: WEAKENING });
  expect(new Set([A.hash, B.hash, C.hash]).size).toBe(3);
  expect(new Set([A.stackHash, B.stackHash, C.stackHash]).size).toBe(3);
  return { A, B, C, deployedA };
}

test('rollback --to an older unit re-applies exactly its kept stack, re-verifies it, and status and ledger show it', async () => {
  const { A, B, C, deployedA } = await threeUnitsOnPilot();
  expect((await state()).phases.pilot!.history!.map((h) => [h.unit.hash, h.how])).toEqual([
    [A.hash, 'promoted'],
    [B.hash, 'promoted'],
    [C.hash, 'promoted'],
  ]);
  expect(deployed('pilot')).not.toEqual(deployedA);

  // The environment file now describes C: the rollback must not re-synthesize from it.
  let asked: { to: string; stacks: string[] } | undefined;
  const r = await run('rollback', 'pilot', {
    env: envC,
    to: A.label,
    confirmPlans: async (plans, to) => {
      asked = { to, stacks: plans.map((p) => p.stack) };
      return true;
    },
  });
  expect(asked).toEqual({ to: A.label, stacks: ['pilot'] });
  expect(r).toMatchObject({
    ok: true,
    exitCode: 0,
    outcome: 'rolled-back',
    release: R1,
    unit: { label: A.label, hash: A.hash },
    rollback: { to: R1, toUnit: A.label, status: 'rolled-back' },
  });
  expect(r.message).toBe(`pilot rolled back from ${C.label} to ${A.label}; effective policy re-verified`);

  // Byte for byte: the stack applied is the file kept for A, whose content is A's stack hash ...
  const paths = envPaths('sandbox');
  const applied = readFileSync(join(paths.synthOut, 'stacks', 'pilot', 'cdk.tf.json'), 'utf8');
  const kept = readFileSync(join(paths.keptStacks, `${A.stackHash}.json`), 'utf8');
  expect(applied).toBe(kept);
  expect(stackHashOf(JSON.parse(applied))).toBe(A.stackHash);
  // ... and what the engine has deployed is what it deployed for A.
  expect(deployed('pilot')).toEqual(deployedA);

  const st = await state();
  expect(st.phases.pilot).toMatchObject({ release: R1, status: 'rolled-back', unit: { hash: A.hash, stackHash: A.stackHash } });
  expect(st.phases.pilot!.rollbackGates!.map((g) => [g.gate, g.status])).toEqual([
    ['propagation', 'passed'],
    ['effective-policy', 'passed'],
  ]);
  expect(st.phases.pilot!.history!.at(-1)).toMatchObject({ unit: { hash: A.hash }, how: 'rolled-back-to', attemptId: r.attemptId });
  const view = statusView(envC, st, new Date()).phases.find((p) => p.phase === 'pilot')!;
  expect(view).toMatchObject({ release: R1, status: 'rolled-back', unit: { label: A.label, hash: A.hash } });

  const rollbacks = (await ledger()).filter((e) => e.kind === 'rollback');
  expect(rollbacks.at(-1)).toMatchObject({ phase: 'pilot', release: R1, unit: A.hash, attemptId: r.attemptId });
  expect(rollbacks.at(-1)!.summary).toContain(`--to ${A.label}`);
  expect(rollbacks.at(-1)!.summary).toContain(`was ${C.label}`);

  // Holding it already: nothing to do. Then forward again to B by a hash prefix.
  expect(await run('rollback', 'pilot', { env: envC, to: A.label })).toMatchObject({ ok: true, outcome: 'no-op' });
  const toB = await run('rollback', 'pilot', { env: envC, to: B.hash.slice(0, 10) });
  expect(toB).toMatchObject({ ok: true, outcome: 'rolled-back', unit: { hash: B.hash } });
  expect(readFileSync(join(paths.synthOut, 'stacks', 'pilot', 'cdk.tf.json'), 'utf8')).toBe(
    readFileSync(join(paths.keptStacks, `${B.stackHash}.json`), 'utf8'),
  );
}, 240_000);

test('rollback --to a unit not in the history, an ambiguous release, or a declined plan exits 2 and changes nothing', async () => {
  const { A, B, C } = await threeUnitsOnPilot();
  const before = await untouched();

  const unknown = run('rollback', 'pilot', { env: envC, to: 'baseline@2026.10.9' });
  await expect(unknown).rejects.toMatchObject({ exitCode: 2 });
  const msg = ((await unknown.catch((e: Error) => e)) as Error).message;
  expect(msg).toMatch(/--to baseline@2026\.10\.9: not a unit pilot held; its history \(newest first\):/);
  // Newest first, every unit the history holds, and nothing happened.
  expect([C, B, A].map((u) => msg.indexOf(u.label))).toEqual([...[C, B, A].map((u) => msg.indexOf(u.label))].sort((x, y) => x - y));
  for (const u of [A, B, C]) expect(msg).toContain(u.label);
  expect(msg).toMatch(/nothing was rolled back/);
  expect(await untouched()).toEqual(before);

  // R2 is B and C: ambiguous, both listed.
  const ambiguous = run('rollback', 'pilot', { env: envC, to: R2 });
  await expect(ambiguous).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(/2 units of pilot's history match this release/),
  });
  const amb = ((await ambiguous.catch((e: Error) => e)) as Error).message;
  expect(amb).toContain(B.label);
  expect(amb).toContain(C.label);
  expect(amb).not.toContain(A.label);
  expect(await untouched()).toEqual(before);

  // A release with one unit resolves; declining its plan changes nothing either.
  const declined = run('rollback', 'pilot', { env: envC, to: R1, confirmPlans: async (_plans, to) => to !== A.label });
  await expect(declined).rejects.toMatchObject({ exitCode: 2, message: 'cancelled: nothing was rolled back' });
  expect(await untouched()).toEqual(before);
}, 240_000);

test('an older unit goes forward only with --to-older, recorded in the ledger; re-gating a rolled-back phase needs no flag', async () => {
  const A = await promoted('pilot', { env, release: R1 });
  await promoted('model-rules', { env, release: R1 });
  const B = await promoted('pilot', { env, release: R2 });
  await promoted('model-rules', { env, release: R2 });

  // Pilot back to A, then its gates re-run on A (the unit it holds: no step back, no flag).
  await run('rollback', 'pilot', { env, to: R1 });
  const regated = await run('promote', 'pilot', { env, release: R1 });
  expect(regated).toMatchObject({ ok: true, outcome: 'promoted', unit: { hash: A.hash } });
  expect((await state()).phases.pilot).toMatchObject({ status: 'passed', unit: { hash: A.hash } });

  // model-rules holds B, which is newer than A: taking A is deliberate.
  const before = { state: readFileSync(envPaths('sandbox').state, 'utf8'), ledger: (await ledger()).length, mr: deployed('model-rules') };
  await expect(run('promote', 'model-rules', { env, release: R1 })).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(
      new RegExp(
        `^older unit: ${A.label.replace(/[.#]/g, '\\$&')} \\(first held .*\\) is older than ${B.label.replace(/[.#]/g, '\\$&')}, which model-rules holds now\\..*--to-older "<reason>"`,
      ),
    ),
  });
  // --to-older does not stand in for --accept-weakening: R1 enforces less than R2.
  await expect(run('promote', 'model-rules', { env, release: R1, toOlder: 'R2 blocks the claims workflow' })).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(/weakens what model-rules enforces now/),
  });
  expect({ state: readFileSync(envPaths('sandbox').state, 'utf8'), ledger: (await ledger()).length, mr: deployed('model-rules') }).toEqual(
    before,
  );

  const r = await run('promote', 'model-rules', {
    env,
    release: R1,
    toOlder: 'R2 blocks the claims workflow',
    acceptWeakening: 'back to R1',
  });
  expect(r).toMatchObject({ ok: true, outcome: 'promoted', unit: { hash: A.hash } });
  const mr = (await state()).phases['model-rules']!;
  expect(mr).toMatchObject({ status: 'passed', unit: { hash: A.hash }, previousUnit: { hash: B.hash } });
  expect(mr.history!.map((h) => [h.unit.hash, h.how])).toEqual([
    [A.hash, 'promoted'],
    [B.hash, 'promoted'],
    [A.hash, 'promoted'],
  ]);
  const accepted = (await ledger()).filter((e) => e.kind === 'to-older-accepted');
  expect(accepted).toHaveLength(1);
  expect(accepted[0]).toMatchObject({
    phase: 'model-rules',
    unit: A.hash,
    attemptId: r.attemptId,
    summary: 'R2 blocks the claims workflow',
    detail: { from: B.label, to: A.label, reason: 'R2 blocks the claims workflow' },
  });
}, 300_000);
