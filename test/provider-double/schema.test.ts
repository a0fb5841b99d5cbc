/** Schema messages and config validation of the provider double (provider-double/schema.ts). */
import { computedPaths, forceNewPaths, schemaProblems, toProtoSchema, validateConfig } from '../../provider-double/schema.js';
import { type BlockSchema, UNKNOWN } from '../../provider-double/types.js';

const SCHEMA: BlockSchema = {
  description: 'a thing',
  attributes: {
    id: { type: 'string', computed: true },
    name: { type: 'string', required: true, validate: (v) => (String(v).length <= 5 ? undefined : 'at most 5 characters') },
    zone: { type: 'string', optional: true, forceNew: true },
    token: { type: 'string', optional: true, sensitive: true },
    model: {
      optional: true,
      computed: true,
      nested: { nesting: 'single', attributes: { included: { type: ['list', 'string'], required: true } } },
    },
  },
  blocks: {
    rule: {
      nesting: 'list',
      minItems: 1,
      maxItems: 2,
      block: { attributes: { key: { type: 'string', required: true }, priority: { type: 'number', optional: true, computed: true } } },
    },
    timeouts: { nesting: 'single', block: { attributes: { create: { type: 'string', optional: true } } } },
  },
};

describe('toProtoSchema', () => {
  it('builds the Schema message with type JSON bytes, nesting names and flags', () => {
    const s = toProtoSchema(SCHEMA, 2);
    expect(s.version).toBe(2);
    expect(s.block.description).toBe('a thing');
    const attr = (n: string) => s.block.attributes.find((a) => a.name === n)!;
    expect(attr('id')).toEqual({
      name: 'id',
      type: Buffer.from('"string"'),
      description: '',
      description_kind: 'PLAIN',
      required: false,
      optional: false,
      computed: true,
      sensitive: false,
    });
    expect(attr('token').sensitive).toBe(true);
    expect(attr('model').type).toBeUndefined();
    expect(attr('model').nested_type).toEqual({
      nesting: 'SINGLE',
      attributes: [
        {
          name: 'included',
          type: Buffer.from('["list","string"]'),
          description: '',
          description_kind: 'PLAIN',
          required: true,
          optional: false,
          computed: false,
          sensitive: false,
        },
      ],
    });
    expect(s.block.block_types.map((b) => [b.type_name, b.nesting, b.min_items, b.max_items])).toEqual([
      ['rule', 'LIST', 1, 2],
      ['timeouts', 'SINGLE', 0, 0],
    ]);
    expect(s.block.block_types[0].block.attributes.map((a) => a.name)).toEqual(['key', 'priority']);
  });

  it('refuses what Terraform InternalValidate rejects', () => {
    expect(() => toProtoSchema({ attributes: { Bad: { type: 'string', optional: true } } })).toThrow('Bad: name must match [a-z0-9_]+');
    expect(
      schemaProblems(
        {
          attributes: { a: { type: 'string' }, b: { type: 'string', required: true, computed: true }, c: { optional: true } },
          blocks: {
            s: { nesting: 'single', minItems: 0, maxItems: 2, block: { attributes: {} } },
            l: { nesting: 'list', minItems: 3, maxItems: 1, block: { attributes: {} } },
          },
        },
        '',
      ),
    ).toEqual([
      'a: must be required, optional or computed',
      'b: required excludes optional and computed',
      'c: exactly one of type and nested',
      's: SINGLE blocks take min/max items of 0 or 1',
      'l: min items > max items',
    ]);
  });
});

describe('validateConfig', () => {
  const base = { id: null, name: 'ok', zone: null, token: null, model: null, rule: [{ key: 'k', priority: null }], timeouts: null };

  it('accepts a valid config', () => {
    expect(validateConfig(SCHEMA, base)).toEqual([]);
  });

  it('reports missing required arguments, computed-only values, hooks and block counts with paths', () => {
    const ds = validateConfig(SCHEMA, { ...base, id: 'set', name: 'toolong', rule: [], model: { included: null } });
    expect(ds.map((d) => [d.summary, d.detail, d.path])).toEqual([
      ['Invalid configuration', '"id" is computed and cannot be set.', ['id']],
      ['Invalid value', 'name: at most 5 characters', ['name']],
      ['Missing required argument', 'The argument "included" is required.', ['model', 'included']],
      ['Insufficient blocks', 'At least 1 "rule" block(s) are required.', ['rule']],
    ]);
    const three = validateConfig(SCHEMA, { ...base, name: null, rule: [{ key: 'a' }, { key: 'b' }, { key: null }] });
    expect(three.map((d) => [d.summary, d.path])).toEqual([
      ['Missing required argument', ['name']],
      ['Too many blocks', ['rule']],
      ['Missing required argument', ['rule', 2, 'key']],
    ]);
  });

  it('skips unknown values', () => {
    expect(validateConfig(SCHEMA, { ...base, name: UNKNOWN, rule: UNKNOWN })).toEqual([]);
  });
});

describe('paths', () => {
  it('lists computed and forceNew attributes, blocks included', () => {
    expect(computedPaths(SCHEMA)).toEqual(['id', 'model', 'rule.priority']);
    expect(forceNewPaths(SCHEMA)).toEqual(['zone']);
  });
});
