/**
 * Shared setup for the resource tests of the provider double (a TEST DOUBLE of hashicorp/aws for
 * the emulator, never used against AWS): an in-process sandbox, a configured `awsProvider`, full
 * cty objects from partial ones, and a minimal stand-in for the framework's generic planning
 * (computed attributes unknown on create, prior values of computed attributes on update) before
 * the resource's own `plan` hook.
 */
import { closeProviderContext, awsProvider } from '../../provider-double/provider.js';
import {
  type BlockSchema,
  type CtyObject,
  type CtyValue,
  type ProviderContext,
  type ResourceType,
  UNKNOWN,
} from '../../provider-double/types.js';
import type { SandboxHandle } from '../../sandbox/index.js';
import { MGMT, start } from '../helpers/sandbox.js';

/** `partial` with every attribute of `schema` (null when absent) and every block ([] / null when absent). */
export function filled(schema: BlockSchema, partial: Record<string, unknown> = {}): CtyObject {
  const out: CtyObject = {};
  for (const name of Object.keys(schema.attributes)) out[name] = name in partial ? (partial[name] as CtyValue) : null;
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = partial[name];
    if (nested.nesting === 'single') out[name] = v ? filled(nested.block, v as Record<string, unknown>) : null;
    else out[name] = Array.isArray(v) ? v.map((e) => filled(nested.block, e as Record<string, unknown>)) : [];
  }
  return out;
}

export interface DoubleFixture {
  sb: SandboxHandle;
  /** Base credentials of an account (its seeded access key) as provider arguments. */
  keys(account?: string): { access_key: string; secret_key: string };
  /** A full provider configuration: region, the three endpoints, plus `extra`. */
  providerConfig(extra?: Record<string, unknown>): CtyObject;
  configure(extra?: Record<string, unknown>): Promise<ProviderContext>;
  close(): Promise<void>;
}

export async function startDouble(): Promise<DoubleFixture> {
  const sb = await start();
  const contexts: ProviderContext[] = [];
  const fx: DoubleFixture = {
    sb,
    keys(account = MGMT) {
      const k = sb.accounts[account]!;
      return { access_key: k.accessKeyId, secret_key: k.secretAccessKey };
    },
    providerConfig(extra = {}) {
      const url = sb.endpoint;
      return filled(awsProvider.schema, {
        region: sb.region,
        endpoints: [{ bedrock: url, organizations: url, sts: url }],
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_region_validation: true,
        skip_metadata_api_check: 'true',
        ...extra,
      });
    },
    async configure(extra = {}) {
      const ctx = await awsProvider.configure(fx.providerConfig({ ...fx.keys(), ...extra }), '1.11.4');
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      for (const c of contexts) closeProviderContext(c);
      await sb.close();
    },
  };
  return fx;
}

/** Computed attributes (top level and in blocks) the configuration leaves null become unknown. */
function unknownComputed(schema: BlockSchema, config: CtyObject): CtyObject {
  const out: CtyObject = { ...config };
  for (const [name, a] of Object.entries(schema.attributes)) if (a.computed && out[name] === null) out[name] = UNKNOWN;
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = out[name];
    if (Array.isArray(v)) out[name] = v.map((e) => unknownComputed(nested.block, e as CtyObject));
    else if (v && typeof v === 'object') out[name] = unknownComputed(nested.block, v as CtyObject);
  }
  return out;
}

/** Terraform's proposed new state on update: config, with prior values where a computed attribute is not configured. */
function proposed(schema: BlockSchema, prior: CtyObject, config: CtyObject): CtyObject {
  const out: CtyObject = { ...config };
  for (const [name, a] of Object.entries(schema.attributes)) if (a.computed && out[name] === null) out[name] = prior[name] ?? null;
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = out[name];
    const p = prior[name];
    if (Array.isArray(v))
      out[name] = v.map((e, i) => proposed(nested.block, ((Array.isArray(p) ? p[i] : undefined) as CtyObject) ?? {}, e as CtyObject));
  }
  return out;
}

export async function planCreate(rt: ResourceType, ctx: ProviderContext, config: CtyObject): Promise<CtyObject> {
  const planned = unknownComputed(rt.schema, config);
  return rt.plan ? rt.plan({ prior: null, proposed: planned, config, ctx }, planned) : planned;
}

export async function planUpdate(rt: ResourceType, ctx: ProviderContext, prior: CtyObject, config: CtyObject): Promise<CtyObject> {
  const p = proposed(rt.schema, prior, config);
  return rt.plan ? rt.plan({ prior, proposed: p, config, ctx }, p) : p;
}

/** plan + create, as `terraform apply` does for a new resource. */
export async function createVia(rt: ResourceType, ctx: ProviderContext, partialConfig: Record<string, unknown>): Promise<CtyObject> {
  const config = filled(rt.schema, partialConfig);
  return rt.create(ctx, await planCreate(rt, ctx, config), config);
}

/** plan + update. */
export async function updateVia(
  rt: ResourceType,
  ctx: ProviderContext,
  prior: CtyObject,
  partialConfig: Record<string, unknown>,
): Promise<CtyObject> {
  const config = filled(rt.schema, partialConfig);
  return rt.update(ctx, prior, await planUpdate(rt, ctx, prior, config), config);
}

/** Does the value hold UNKNOWN anywhere? */
export function hasUnknown(v: CtyValue): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === 'object') return Object.values(v).some(hasUnknown);
  return false;
}
