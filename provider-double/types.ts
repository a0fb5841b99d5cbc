/**
 * The contract between the protocol side of the provider double (server, msgpack codec, generic
 * plan logic) and the resource types it serves. TEST DOUBLE of hashicorp/aws for the emulator:
 * never used against AWS (docs/provider-double.md).
 *
 * Values are plain JS in the shape of the schema ("cty values"): every attribute and every nested
 * block type of a block is present as a key; null = absent; LIST/SET blocks are arrays ([] when
 * absent), SINGLE blocks an object or null; numbers are JS numbers; UNKNOWN marks a value known
 * only after apply (plan time only: never in a read, apply or import result).
 */

/** cty type, as Terraform writes it in JSON (https://github.com/zclconf/go-cty/blob/main/cty/json.go). */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', Readonly<Record<string, CtyType>>];

export interface AttributeSchema {
  /** Exactly one of `type` and `nested` (nested attributes: protocol 6 only, as awscc uses them). */
  readonly type?: CtyType;
  readonly nested?: { readonly nesting: 'single' | 'list' | 'set' | 'map'; readonly attributes: Readonly<Record<string, AttributeSchema>> };
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** A change of this attribute (prior → planned) forces replacement (RequiresReplace). */
  readonly forceNew?: boolean;
  readonly description?: string;
  /** Config-time check of a known, non-null value: an error message, or undefined when valid. */
  readonly validate?: (value: CtyValue) => string | undefined;
}

export interface NestedBlockSchema {
  readonly nesting: 'single' | 'list' | 'set';
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly block: BlockSchema;
}

export interface BlockSchema {
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, NestedBlockSchema>>;
  readonly description?: string;
}

/** Marks a value unknown during plan ("(known after apply)"). */
export const UNKNOWN: unique symbol = Symbol.for('provider-double.unknown');
export type Unknown = typeof UNKNOWN;

export type CtyValue = null | string | number | boolean | Unknown | CtyValue[] | { [key: string]: CtyValue };
export type CtyObject = { [key: string]: CtyValue };

/** A diagnostic for Terraform; `path` = attribute names / list indexes from the resource root. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly path?: readonly (string | number)[];
}

/** Raised by resource code: becomes an error diagnostic (never a gRPC error). */
export class ProviderError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly path?: readonly (string | number)[],
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
  }
}

/** What a configured provider instance hands every resource call (one per provider process). */
export interface ProviderContext {
  /** The provider's region (provider `region`). */
  readonly region: string;
  /** SDK v3 clients for `region` (or another region), with the assume_role chain applied and the `endpoints {}` URLs. */
  clients(region?: string): ProviderClients;
}

/** Structural: the resource files import the SDK client classes; the framework never does. */
export interface ProviderClients {
  readonly bedrock: import('@aws-sdk/client-bedrock').BedrockClient;
  readonly organizations: import('@aws-sdk/client-organizations').OrganizationsClient;
}

export interface PlanRequest {
  readonly prior: CtyObject | null;
  /** Terraform's proposed new state: config merged with prior values of computed attributes. */
  readonly proposed: CtyObject;
  readonly config: CtyObject;
  readonly ctx: ProviderContext;
}

/**
 * One resource type. The framework does the generic part of planning (computed attributes
 * unknown on create, forceNew → requires_replace, computed values unknown on replace, values
 * checked against the schema); `plan` may then adjust the planned state (e.g. keep the prior
 * policy string when the configured one is equivalent JSON, mark `updated_at` unknown on update,
 * fill a default such as `region` from the provider).
 */
export interface ResourceType {
  readonly name: string;
  /** Where the schema was transcribed from (provider source or docs URL). */
  readonly source: string;
  readonly version: number;
  readonly schema: BlockSchema;
  /** Extra config validation beyond the schema (e.g. exactly one of two arguments). */
  validate?(config: CtyObject): Diagnostic[];
  plan?(req: PlanRequest, planned: CtyObject): CtyObject | Promise<CtyObject>;
  /** planned may still hold UNKNOWN where only apply can tell; the result must not. */
  create(ctx: ProviderContext, planned: CtyObject, config: CtyObject): Promise<CtyObject>;
  /** The object as it is now in AWS, or null when it is gone (Terraform then plans a re-create). */
  read(ctx: ProviderContext, state: CtyObject): Promise<CtyObject | null>;
  update(ctx: ProviderContext, prior: CtyObject, planned: CtyObject, config: CtyObject): Promise<CtyObject>;
  delete(ctx: ProviderContext, prior: CtyObject): Promise<void>;
  /** `terraform import` / `import {}`: the id string as the provider documents it. */
  import?(ctx: ProviderContext, id: string): Promise<CtyObject>;
}

/** The provider: its configuration block and how a configuration becomes a ProviderContext. */
export interface ProviderType {
  /** e.g. registry.terraform.io/hashicorp/aws */
  readonly address: string;
  readonly source: string;
  readonly schema: BlockSchema;
  configure(config: CtyObject, terraformVersion: string): Promise<ProviderContext>;
  readonly resources: readonly ResourceType[];
}
