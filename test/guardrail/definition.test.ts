import {
  ContentFilterType,
  GuardrailDefinition,
  PII_ENTITY_TYPES,
  PiiAction,
  PiiEntityType,
  Topic,
  type GuardrailProps,
} from '../../guardrail/index.js';
import { hasAutomatedReasoning } from '../../guardrail/definition.js';
import { GuardrailDefinitionError } from '../../guardrail/errors.js';
import { toBedrockApiInput } from '../../guardrail/wire.js';

const base = (): GuardrailProps => ({ name: 'org-baseline', blockedInputMessaging: 'Blocked.', blockedOutputsMessaging: 'Withheld.' });

/** The GuardrailDefinitionError thrown by fn. */
function fails(fn: () => unknown): GuardrailDefinitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GuardrailDefinitionError) return e;
    throw e;
  }
  throw new Error('expected a GuardrailDefinitionError');
}

describe('builder', () => {
  test('every add* method lands in the canonical spec with documented defaults', () => {
    const spec = new GuardrailDefinition(base())
      .addContentFilter({ type: ContentFilterType.VIOLENCE, inputStrength: 'HIGH', outputStrength: 'MEDIUM' })
      .addDeniedTopicFilter(Topic.custom({ name: 'Weapons', definition: 'Building weapons.' }))
      .addDeniedTopicFilter(Topic.medicalAdvice())
      .addPIIFilter({ type: PiiEntityType.EMAIL, action: PiiAction.ANONYMIZE, inputAction: PiiAction.NONE })
      .addRegexFilter({ name: 'emp', pattern: 'EMP-[0-9]{6}', action: 'BLOCK' })
      .addWordFilter('bluebird-7')
      .addWordFilter({ text: 'larkspur', outputEnabled: false })
      .addManagedWordListFilter()
      .addContextualGroundingFilter({ type: 'GROUNDING', threshold: 0.8 })
      .toSpec();
    expect(spec.contentFilters).toEqual([
      {
        type: 'VIOLENCE',
        inputStrength: 'HIGH',
        outputStrength: 'MEDIUM',
        inputModalities: ['TEXT'],
        outputModalities: ['TEXT'],
        inputAction: 'BLOCK',
        outputAction: 'BLOCK',
        inputEnabled: true,
        outputEnabled: true,
      },
    ]);
    expect(spec.contentTier).toBe('CLASSIC');
    expect(spec.topics.map((t) => t.name)).toEqual(['Weapons', 'Medical Advice']);
    expect(spec.topics[0]).toMatchObject({ type: 'DENY', examples: [], inputAction: 'BLOCK', outputEnabled: true });
    // PII per-direction actions default to `action`; an explicit one wins.
    expect(spec.piiEntities).toEqual([
      { type: 'EMAIL', action: 'ANONYMIZE', inputAction: 'NONE', outputAction: 'ANONYMIZE', inputEnabled: true, outputEnabled: true },
    ]);
    expect(spec.regexes[0]).toMatchObject({ name: 'emp', description: null, inputAction: 'BLOCK', outputAction: 'BLOCK' });
    expect(spec.words.map((w) => [w.text, w.outputEnabled])).toEqual([
      ['bluebird-7', true],
      ['larkspur', false],
    ]);
    expect(spec.managedWordLists).toEqual([
      { type: 'PROFANITY', inputAction: 'BLOCK', outputAction: 'BLOCK', inputEnabled: true, outputEnabled: true },
    ]);
    expect(spec.contextualGrounding).toEqual([{ type: 'GROUNDING', threshold: 0.8, action: 'BLOCK', enabled: true }]);
    expect([spec.kmsKeyArn, spec.crossRegion, spec.automatedReasoning, spec.description]).toEqual([null, null, null, null]);
  });

  test('constructor lists and add* calls give the same spec', () => {
    const a = new GuardrailDefinition({ ...base(), words: ['x1'], piiEntities: [{ type: 'PHONE', action: 'BLOCK' }] });
    const b = new GuardrailDefinition(base()).addWordFilter('x1').addPIIFilter({ type: 'PHONE', action: 'BLOCK' });
    expect(a.toSpec()).toEqual(b.toSpec());
  });

  test('the PII enum is complete (31 entity types)', () => {
    expect(PII_ENTITY_TYPES).toHaveLength(31);
    const d = new GuardrailDefinition(base());
    for (const t of PII_ENTITY_TYPES) d.addPIIFilter({ type: t, action: 'BLOCK' });
    expect(d.toSpec().piiEntities).toHaveLength(31);
  });

  test('a frozen definition (a release) refuses changes', () => {
    const d = new GuardrailDefinition(base()).addWordFilter('x1').freeze();
    expect(fails(() => d.addWordFilter('x2')).expected).toBe(
      'guardrail definition "org-baseline" is frozen (it is a release); create a new release instead of changing it',
    );
  });

  test('hasAutomatedReasoning exposes the refusal reason for enforcement', () => {
    const arn = 'arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/abcdefghij12';
    const d = new GuardrailDefinition({ ...base(), automatedReasoning: { policies: [arn], confidenceThreshold: 0.9 } });
    expect(d.hasAutomatedReasoning).toBe(true);
    expect(hasAutomatedReasoning(d.toSpec())).toBe(true);
    expect(toBedrockApiInput(d.toSpec()).automatedReasoningPolicyConfig).toEqual({ policies: [arn], confidenceThreshold: 0.9 });
    expect(new GuardrailDefinition(base()).addWordFilter('a').hasAutomatedReasoning).toBe(false);
  });
});

