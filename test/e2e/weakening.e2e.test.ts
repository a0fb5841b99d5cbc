/**
 * Weakening changes end to end on the sandbox (docs/rollout.md, "Weakening changes"): a release
 * that drops protection no smoke case exercises would pass every gate, so promote refuses it
 * before anything is applied unless --accept-weakening gives a reason, which the ledger records
 * with the actor and the items. A strengthening release and a rollback need nothing.
 */
import { contentHash, GuardrailDefinition } from '../../guardrail/index.js';
import type { Environment, Release } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { engineStack, ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R1, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

const WEAKENED = 'baseline@2026.11.3-weakened';

/**
 * The current release minus what no smoke case covers (environment.yaml's suites block on
 * violence, misconduct, "Investment Advice", SSN, codenames, profanity and prompt attacks): the
 * "Credential Sharing" topic, three PII entities, and INSULTS lowered to MEDIUM.
 */
function withWeakenedRelease(env: Environment): Environment {
  const base = env.releases.find((r) => r.name === R2)!;
  const spec = base.definition.toSpec();
  const definition = GuardrailDefinition.fromPlain({
    ...spec,
    description: 'Weakened variant (test fixture)',
    topics: spec.topics.filter((t) => t.name !== 'Credential Sharing'),
    piiEntities: spec.piiEntities.filter((p) => !['AWS_ACCESS_KEY', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'PASSWORD'].includes(p.type)),
    contentFilters: spec.contentFilters.map((f) =>
      f.type === 'INSULTS' ? { ...f, inputStrength: 'MEDIUM' as const, outputStrength: 'MEDIUM' as const } : f,
    ),
  });
  const release: Release = { name: WEAKENED, definitionPath: base.definitionPath, definition, contentHash: contentHash(definition) };
  return { ...env, releases: [...env.releases, release] };
}

const WEAKENING_LINES = [
  'weakens: content filter INSULTS input strength lowered HIGH → MEDIUM',
  'weakens: content filter INSULTS output strength lowered HIGH → MEDIUM',
  'weakens: denied topic "Credential Sharing" removed (was BLOCK)',
  'weakens: PII entity AWS_ACCESS_KEY removed (was BLOCK)',
  'weakens: PII entity INTERNATIONAL_BANK_ACCOUNT_NUMBER removed (was BLOCK)',
  'weakens: PII entity PASSWORD removed (was BLOCK)',
];

let env: Environment;
beforeAll(async () => {
  env = withWeakenedRelease(await sandboxEnvironment());
});
useFreshHome();
const actor = process.env.ROLLOUT_ACTOR;
beforeEach(() => {
  process.env.ROLLOUT_ACTOR = 'alice';
});
afterEach(() => {
  if (actor === undefined) delete process.env.ROLLOUT_ACTOR;
  else process.env.ROLLOUT_ACTOR = actor;
});

test('a weakening release is refused with exit 2 listing each item, nothing applied or recorded; --accept-weakening promotes it and the ledger records why and who', async () => {
  expect((await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF })).ok).toBe(true);
  const before = { state: await state(), ledger: await ledger(), pilot: engineStack('pilot'), guardrails: engineStack('guardrails') };

  const refused = runVerb('promote', 'pilot', { env, release: WEAKENED, asOf: AS_OF });
  await expect(refused).rejects.toMatchObject({ name: 'UsageError', exitCode: 2 });
  const message = await refused.then(
    () => '',
    (err: Error) => err.message,
  );
  expect(message.split('\n').slice(1, 1 + WEAKENING_LINES.length)).toEqual(WEAKENING_LINES.map((l) => `  ${l}`));
  expect(message).toMatch(
    /^baseline@2026\.11\.3-weakened #\w{12} weakens what pilot enforces now \(baseline@2026\.11\.2 #\w{12}\); nothing was applied:\n/,
  );
  expect(message).toMatch(/--accept-weakening "<reason>"/);
  expect(await state()).toEqual(before.state);
  expect(await ledger()).toEqual(before.ledger);
  expect(engineStack('pilot')).toEqual(before.pilot);
  expect(engineStack('guardrails')).toEqual(before.guardrails);

  const reason = 'credential topic moves to the app guardrail (SEC-4800)';
  const r = await runVerb('promote', 'pilot', { env, release: WEAKENED, asOf: AS_OF, acceptWeakening: reason });
  expect(r).toMatchObject({ ok: true, outcome: 'promoted', release: WEAKENED });
  expect(r.report!.weakening.map((i) => `weakens: ${i.summary}`)).toEqual(WEAKENING_LINES);
  expect(r.report!.guardrailDiff.filter((i) => i.effect !== 'weakens').map((i) => i.path)).toEqual(['description']);
  const accepted = (await ledger()).filter((e) => e.kind === 'weakening-accepted');
  expect(accepted).toHaveLength(1);
  expect(accepted[0]).toMatchObject({
    who: 'alice',
    summary: reason,
    phase: 'pilot',
    release: WEAKENED,
    attemptId: r.attemptId,
    unit: r.unit!.hash,
  });
  expect((accepted[0].detail as { summary: string }[]).map((d) => `weakens: ${d.summary}`)).toEqual(WEAKENING_LINES);
  expect(accepted[0].detail).toContainEqual({
    path: 'piiEntities.PASSWORD',
    before: { type: 'PASSWORD', action: 'BLOCK', inputAction: 'BLOCK', outputAction: 'BLOCK', inputEnabled: true, outputEnabled: true },
    after: null,
    summary: 'PII entity PASSWORD removed (was BLOCK)',
  });
}, 180_000);

test('a strengthening release needs no acknowledgement, and neither does rolling it back', async () => {
  const first = await runVerb('promote', 'pilot', { env, release: R1, asOf: AS_OF });
  expect(first.report).toMatchObject({ guardrailDiffBasis: 'nothing-in-force', guardrailDiff: [], weakening: [] });
  const r = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: true, outcome: 'promoted', release: R2 });
  expect(r.report).toMatchObject({ guardrailDiffBasis: 'in-force', weakening: [] });
  expect(r.report!.guardrailDiff.map((i) => i.effect)).toEqual([...Array(10).fill('strengthens'), 'neutral']);
  // Rollback restores what was in force before: it weakens, but it is not a promotion.
  const back = await runVerb('rollback', 'pilot', { env, asOf: AS_OF });
  expect(back).toMatchObject({ ok: true, outcome: 'rolled-back', release: R1 });
  expect((await ledger()).some((e) => e.kind === 'weakening-accepted')).toBe(false);
}, 180_000);

test('--accept-weakening needs a reason of at least 3 characters', () => {
  expect(() => parseFlags({ acceptWeakening: ' x ' })).toThrow('--accept-weakening: expected a reason of at least 3 characters');
  expect(parseFlags({ acceptWeakening: 'known gap' }).acceptWeakening).toBe('known gap');
});
