/**
 * Contracts inside the orchestrator: engines (how a synthesized stack reaches AWS or the
 * sandbox) and gates (evidence that a phase works). Promotion (rollout/flows/) decides
 * *whether* to advance; gates (rollout/gates/) only produce evidence — the Argo Rollouts split.
 */
import type { Environment, Phase } from '../../model/types.js';
import type { StackArtifact, StackName } from '../../stacks/artifact.js';

/**
 * What a plan does to one resource (rollout/state/change-action.ts labels them and says which
 * leave the object in AWS):
 *  - `forget`: no longer managed, the object stays in AWS: Terraform's ["forget"] (a `removed`
 *    block with `destroy = false`) and any delete of an object whose prior state has
 *    `skip_destroy = true` (the provider only drops it from state);
 *  - `replace-forget`: a new object is created and the old one is forgotten, not destroyed
 *    (Terraform's ["create","forget"], or a replace of a `skip_destroy` object);
 *  - `import`: an existing object is adopted as it is (Terraform's `importing` on a no-op).
 */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'replace-forget' | 'forget' | 'import' | 'no-op';

export interface ResourceChange {
  address: string; // e.g. aws_organizations_policy.baseline
  type: string;
  action: ChangeAction;
  before?: unknown;
  after?: unknown;
  /** Terraform only: the id an import adopts (`change.importing.id`), with any action. */
  importId?: string;
}

export interface EnginePlan {
  stack: StackName;
  changes: ResourceChange[];
  /** sha256 of the canonical plan content; recorded in the ledger and checked at apply. */
  planHash: string;
  /** Engine-specific handle (terraform: the saved plan file). */
  handle?: string;
}

export interface ApplyResult {
  stack: StackName;
  outputs: Record<string, unknown>;
}

export interface Engine {
  readonly name: 'sandbox' | 'terraform';
  plan(stack: StackArtifact): Promise<EnginePlan>;
  /** Applies exactly the given plan (never re-plans silently). */
  apply(stack: StackArtifact, plan: EnginePlan): Promise<ApplyResult>;
  outputs(stack: StackName): Promise<Record<string, unknown>>;
}

export type GateName = 'preflight' | 'propagation' | 'smoke' | 'effective-policy' | 'bake' | 'approval';
export type GateStatus = 'passed' | 'failed' | 'inconclusive';

export interface CheckResult {
  id: string; // e.g. "smoke:must-block-violence@222222222222/us-east-1"
  status: GateStatus;
  detail: string;
  account?: string;
  region?: string;
  evidence?: unknown;
}

export interface GateResult {
  gate: GateName;
  status: GateStatus;
  summary: string;
  checks: CheckResult[];
  startedAt: string;
  finishedAt: string;
}

/** Published guardrail version of a release in one region (management or pilot account). */
export interface PublishedVersion {
  account: string;
  region: string;
  guardrailArn: string; // unversioned
  guardrailId: string;
  version: string; // numeric
}

export interface GateContext {
  env: Environment;
  phase: Phase;
  release: string;
  asOf: Date;
}
