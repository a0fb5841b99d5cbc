/** Generic plan/apply logic of the provider double (provider-double/plan.ts), with literal values. */
import { applyChange, keepPlanned, planChange, planCreate, plannedProblems, replacePaths } from '../../provider-double/plan.js';
import { type BlockSchema, type CtyObject, type ProviderContext, type ResourceType, UNKNOWN } from '../../provider-double/types.js';

const SCHEMA: BlockSchema = {
  attributes: {
    id: { type: 'string', computed: true },
    name: { type: 'string', required: true },
    zone: { type: 'string', optional: true, forceNew: true },
    region: { type: 'string', optional: true, computed: true },
    policy: { type: 'string', optional: true },
  },
  blocks: {
    rule: {
      nesting: 'list',
      block: {
        attributes: {
          key: { type: 'string', required: true, forceNew: true },
          priority: { type: 'number', optional: true, computed: true },
        },
      },
    },
  },
};

const ctx = { region: 'us-east-1' } as unknown as ProviderContext;
const config = (over: CtyObject = {}): CtyObject => ({
  id: null,
  name: 'n',
  zone: 'z1',
  region: null,
  policy: null,
  rule: [{ key: 'a', priority: null }],
  ...over,
});
const prior: CtyObject = { id: 'i-1', name: 'n', zone: 'z1', region: 'us-east-1', policy: null, rule: [{ key: 'a', priority: 0 }] };

function resource(over: Partial<ResourceType> = {}): ResourceType {
  return {
    name: 'aws_test',
    source: 'test',
    version: 0,
    schema: SCHEMA,
    create: async (_c, planned) => ({ ...planned, id: 'i-2', region: 'us-east-1', rule: [{ key: 'a', priority: 7 }] }),
    read: async () => null,
    update: async (_c, _p, planned) => planned,
    delete: async () => {},
    ...over,
  };
}

describe('planCreate', () => {
  it('makes computed attributes null in config unknown, in nested blocks too', () => {
    expect(planCreate(SCHEMA, config({ region: 'eu-west-1' }))).toEqual({
      id: UNKNOWN,
      name: 'n',
      zone: 'z1',
      region: 'eu-west-1',
      policy: null,
      rule: [{ key: 'a', priority: UNKNOWN }],
    });
  });
});

describe('replacePaths', () => {
  it('reports forceNew attributes that differ, unknown counting as different', () => {
    expect(replacePaths(SCHEMA, prior, { ...prior, zone: 'z2' })).toEqual([['zone']]);
    expect(replacePaths(SCHEMA, prior, { ...prior, zone: UNKNOWN })).toEqual([['zone']]);
    expect(replacePaths(SCHEMA, prior, { ...prior, rule: [{ key: 'b', priority: 0 }] })).toEqual([['rule', 0, 'key']]);
    expect(replacePaths(SCHEMA, prior, { ...prior, name: 'other' })).toEqual([]);
  });
});

describe('planChange', () => {
  it('plans a create', async () => {
    const out = await planChange(resource(), { prior: null, proposed: config(), config: config(), ctx });
    expect(out).toEqual({
      planned: { id: UNKNOWN, name: 'n', zone: 'z1', region: UNKNOWN, policy: null, rule: [{ key: 'a', priority: UNKNOWN }] },
      requiresReplace: [],
    });
  });

  it('runs the plan hook (here: a provider default for region)', async () => {
    const r = resource({ plan: (req, planned) => ({ ...planned, region: planned.region === UNKNOWN ? req.ctx.region : planned.region }) });
    const out = await planChange(r, { prior: null, proposed: config(), config: config(), ctx });
    expect(out.planned?.region).toBe('us-east-1');
  });

  it('keeps the proposed state on update', async () => {
    const proposed = { ...prior, name: 'm' };
    const out = await planChange(resource(), { prior, proposed, config: config({ name: 'm' }), ctx });
    expect(out).toEqual({ planned: proposed, requiresReplace: [] });
  });

  it('on replacement marks computed attributes the config leaves null unknown', async () => {
    const proposed = { ...prior, zone: 'z2' };
    const out = await planChange(resource(), { prior, proposed, config: config({ zone: 'z2' }), ctx });
    expect(out).toEqual({
      planned: { id: UNKNOWN, name: 'n', zone: 'z2', region: UNKNOWN, policy: null, rule: [{ key: 'a', priority: UNKNOWN }] },
      requiresReplace: [['zone']],
    });
  });

  it('plans null for a destroy', async () => {
    expect(await planChange(resource(), { prior, proposed: null, config: null, ctx })).toEqual({ planned: null, requiresReplace: [] });
  });

  it('rejects a hook that changes a non-computed attribute, but accepts keeping the prior value', async () => {
    const bad = resource({ plan: (_req, planned) => ({ ...planned, name: 'changed' }) });
    await expect(planChange(bad, { prior: null, proposed: config(), config: config(), ctx })).rejects.toThrow(
      'name: planned value must equal the configured value',
    );
    const withPolicy = { ...prior, policy: '{"a": 1}' };
    const keepPrior = resource({ plan: (req, planned) => ({ ...planned, policy: req.prior?.policy ?? planned.policy }) });
    const out = await planChange(keepPrior, {
      prior: withPolicy,
      proposed: { ...withPolicy, policy: '{"a":1}' },
      config: config({ policy: '{"a":1}' }),
      ctx,
    });
    expect(out.planned?.policy).toBe('{"a": 1}');
  });
});

describe('plannedProblems', () => {
  it('checks block counts and wholly unknown blocks', () => {
    expect(plannedProblems(SCHEMA, { ...prior, rule: [] }, config(), null)).toEqual(['rule: planned 0 block(s), config has 1']);
    expect(plannedProblems(SCHEMA, { ...prior, rule: UNKNOWN }, config(), null)).toEqual([
      'rule: a nested block must not be wholly unknown',
    ]);
  });
});

describe('applyChange', () => {
  it('creates, keeping known planned values over the result', async () => {
    const planned: CtyObject = { id: UNKNOWN, name: 'n', zone: 'z1', region: UNKNOWN, policy: null, rule: [{ key: 'a', priority: 3 }] };
    const state = await applyChange(resource(), { prior: null, planned, config: config(), ctx });
    expect(state).toEqual({ id: 'i-2', name: 'n', zone: 'z1', region: 'us-east-1', policy: null, rule: [{ key: 'a', priority: 3 }] });
  });

  it('rejects a result that is still unknown', async () => {
    const lazy = resource({ create: async (_c, planned) => planned });
    const planned: CtyObject = { id: UNKNOWN, name: 'n', zone: 'z1', region: 'r', policy: null, rule: [] };
    await expect(applyChange(lazy, { prior: null, planned, config: config(), ctx })).rejects.toThrow(
      'aws_test apply returned unknown values',
    );
  });

  it('deletes when planned is null', async () => {
    const deleted: CtyObject[] = [];
    const r = resource({ delete: async (_c, p) => void deleted.push(p) });
    expect(await applyChange(r, { prior, planned: null, config: null, ctx })).toBeNull();
    expect(deleted).toEqual([prior]);
  });

  it('keepPlanned fills only unknown places from the result', () => {
    expect(keepPlanned({ a: UNKNOWN, b: [1, UNKNOWN], c: 'x' }, { a: 1, b: [9, 2], c: 'y' })).toEqual({ a: 1, b: [1, 2], c: 'x' });
  });
});
