import { canonicalJson } from '../../core/canonical-json.js';
import { GuardrailDefinition, type GuardrailProps } from '../../guardrail/index.js';
import { contentHash } from '../../guardrail/hash.js';

const base = (): GuardrailProps => ({ name: 'org-baseline', blockedInputMessaging: 'Blocked.', blockedOutputsMessaging: 'Withheld.' });

describe('canonical spec and hash', () => {
  const props = (): GuardrailProps => ({
    ...base(),
    contentFilters: [
      { type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH', inputModalities: ['IMAGE', 'TEXT'] },
    ],
    piiEntities: [
      { type: 'PHONE', action: 'BLOCK' },
      { type: 'EMAIL', action: 'ANONYMIZE' },
    ],
    topics: [{ name: 'A', definition: 'a' }],
  });

  test('the hash is stable under key order and set-like list order', () => {
    const p = props();
    const reordered = JSON.parse(
      JSON.stringify({
        topics: p.topics,
        piiEntities: [...p.piiEntities!].reverse(),
        contentFilters: [...p.contentFilters!].reverse(),
        blockedOutputsMessaging: p.blockedOutputsMessaging,
        blockedInputMessaging: p.blockedInputMessaging,
        name: p.name,
      }),
    );
    const h1 = contentHash(new GuardrailDefinition(p).toSpec());
    const h2 = contentHash(GuardrailDefinition.fromPlain(reordered).toSpec());
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).toBe(h1);
    // Modalities are canonicalised too.
    expect(new GuardrailDefinition(p).toSpec().contentFilters.find((f) => f.type === 'HATE')!.inputModalities).toEqual(['TEXT', 'IMAGE']);
  });

  test('any content change changes the hash', () => {
    const h1 = contentHash(new GuardrailDefinition(props()).toSpec());
    const p = props();
    p.topics![0].definition = 'b';
    expect(contentHash(new GuardrailDefinition(p).toSpec())).not.toBe(h1);
  });

  test('a spec round-trips through fromPlain', () => {
    const spec = new GuardrailDefinition(props()).toSpec();
    expect(GuardrailDefinition.fromPlain(JSON.parse(JSON.stringify(spec))).toSpec()).toEqual(spec);
    expect(JSON.parse(JSON.stringify(new GuardrailDefinition(props())))).toEqual(spec);
  });

  test('canonicalJson sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });
});
