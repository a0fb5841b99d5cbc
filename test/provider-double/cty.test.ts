/** cty ↔ msgpack / state JSON for the provider double (provider-double/cty.ts), with literal bytes. */
import { encode, ExtData } from '@msgpack/msgpack';
import {
  attributeType,
  blockType,
  decodeBlock,
  decodeStateJson,
  decodeValue,
  encodeBlock,
  encodeValue,
  normalizeBlock,
  parseTypeJson,
  typeJson,
  unknownPaths,
} from '../../provider-double/cty.js';
import { type BlockSchema, type CtyObject, UNKNOWN } from '../../provider-double/types.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

const SCHEMA: BlockSchema = {
  attributes: {
    id: { type: 'string', computed: true },
    n: { type: 'number', optional: true },
    tags: { type: ['map', 'string'], optional: true },
    tier: { type: ['list', ['object', { tier_name: 'string' }]], optional: true, computed: true },
    anything: { type: 'dynamic', optional: true },
    model: { nested: { nesting: 'single', attributes: { included: { type: ['list', 'string'], optional: true } } }, optional: true },
  },
  blocks: {
    rule: { nesting: 'list', block: { attributes: { key: { type: 'string', required: true } } } },
    timeouts: { nesting: 'single', block: { attributes: { create: { type: 'string', optional: true } } } },
  },
};

describe('types', () => {
  it('implies block and nested attribute types', () => {
    expect(blockType(SCHEMA)).toEqual([
      'object',
      {
        id: 'string',
        n: 'number',
        tags: ['map', 'string'],
        tier: ['list', ['object', { tier_name: 'string' }]],
        anything: 'dynamic',
        model: ['object', { included: ['list', 'string'] }],
        rule: ['list', ['object', { key: 'string' }]],
        timeouts: ['object', { create: 'string' }],
      },
    ]);
    expect(attributeType({ nested: { nesting: 'set', attributes: { a: { type: 'bool', optional: true } } }, optional: true })).toEqual([
      'set',
      ['object', { a: 'bool' }],
    ]);
  });

  it('writes and reads cty type JSON', () => {
    expect(typeJson(['list', ['object', { tier_name: 'string' }]])).toBe('["list",["object",{"tier_name":"string"}]]');
    expect(parseTypeJson('["object",{"a":"string","b":["tuple",["number","bool"]]},["b"]]')).toEqual([
      'object',
      { a: 'string', b: ['tuple', ['number', 'bool']] },
    ]);
    expect(() => parseTypeJson('"float"')).toThrow('unsupported cty type "float"');
  });
});

describe('msgpack values', () => {
  it('encodes scalars as cty does, unknown as fixext1 type 0', () => {
    expect(hex(encodeValue('ab', 'string'))).toBe('a26162');
    expect(hex(encodeValue(5, 'number'))).toBe('05');
    expect(hex(encodeValue(1.5, 'number'))).toBe('cb3ff8000000000000');
    expect(hex(encodeValue(true, 'bool'))).toBe('c3');
    expect(hex(encodeValue(null, 'string'))).toBe('c0');
    expect(hex(encodeValue(UNKNOWN, 'string'))).toBe('d40000');
  });

  it('decodes numbers written as int, uint, float or decimal string', () => {
    expect(decodeValue(bytes('cd0100'), 'number')).toBe(256); // uint16
    expect(decodeValue(bytes('d0ff'), 'number')).toBe(-1); // int8
    expect(decodeValue(bytes('cb3ff8000000000000'), 'number')).toBe(1.5);
    expect(decodeValue(bytes('a3312e35'), 'number')).toBe(1.5); // "1.5"
    expect(() => decodeValue(bytes('a161'), 'number')).toThrow('expected number');
  });

  it('reads any extension as unknown, including ext 12 refinements', () => {
    // ext 12 with {1: false (not null), 2: "ref-"}: a refined unknown string such as "ref-${x.id}".
    const refined = encode(
      new ExtData(
        12,
        encode(
          new Map<number, unknown>([
            [1, false],
            [2, 'ref-'],
          ]),
        ),
      ),
    );
    expect(decodeValue(refined, 'string')).toBe(UNKNOWN);
    expect(decodeValue(bytes('d40000'), ['list', 'string'])).toBe(UNKNOWN);
  });

  it('writes dynamic values as [type JSON bin, value] and reads them back', () => {
    expect(hex(encodeValue('x', 'dynamic'))).toBe(`92c408${Buffer.from('"string"').toString('hex')}a178`);
    expect(decodeValue(encodeValue({ a: [1, 'b'] }, 'dynamic'), 'dynamic')).toEqual({ a: [1, 'b'] });
    expect(decodeValue(bytes('c0'), 'dynamic')).toBeNull();
  });

  it('encodes a block with every attribute present, keys sorted, absent LIST blocks as []', () => {
    const small: BlockSchema = {
      attributes: { b: { type: 'string', optional: true }, a: { type: 'number', optional: true } },
      blocks: { r: { nesting: 'list', block: { attributes: {} } } },
    };
    // {a: 1, b: nil, r: []}
    expect(hex(encodeBlock({ a: 1 }, small))).toBe('83a16101a162c0a17290');
    expect(hex(encodeBlock(null, small))).toBe('c0');
  });

  it('round-trips a full object, and rejects attributes the schema lacks', () => {
    const value: CtyObject = {
      id: UNKNOWN,
      n: 2,
      tags: { team: 'blue' },
      tier: [{ tier_name: 'CLASSIC' }],
      anything: null,
      model: { included: ['m1'] },
      rule: [{ key: 'k' }],
      timeouts: null,
    };
    expect(decodeBlock(encodeBlock(value, SCHEMA), SCHEMA)).toEqual(value);
    expect(() => encodeBlock({ ...value, typo: 'x' }, SCHEMA)).toThrow('attribute typo is not in the schema');
    expect(() => encodeBlock({ ...value, n: 'two' }, SCHEMA)).toThrow('n: expected number, got "two"');
  });

  it('reads an empty DynamicValue as null and fills missing keys on decode', () => {
    expect(decodeBlock(new Uint8Array(), SCHEMA)).toBeNull();
    expect(decodeBlock(undefined, SCHEMA)).toBeNull();
    expect(decodeBlock(encode({ n: 1 }), SCHEMA)).toEqual({
      id: null,
      n: 1,
      tags: null,
      tier: null,
      anything: null,
      model: null,
      rule: [],
      timeouts: null,
    });
  });
});

describe('state JSON (UpgradeResourceState)', () => {
  it('decodes pretty-printed state, dropping keys the schema lacks, reading dynamic {value,type}', () => {
    const json = JSON.stringify(
      { id: 'x1', n: 3, removed_attr: 'old', anything: { value: ['a'], type: ['list', 'string'] }, rule: null, timeouts: { create: '5m' } },
      null,
      2,
    );
    expect(decodeStateJson(json, SCHEMA)).toEqual({
      id: 'x1',
      n: 3,
      tags: null,
      tier: null,
      anything: ['a'],
      model: null,
      rule: [],
      timeouts: { create: '5m' },
    });
    expect(decodeStateJson(Buffer.from(''), SCHEMA)).toBeNull();
  });
});

describe('helpers', () => {
  it('normalizes and lists unknown paths', () => {
    expect(normalizeBlock({ id: 'a' }, SCHEMA)).toMatchObject({ id: 'a', rule: [], timeouts: null });
    expect(unknownPaths({ id: UNKNOWN, rule: [{ key: 'k' }, { key: UNKNOWN }] })).toEqual(['id', 'rule[1].key']);
  });
});
