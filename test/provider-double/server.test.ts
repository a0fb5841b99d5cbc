/** The tfplugin6 handlers of the provider double (provider-double/server.ts), in process, with the toy provider. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlock, encodeBlock } from '../../provider-double/cty.js';
import { toProtoPath } from '../../provider-double/diagnostics.js';
import { providerHandlers } from '../../provider-double/server.js';
import { type CtyObject, ProviderError, type ProviderType, UNKNOWN } from '../../provider-double/types.js';
import { toyProvider, toyThing } from './fixtures/toy-provider.js';

const dv = (v: CtyObject | null, schema = toyThing.schema) => ({ msgpack: Buffer.from(encodeBlock(v, schema)) });
const config = (over: CtyObject = {}): CtyObject => ({
  id: null,
  arn: null,
  name: 'n1',
  zone: 'z',
  label: null,
  tags: null,
  rule: [],
  ...over,
});

describe('provider handlers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pd-server-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers GetProviderSchema with the capabilities Terraform 1.11.4 reads', async () => {
    const res: any = await providerHandlers(toyProvider).GetProviderSchema({});
    expect(res.server_capabilities).toEqual({ plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false });
    expect(Object.keys(res.resource_schemas)).toEqual(['aws_toy_thing']);
    expect(res.provider_meta).toEqual({
      version: 0,
      block: { version: 0, attributes: [], block_types: [], description: '', description_kind: 'PLAIN' },
    });
  });

  it('returns validation problems as diagnostics with attribute paths', async () => {
    const h = providerHandlers(toyProvider);
    const res: any = await h.ValidateResourceConfig({ type_name: 'aws_toy_thing', config: dv(config({ name: 'Bad!' })) });
    expect(res.diagnostics).toEqual([
      {
        severity: 'ERROR',
        summary: 'Invalid value',
        detail: 'name: lowercase letters, digits and - only',
        attribute: { steps: [{ attribute_name: 'name' }] },
      },
    ]);
    const provider: any = await h.ValidateProviderConfig({ config: dv({ region: null, store: null }, toyProvider.schema) });
    expect(provider.diagnostics[0].summary).toBe('Missing required argument');
  });

  it('round-trips a create through plan and apply, then reads and upgrades it', async () => {
    const h = providerHandlers(toyProvider);
    await h.ConfigureProvider({
      terraform_version: '1.11.4',
      config: dv({ region: 'eu-west-1', store: join(dir, 's.json') }, toyProvider.schema),
    });
    const cfg = config({ rule: [{ key: 'k', priority: null }] });
    const plan: any = await h.PlanResourceChange({
      type_name: 'aws_toy_thing',
      prior_state: dv(null),
      proposed_new_state: dv(cfg),
      config: dv(cfg),
    });
    const planned = decodeBlock(plan.planned_state.msgpack, toyThing.schema)!;
    expect(planned).toEqual({ ...cfg, id: UNKNOWN, arn: UNKNOWN, rule: [{ key: 'k', priority: UNKNOWN }] });
    const applied: any = await h.ApplyResourceChange({
      type_name: 'aws_toy_thing',
      prior_state: dv(null),
      planned_state: plan.planned_state,
      config: dv(cfg),
    });
    expect(applied.diagnostics).toEqual([]);
    const state = decodeBlock(applied.new_state.msgpack, toyThing.schema)!;
    expect(state.arn).toBe(`arn:aws:toy:eu-west-1:000000000000:thing/${String(state.id)}`);
    const upgraded: any = await h.UpgradeResourceState({
      type_name: 'aws_toy_thing',
      version: 0,
      raw_state: { json: Buffer.from(JSON.stringify(state, null, 2)) },
    });
    expect(decodeBlock(upgraded.upgraded_state.msgpack, toyThing.schema)).toEqual(state);
    const read: any = await h.ReadResource({ type_name: 'aws_toy_thing', current_state: dv(state) });
    expect(decodeBlock(read.new_state.msgpack, toyThing.schema)).toEqual(state);
  });

  it('reads a vanished object as null and keeps the state when a read fails', async () => {
    const failing: ProviderType = {
      ...toyProvider,
      resources: [
        {
          ...toyThing,
          read: async (_c, s) => {
            if (s.id === 'boom') throw new ProviderError('Read failed', 'emulator down', ['id']);
            return null;
          },
        },
      ],
    };
    const h = providerHandlers(failing);
    await h.ConfigureProvider({ config: dv({ region: null, store: join(dir, 'x.json') }, toyProvider.schema) });
    const gone: any = await h.ReadResource({ type_name: 'aws_toy_thing', current_state: dv(config({ id: 'gone' })) });
    expect(gone.new_state.msgpack).toEqual(Buffer.from([0xc0]));
    const failed: any = await h.ReadResource({ type_name: 'aws_toy_thing', current_state: dv(config({ id: 'boom' })) });
    expect(decodeBlock(failed.new_state.msgpack, toyThing.schema)?.id).toBe('boom');
    expect(failed.diagnostics).toEqual([
      { severity: 'ERROR', summary: 'Read failed', detail: 'emulator down', attribute: { steps: [{ attribute_name: 'id' }] } },
    ]);
  });

  it('answers StopProvider with an empty Error', async () => {
    expect(await providerHandlers(toyProvider).StopProvider({})).toEqual({ Error: '' });
  });
});

describe('toProtoPath', () => {
  it('uses element keys for list indexes and map keys', () => {
    expect(toProtoPath(['rule', 1, 'key'], toyThing.schema)).toEqual({
      steps: [{ attribute_name: 'rule' }, { element_key_int: 1 }, { attribute_name: 'key' }],
    });
    expect(toProtoPath(['tags', 'team'], toyThing.schema)).toEqual({ steps: [{ attribute_name: 'tags' }, { element_key_string: 'team' }] });
  });
});
