/**
 * `terraform show -json <plan>` → the engine's changes, per the documented plan format
 * (https://developer.hashicorp.com/terraform/internals/json-format). Action lists, as
 * internal/command/jsonplan emits them:
 *   ["no-op"] ["create"] ["read"] ["update"] ["delete","create"] ["create","delete"] ["delete"]
 *   ["forget"] (Terraform ≥ 1.7) ["create","forget"]
 * A delete or replace of an object whose prior state has `skip_destroy = true` is shown as a
 * forget: the provider only drops it from state (rollout/state/change-action.ts).
 */
import { canonicalSha256 } from '../../../core/canonical-json.js';
import { ToolingError } from '../../../core/errors.js';
import { deleteAction, replaceAction } from '../../state/change-action.js';
import type { ChangeAction, ResourceChange } from '../../state/contracts.js';

/** The plan format major version this parser reads; a new major is not backward compatible. */
export const SUPPORTED_FORMAT_MAJOR = 1;

export interface TfChange {
  actions: string[];
  before?: unknown;
  after?: unknown;
  /** Present when the change also imports the object; its contents are optional by the docs. */
  importing?: { id?: string } | null;
}

export interface TfPlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: {
    address: string;
    mode?: string;
    type: string;
    name?: string;
    change: TfChange;
  }[];
  output_changes?: Record<string, TfChange>;
}

/** Terraform's action list as one action; `prior` (change.before) tells a forget from a delete. Order matters: ["create","forget"] only. */
export function actionOf(actions: string[], prior?: unknown): ChangeAction | 'read' {
  switch (actions.join(',')) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return deleteAction(prior);
    case 'delete,create':
    case 'create,delete':
      return replaceAction(prior);
    case 'forget':
      return 'forget';
    case 'create,forget':
      return 'replace-forget';
    case 'no-op':
      return 'no-op';
    case 'read':
      return 'read';
    default:
      throw new ToolingError(`unknown Terraform change actions ${JSON.stringify(actions)}`);
  }
}

/** Refuses a plan whose format this parser cannot read (the docs: reject an unsupported major version). */
export function checkFormatVersion(plan: Pick<TfPlanJson, 'format_version' | 'terraform_version'>): void {
  const v = plan.format_version;
  const by = `terraform_version ${plan.terraform_version ?? 'unknown'}`;
  if (typeof v !== 'string' || !v) {
    throw new ToolingError(`the plan JSON has no format_version (${by}): it is not \`terraform show -json\` output of a saved plan`);
  }
  const major = Number(/^(\d+)\./.exec(v)?.[1] ?? Number.NaN);
  if (major !== SUPPORTED_FORMAT_MAJOR) {
    throw new ToolingError(
      `the plan JSON has format_version "${v}" (${by}); rollout reads format ${SUPPORTED_FORMAT_MAJOR}.x only: use a Terraform or OpenTofu release that writes it, or upgrade rollout`,
    );
  }
}

function importIdOf(change: TfChange): string | undefined {
  if (!change.importing || typeof change.importing !== 'object') return undefined;
  return typeof change.importing.id === 'string' ? change.importing.id : '';
}

export function parsePlanJson(plan: TfPlanJson): { changes: ResourceChange[]; outputChanges: Record<string, ChangeAction> } {
  checkFormatVersion(plan);
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue; // data sources are reads, not changes to the organization
    let action = actionOf(rc.change.actions, rc.change.before);
    if (action === 'read') continue;
    const importId = importIdOf(rc.change);
    // An import with nothing else to do still writes state: it is a change, not a no-op.
    if (importId !== undefined && action === 'no-op') action = 'import';
    changes.push({
      address: rc.address,
      type: rc.type,
      action,
      before: rc.change.before ?? undefined,
      after: rc.change.after ?? undefined,
      ...(importId !== undefined ? { importId } : {}),
    });
  }
  const outputChanges: Record<string, ChangeAction> = {};
  for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
    const action = actionOf(oc.actions);
    if (action !== 'read') outputChanges[name] = action;
  }
  return { changes, outputChanges };
}

/** sha256 of the key-sorted JSON of the plan content: the same plan always hashes the same. */
export function planHashOf(stack: string, changes: ResourceChange[], outputChanges: Record<string, ChangeAction> = {}): string {
  return canonicalSha256({ stack, changes, outputChanges });
}
