import { loadEnvironment, PHASES, accountsInScope, activeExceptions, expiredExceptions } from '../../model/index.js';
import { contentHash } from '../../guardrail/hash.js';
import { toBedrockApiInput } from '../../guardrail/wire.js';
import { evaluateGuardrail, heuristics } from '../../sandbox/evaluator/index.js';
import { BENIGN_USER_TURN } from '../../rollout/gates/smoke/requests.js';

describe('the shipped sandbox environment', () => {
  test('loads with both releases, every phase and the documented defaults', async () => {
    const env = await loadEnvironment('sandbox');
    expect(env.name).toBe('sandbox');
    expect(env.releases.map((r) => r.name)).toEqual(['baseline@2026.11.1', 'baseline@2026.11.2']);
    expect(env.currentRelease).toBe('baseline@2026.11.2');
    expect(env.organization.accounts.length).toBeGreaterThanOrEqual(12);
    for (const phase of PHASES) expect(env.phases[phase].bakeSeconds).toBe(0);
    expect(env.deployment.roleName).toBe('OrganizationAccountAccessRole');
    expect(env.warnings).toBeUndefined();
  });

  test('both releases use every policy type and differ in content hash', async () => {
    const env = await loadEnvironment('sandbox');
    for (const r of env.releases) {
      const spec = r.definition.toSpec();
      expect(spec.contentFilters.map((f) => f.type)).toContain('PROMPT_ATTACK');
      expect(spec.topics.length).toBeGreaterThan(0);
      expect(spec.piiEntities.length).toBeGreaterThan(0);
      expect(spec.regexes.length).toBeGreaterThan(0);
      expect(spec.words.length).toBeGreaterThan(0);
      expect(spec.managedWordLists.map((m) => m.type)).toEqual(['PROFANITY']);
      expect(spec.contextualGrounding.map((g) => g.type)).toEqual(['GROUNDING', 'RELEVANCE']);
      expect(r.contentHash).toBe(contentHash(spec));
      expect(Object.keys(toBedrockApiInput(spec)).sort()).toEqual([
        'blockedInputMessaging',
        'blockedOutputsMessaging',
        'contentPolicyConfig',
        'contextualGroundingPolicyConfig',
        'description',
        'name',
        'sensitiveInformationPolicyConfig',
        'topicPolicyConfig',
        'wordPolicyConfig',
      ]);
    }
    expect(env.releases[0].contentHash).not.toBe(env.releases[1].contentHash);
  });

  test('smoke suites cover must-block, anonymize, must-pass and the excluded-model case', async () => {
    const env = await loadEnvironment('sandbox');
    const pilot = env.phases.pilot.smoke;
    const byId = new Map(pilot.map((c) => [c.id, c]));
    expect(pilot.filter((c) => c.expect === 'blocked').length).toBeGreaterThanOrEqual(5);
    expect(pilot.some((c) => c.expect === 'anonymized')).toBe(true);
    const long = byId.get('pass-long-system-prompt')!;
    expect(long.surface).toBe('system');
    // Long enough for the prompt-attack long-prompt heuristic (failure story 3), else it proves nothing.
    expect(long.content.length).toBeGreaterThanOrEqual(heuristics.longPromptChars);
    expect(long.expect).toBe('allowed');
    expect(byId.get('pass-after-blocked-turn')!.history!.length).toBe(2);
    const embed = byId.get('pass-excluded-embedding')!;
    expect(env.enforcement.models.excluded).toContain(embed.model);
    expect(embed.expect).toBe('allowed');
  });

  test('pilot account sits in the pilot OU; one active and one expired exception on 2026-11-25', async () => {
    const env = await loadEnvironment('sandbox');
    expect(accountsInScope(env, env.pilot.ou)).toContain(env.pilot.account);
    const asOf = new Date('2026-11-25T12:00:00Z');
    expect(activeExceptions(env, asOf).map((x) => x.id)).toContain('EXC-2026-001');
    expect(expiredExceptions(env, asOf).map((x) => x.id)).toEqual(['EXC-2026-002']);
  });
});

describe('failure story 3: the long agent system prompt of pass-long-system-prompt', () => {
  test('is flagged as a prompt attack at LOW confidence only: blocked at HIGH strength, allowed at MEDIUM; nothing else in either release triggers', async () => {
    const env = await loadEnvironment('sandbox');
    const prompt = env.phases.pilot.smoke.find((c) => c.id === 'pass-long-system-prompt')!.content;
    // What the smoke gate sends: the system prompt plus a benign user turn, both guarded.
    const blocks = [{ text: prompt }, { text: BENIGN_USER_TURN }];
    for (const r of env.releases) {
      const spec = r.definition.toSpec();
      expect(spec.contentFilters.find((f) => f.type === 'PROMPT_ATTACK')!.inputStrength).toBe('MEDIUM');
      for (const strength of ['HIGH', 'MEDIUM'] as const) {
        const variant = {
          ...spec,
          contentFilters: spec.contentFilters.map((f) => (f.type === 'PROMPT_ATTACK' ? { ...f, inputStrength: strength } : f)),
        };
        const res = evaluateGuardrail(toBedrockApiInput(variant) as never, { source: 'INPUT', outputScope: 'FULL', blocks });
        const pa = res.assessment.contentPolicy!.filters!.find((f) => f.type === 'PROMPT_ATTACK')!;
        expect({ release: r.name, strength, confidence: pa.confidence }).toEqual({ release: r.name, strength, confidence: 'LOW' });
        // The only finding is the prompt-attack one: no topic, word, PII, regex or other content filter.
        expect({ release: r.name, strength, reasons: res.reasons }).toEqual({
          release: r.name,
          strength,
          reasons: strength === 'HIGH' ? ['contentPolicy PROMPT_ATTACK confidence LOW at strength HIGH → BLOCKED'] : [],
        });
        expect(res.blocked).toBe(strength === 'HIGH');
      }
    }
  });
});
