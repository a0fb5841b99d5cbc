/**
 * The tfplugin6 Provider service over a ProviderType. Part of the provider double, a TEST DOUBLE
 * of hashicorp/aws for the local emulator (never used against AWS). Methods and fields follow
 * https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/tfplugin6.8.proto;
 * methods not listed here answer UNIMPLEMENTED (grpc-js does that for missing handlers).
 * Every failure in resource code is returned as an error diagnostic, never as a gRPC error.
 */
import type * as grpc from '@grpc/grpc-js';
import { decodeBlock, decodeStateJson, encodeBlock } from './cty.js';
import { errorDiagnostic, type ProtoDiagnostic, toProtoDiagnostic, toProtoPath } from './diagnostics.js';
import { startPluginHost } from './host.js';
import { log } from './log.js';
import { applyChange, assertKnown, planChange } from './plan.js';
import { toProtoSchema, validateConfig } from './schema.js';
import type { BlockSchema, CtyObject, Diagnostic, ProviderContext, ProviderType, ResourceType } from './types.js';

interface DynamicValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}
type Request = Record<string, unknown> & { type_name?: string };
type Response = Record<string, unknown>;

const EMPTY_BLOCK: BlockSchema = { attributes: {} };

/** Terraform 1.11.4 sends msgpack only; an unset or empty DynamicValue is null. */
function decodeDv(dv: unknown, block: BlockSchema): CtyObject | null {
  return decodeBlock((dv as DynamicValue | undefined)?.msgpack, block);
}
const dv = (value: CtyObject | null, block: BlockSchema) => ({ msgpack: Buffer.from(encodeBlock(value, block)) });
const diags = (ds: Diagnostic[], block?: BlockSchema): ProtoDiagnostic[] => ds.map((d) => toProtoDiagnostic(d, block));

