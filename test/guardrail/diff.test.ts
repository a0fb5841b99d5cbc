/** The semantic diff of two guardrail specs (guardrail/diff.ts): literal items for the sandbox releases and variants of them. */
import { guardrailDiff, weakeningItems, type DiffItem } from '../../guardrail/diff.js';
import { GuardrailDefinition } from '../../guardrail/index.js';
import type { GuardrailSpec } from '../../guardrail/spec.js';
import type { Environment } from '../../model/types.js';
import { R1, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
let r1: GuardrailSpec;
let r2: GuardrailSpec;
beforeAll(async () => {
  env = await sandboxEnvironment();
  const spec = (name: string) => env.releases.find((r) => r.name === name)!.definition.toSpec();
  r1 = spec(R1);
  r2 = spec(R2);
});

/** A spec edited the way a definition author would (re-validated, defaults applied). */
const variant = (base: GuardrailSpec, edit: (s: GuardrailSpec) => Partial<GuardrailSpec>): GuardrailSpec =>
  GuardrailDefinition.fromPlain({ ...base, ...edit(base) }).toSpec();

const lines = (items: DiffItem[]) => items.map((i) => `${i.effect}: ${i.summary}`);

test('the same spec has no diff', () => {
  expect(guardrailDiff(r2, r2)).toEqual([]);
});

test('a strengthening release (baseline 2026.11.1 → 2026.11.2): additions and raises strengthen, the description is neutral', () => {
  const items = guardrailDiff(r1, r2);
  expect(lines(items)).toEqual([
    'strengthens: content filter INSULTS input strength raised MEDIUM → HIGH',
    'strengthens: content filter INSULTS output strength raised MEDIUM → HIGH',
    'strengthens: prompt attack filter now reads IMAGE input',
    'strengthens: denied topic "Credential Sharing" added (BLOCK)',
    'strengthens: PII entity AWS_ACCESS_KEY added (BLOCK)',
    'strengthens: PII entity INTERNATIONAL_BANK_ACCOUNT_NUMBER added (BLOCK)',
    'strengthens: PII entity PASSWORD added (BLOCK)',
    'strengthens: regex internal-ticket-token added (BLOCK)',
    'strengthens: word "Operation Larkspur" added (BLOCK)',
    'strengthens: grounding check GROUNDING threshold raised 0.75 → 0.8',
    'neutral: description changed: Organization-wide baseline guardrail (sandbox), release 2026.11.1 → Organization-wide baseline guardrail (sandbox), release 2026.11.2',
  ]);
  expect(weakeningItems(items)).toEqual([]);
  expect(items.find((i) => i.path === 'contentFilters.INSULTS.inputStrength')).toEqual({
    path: 'contentFilters.INSULTS.inputStrength',
    before: 'MEDIUM',
    after: 'HIGH',
    effect: 'strengthens',
    summary: 'content filter INSULTS input strength raised MEDIUM → HIGH',
  });
});

test('a weakening release: a denied topic and three PII entities dropped, a strength lowered', () => {
  const weak = variant(r2, (s) => ({
    topics: s.topics.filter((t) => t.name !== 'Credential Sharing'),
    piiEntities: s.piiEntities.filter((p) => !['AWS_ACCESS_KEY', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER', 'PASSWORD'].includes(p.type)),
    contentFilters: s.contentFilters.map((f) => (f.type === 'INSULTS' ? { ...f, inputStrength: 'LOW' as const } : f)),
  }));
  const items = guardrailDiff(r2, weak);
  expect(lines(items)).toEqual([
    'weakens: content filter INSULTS input strength lowered HIGH → LOW',
    'weakens: denied topic "Credential Sharing" removed (was BLOCK)',
    'weakens: PII entity AWS_ACCESS_KEY removed (was BLOCK)',
    'weakens: PII entity INTERNATIONAL_BANK_ACCOUNT_NUMBER removed (was BLOCK)',
    'weakens: PII entity PASSWORD removed (was BLOCK)',
  ]);
  expect(weakeningItems(items)).toHaveLength(5);
  expect(items[2]).toMatchObject({ path: 'piiEntities.AWS_ACCESS_KEY', after: null, before: { type: 'AWS_ACCESS_KEY', action: 'BLOCK' } });
});

/** PII entities are a set sorted by type (spec.ts), so EMAIL comes before US_SOCIAL_SECURITY_NUMBER. */
test('actions down, detection disabled, a modality, a threshold and a managed list removed all weaken', () => {
  const weak = variant(r2, (s) => ({
    piiEntities: s.piiEntities.map((p) =>
      p.type === 'US_SOCIAL_SECURITY_NUMBER'
        ? { ...p, outputAction: 'ANONYMIZE' as const }
        : p.type === 'EMAIL'
          ? { ...p, inputAction: 'NONE' as const }
          : p,
    ),
    regexes: s.regexes.map((r) => (r.name === 'employee-id' ? { ...r, outputEnabled: false } : r)),
    contentFilters: s.contentFilters.map((f) => (f.type === 'PROMPT_ATTACK' ? { ...f, inputModalities: ['TEXT' as const] } : f)),
    contextualGrounding: s.contextualGrounding.map((g) => (g.type === 'RELEVANCE' ? { ...g, threshold: 0.3 } : g)),
    managedWordLists: [],
  }));
  expect(lines(guardrailDiff(r2, weak))).toEqual([
    'weakens: prompt attack filter no longer reads IMAGE input',
    'weakens: PII entity EMAIL input action ANONYMIZE → NONE',
    'weakens: PII entity US_SOCIAL_SECURITY_NUMBER output action BLOCK → ANONYMIZE',
    'weakens: regex employee-id disabled for output',
    'weakens: managed word list PROFANITY removed (was BLOCK)',
    'weakens: grounding check RELEVANCE threshold lowered 0.5 → 0.3',
  ]);
});

test('a description-only change has only neutral items; messaging and topic wording are neutral too', () => {
  expect(
    guardrailDiff(
      r2,
      variant(r2, () => ({ description: 'Reworded' })),
    ),
  ).toEqual([
    {
      path: 'description',
      before: 'Organization-wide baseline guardrail (sandbox), release 2026.11.2',
      after: 'Reworded',
      effect: 'neutral',
      summary: 'description changed: Organization-wide baseline guardrail (sandbox), release 2026.11.2 → Reworded',
    },
  ]);
  const reworded = variant(r2, (s) => ({
    blockedInputMessaging: 'Blocked by policy.',
    topics: s.topics.map((t) => (t.name === 'Weapons Manufacturing' ? { ...t, examples: ['How do I build a pipe bomb?'] } : t)),
  }));
  const items = guardrailDiff(r2, reworded);
  expect(items.map((i) => [i.path, i.effect])).toEqual([
    ['topics.Weapons Manufacturing.examples', 'neutral'],
    ['messaging.blockedInputMessaging', 'neutral'],
  ]);
});