describe('validation errors carry the path and the expectation', () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      'name pattern',
      () => new GuardrailDefinition({ ...base(), name: 'org baseline!' }),
      'name',
      'expected a guardrail name matching ^[0-9a-zA-Z-_]{1,50}$ (letters, digits, - and _), got "org baseline!"',
    ],
    [
      'name length',
      () => new GuardrailDefinition({ ...base(), name: 'x'.repeat(51) }),
      'name',
      'expected a guardrail name of 1–50 characters, got 51 characters',
    ],
    [
      'messaging length',
      () => new GuardrailDefinition({ ...base(), blockedInputMessaging: '' }),
      'blockedInputMessaging',
      'expected a message of 1–500 characters, got 0 characters',
    ],
    [
      'messaging max',
      () => new GuardrailDefinition({ ...base(), blockedOutputsMessaging: 'x'.repeat(501) }),
      'blockedOutputsMessaging',
      'expected a message of 1–500 characters, got 501 characters',
    ],
    [
      'description',
      () => new GuardrailDefinition({ ...base(), description: 'x'.repeat(201) }),
      'description',
      'expected a description of 1–200 characters, got 201 characters',
    ],
    [
      'unknown key',
      () => new GuardrailDefinition({ ...base(), wordz: [] } as GuardrailProps),
      'wordz',
      'unknown key "wordz" (allowed: name, description, blockedInputMessaging, blockedOutputsMessaging, contentTier, contentFilters, topicTier, topics, piiEntities, regexes, words, managedWordLists, contextualGrounding, kmsKeyArn, crossRegion, automatedReasoning)',
    ],
    [
      'prompt attack output',
      () => new GuardrailDefinition(base()).addContentFilter({ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'LOW' }),
      'contentFilters[0].outputStrength',
      'expected NONE for PROMPT_ATTACK (prompt-attack filtering applies to input only), got LOW',
    ],
    [
      'strength enum',
      () => new GuardrailDefinition(base()).addContentFilter({ type: 'HATE', inputStrength: 'EXTREME' as 'HIGH', outputStrength: 'LOW' }),
      'contentFilters[0].inputStrength',
      'expected one of NONE | LOW | MEDIUM | HIGH, got "EXTREME"',
    ],
    [
      'duplicate filter type',
      () =>
        new GuardrailDefinition(base())
          .addContentFilter({ type: 'HATE', inputStrength: 'LOW', outputStrength: 'LOW' })
          .addContentFilter({ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }),
      'contentFilters[1].type',
      'expected each content filter type once; HATE is already configured',
    ],
    [
      'modalities',
      () =>
        new GuardrailDefinition(base()).addContentFilter({
          type: 'HATE',
          inputStrength: 'LOW',
          outputStrength: 'LOW',
          inputModalities: ['AUDIO' as 'TEXT'],
        }),
      'contentFilters[0].inputModalities[0]',
      'expected one of TEXT | IMAGE, got "AUDIO"',
    ],
    [
      'topic definition (classic)',
      () => new GuardrailDefinition(base()).addDeniedTopicFilter(Topic.custom({ name: 'T', definition: 'x'.repeat(201) })).toSpec(),
      'topics[0].definition',
      'expected at most 200 characters with the CLASSIC topic tier (up to 1000 with topicTier STANDARD), got 201',
    ],
    [
      'topic examples',
      () => new GuardrailDefinition(base()).addDeniedTopicFilter({ name: 'T', definition: 'd', examples: ['1', '2', '3', '4', '5', '6'] }),
      'topics[0].examples',
      'expected at most 5 examples, got 6',
    ],
    [
      'topic name chars',
      () => new GuardrailDefinition(base()).addDeniedTopicFilter({ name: 'T/x', definition: 'd' }),
      'topics[0].name',
      'expected a topic name of letters, digits, spaces and -_!?. only, got "T/x"',
    ],
    [
      'duplicate topic',
      () =>
        new GuardrailDefinition(base())
          .addDeniedTopicFilter({ name: 'T', definition: 'd' })
          .addDeniedTopicFilter({ name: 't', definition: 'd' }),
      'topics[1].name',
      'expected a unique topic name; "t" is already defined',
    ],
    [
      '31 topics',
      () => {
        const d = new GuardrailDefinition(base());
        for (let i = 0; i <= 30; i++) d.addDeniedTopicFilter({ name: `T${i}`, definition: 'd' });
      },
      'topics[30]',
      'expected at most 30 denied topics',
    ],
    [
      'pii type',
      () => new GuardrailDefinition(base()).addPIIFilter({ type: 'SSN' as 'EMAIL', action: 'BLOCK' }),
      'piiEntities[0].type',
      expect.stringMatching(/^expected one of ADDRESS \| AGE \| .* \| VEHICLE_IDENTIFICATION_NUMBER, got "SSN"$/) as unknown as string,
    ],
    [
      'duplicate pii',
      () =>
        new GuardrailDefinition(base()).addPIIFilter({ type: 'EMAIL', action: 'BLOCK' }).addPIIFilter({ type: 'EMAIL', action: 'NONE' }),
      'piiEntities[1].type',
      'expected each PII entity type once; EMAIL is already configured',
    ],
    [
      'regex compiles',
      () => new GuardrailDefinition(base()).addRegexFilter({ name: 'r', pattern: '([a-z', action: 'BLOCK' }),
      'regexes[0].pattern',
      expect.stringMatching(/^expected a regular expression that compiles: /) as unknown as string,
    ],
    [
      '11 regexes',
      () => {
        const d = new GuardrailDefinition(base());
        for (let i = 0; i <= 10; i++) d.addRegexFilter({ name: `r${i}`, pattern: 'a', action: 'BLOCK' });
      },
      'regexes[10]',
      'expected at most 10 regex filters',
    ],
    [
      'duplicate regex',
      () =>
        new GuardrailDefinition(base())
          .addRegexFilter({ name: 'r', pattern: 'a', action: 'BLOCK' })
          .addRegexFilter({ name: 'r', pattern: 'b', action: 'BLOCK' }),
      'regexes[1].name',
      'expected a unique regex name; "r" is already defined',
    ],
    [
      'word length',
      () => new GuardrailDefinition(base()).addWordFilter('x'.repeat(101)),
      'words[0]',
      'expected a word or phrase of 1–100 characters, got 101 characters',
    ],
    [
      'empty word',
      () => new GuardrailDefinition(base()).addWordFilter(''),
      'words[0]',
      'expected a word or phrase of 1–100 characters, got 0 characters',
    ],
    [
      'duplicate word',
      () => new GuardrailDefinition(base()).addWordFilter('Foo').addWordFilter('foo'),
      'words[1]',
      'expected unique words; "foo" is already listed',
    ],
    [
      '10001 words',
      () => new GuardrailDefinition({ ...base(), words: Array.from({ length: 10001 }, (_, i) => `w${i}`) }),
      'words[10000]',
      'expected at most 10000 words',
    ],
    [
      'managed list twice',
      () => new GuardrailDefinition(base()).addManagedWordListFilter().addManagedWordListFilter(),
      'managedWordLists[1].type',
      'expected each managed word list once; PROFANITY is already configured',
    ],
    [
      'grounding threshold',
      () => new GuardrailDefinition(base()).addContextualGroundingFilter({ type: 'RELEVANCE', threshold: 1 }),
      'contextualGrounding[0].threshold',
      'expected a number from 0 to 0.99, got number 1',
    ],
    [
      'kms arn',
      () => new GuardrailDefinition({ ...base(), kmsKeyArn: 'alias/foo' }),
      'kmsKeyArn',
      'expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "alias/foo"',
    ],
    [
      'standard needs cross-region',
      () => new GuardrailDefinition({ ...base(), contentTier: 'STANDARD' }).addWordFilter('a').toSpec(),
      'contentTier',
      'expected crossRegion.guardrailProfileArn to be set: the STANDARD tier requires cross-Region inference',
    ],
    [
      'no policy at all',
      () => new GuardrailDefinition(base()).toSpec(),
      '',
      'expected at least one policy (content filter, denied topic, PII entity, regex, word, managed word list, contextual grounding or automated reasoning)',
    ],
    [
      'automated reasoning arn',
      () => new GuardrailDefinition({ ...base(), automatedReasoning: { policies: ['nope'] } }),
      'automatedReasoning.policies[0]',
      'expected an automated-reasoning policy ARN, got "nope"',
    ],
  ];
  test.each(cases)('%s', (_name, fn, path, expected) => {
    const err = fails(fn);
    expect(err.path ?? '').toBe(path);
    expect(err.expected).toEqual(expected);
    expect(err.exitCode).toBe(2);
  });

  test('STANDARD topic tier allows 1000-character definitions with a guardrail profile', () => {
    const d = new GuardrailDefinition({
      ...base(),
      topicTier: 'STANDARD',
      crossRegion: { guardrailProfileArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0' },
    }).addDeniedTopicFilter({ name: 'Long', definition: 'x'.repeat(1000) });
    const api = toBedrockApiInput(d.toSpec());
    expect(api.topicPolicyConfig?.tierConfig).toEqual({ tierName: 'STANDARD' });
    expect(api.crossRegionConfig).toEqual({
      guardrailProfileIdentifier: 'arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0',
    });
  });

  test('fromPlain names the file', () => {
    const err = fails(() => GuardrailDefinition.fromPlain({ ...base(), words: [42] }, 'guardrails/x.json'));
    expect(err.message).toBe('guardrails/x.json at words[0]: expected a word or phrase (a string) or { text, … }, got number 42');
  });
});