/** The handlers, keyed by method name; exported for in-process tests. */
export function providerHandlers(provider: ProviderType): Record<string, (req: Request) => Promise<Response>> {
  const resources = new Map<string, ResourceType>(provider.resources.map((r) => [r.name, r]));
  let ctx: ProviderContext | undefined;

  const resource = (name: string | undefined): ResourceType => {
    const r = resources.get(name ?? '');
    if (!r) throw new Error(`unknown resource type ${name}`);
    return r;
  };
  const context = (): ProviderContext => {
    if (!ctx) throw new Error('the provider is not configured (ConfigureProvider failed or was not called)');
    return ctx;
  };

  return {
    async GetProviderSchema() {
      return {
        provider: toProtoSchema(provider.schema),
        resource_schemas: Object.fromEntries(provider.resources.map((r) => [r.name, toProtoSchema(r.schema, r.version)])),
        data_source_schemas: {},
        ephemeral_resource_schemas: {},
        functions: {},
        // An empty provider_meta block rather than none: convert code dereferences what it gets.
        provider_meta: toProtoSchema(EMPTY_BLOCK),
        diagnostics: [],
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false },
      };
    },

    async ValidateProviderConfig(req) {
      const config = decodeDv(req.config, provider.schema) ?? {};
      return { diagnostics: diags(validateConfig(provider.schema, config), provider.schema) };
    },

    async ValidateResourceConfig(req) {
      const r = resource(req.type_name);
      const config = decodeDv(req.config, r.schema) ?? {};
      const found = [...validateConfig(r.schema, config), ...(r.validate?.(config) ?? [])];
      return { diagnostics: diags(found, r.schema) };
    },

    async UpgradeResourceState(req) {
      const r = resource(req.type_name);
      const raw = req.raw_state as { json?: Uint8Array } | undefined;
      if (!raw?.json || raw.json.length === 0) throw new Error('only JSON raw state is supported (no flatmap)');
      return { upgraded_state: dv(decodeStateJson(raw.json, r.schema), r.schema), diagnostics: [] };
    },

    async ConfigureProvider(req) {
      const config = decodeDv(req.config, provider.schema) ?? {};
      ctx = await provider.configure(config, String(req.terraform_version ?? ''));
      return { diagnostics: [] };
    },

    async ReadResource(req) {
      const r = resource(req.type_name);
      const current = decodeDv(req.current_state, r.schema);
      // Private bytes pass through: the double keeps nothing there.
      const priv = req.private ?? Buffer.alloc(0);
      try {
        const now = current === null ? null : await r.read(context(), current);
        if (now) assertKnown(now, `${r.name} read`);
        return { new_state: dv(now, r.schema), private: priv, diagnostics: [] };
      } catch (e) {
        // A failed read must not look like "the object is gone": hand the current state back.
        return { new_state: dv(current, r.schema), private: priv, diagnostics: diags([errorDiagnostic(e, 'ReadResource')], r.schema) };
      }
    },

    async PlanResourceChange(req) {
      const r = resource(req.type_name);
      const out = await planChange(r, {
        prior: decodeDv(req.prior_state, r.schema),
        proposed: decodeDv(req.proposed_new_state, r.schema),
        config: decodeDv(req.config, r.schema),
        ctx: context(),
      });
      return {
        planned_state: dv(out.planned, r.schema),
        requires_replace: out.requiresReplace.map((p) => toProtoPath(p, r.schema)),
        planned_private: req.prior_private ?? Buffer.alloc(0),
        diagnostics: [],
      };
    },

    async ApplyResourceChange(req) {
      const r = resource(req.type_name);
      const prior = decodeDv(req.prior_state, r.schema);
      const priv = req.planned_private ?? Buffer.alloc(0);
      try {
        const planned = decodeDv(req.planned_state, r.schema);
        const state = await applyChange(r, { prior, planned, config: decodeDv(req.config, r.schema), ctx: context() });
        return { new_state: dv(state, r.schema), private: priv, diagnostics: [] };
      } catch (e) {
        // Terraform saves new_state even with errors: a null one would drop an object that still
        // exists after a failed update or delete, so the prior state is returned (null after a failed create).
        return { new_state: dv(prior, r.schema), private: priv, diagnostics: diags([errorDiagnostic(e, 'ApplyResourceChange')], r.schema) };
      }
    },

    async ImportResourceState(req) {
      const r = resource(req.type_name);
      if (!r.import) throw new Error(`${r.name} does not support import`);
      const state = await r.import(context(), String(req.id ?? ''));
      assertKnown(state, `${r.name} import`);
      return { imported_resources: [{ type_name: r.name, state: dv(state, r.schema), private: Buffer.alloc(0) }], diagnostics: [] };
    },

    async StopProvider() {
      return { Error: '' };
    },
  };
}

/** grpc-js unary handlers; a thrown error becomes `{ diagnostics: [error] }` with status OK. */
export function providerService(provider: ProviderType): grpc.UntypedServiceImplementation {
  const handlers = providerHandlers(provider);
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, fn] of Object.entries(handlers)) {
    out[name] = (call: grpc.ServerUnaryCall<Request, Response>, callback: grpc.sendUnaryData<Response>) => {
      const started = Date.now();
      fn(call.request).then(
        (res) => {
          log(`${name} ${call.request.type_name ?? ''} ok ${Date.now() - started}ms`);
          callback(null, res);
        },
        (e: unknown) => {
          log(`${name} ${call.request.type_name ?? ''} failed:`, e);
          const schema = provider.resources.find((r) => r.name === call.request.type_name)?.schema ?? provider.schema;
          const diagnostic = toProtoDiagnostic(errorDiagnostic(e, name), schema);
          callback(null, name === 'StopProvider' ? { Error: String(e) } : { diagnostics: [diagnostic] });
        },
      );
    };
  }
  return out;
}

/** Runs the executable side: go-plugin handshake, then serves `provider` until Terraform shuts it down. */
export async function serve(provider: ProviderType): Promise<void> {
  await startPluginHost((server, services) => server.addService(services.provider, providerService(provider)));
}
