import { canonicalSha256 } from '../../../core/canonical-json.js';
import type { ChangeAction, ResourceChange } from '../../state/contracts.js';

export interface TfPlanJson {
  format_version?: string;
  terraform_version?: string;
  resource_changes?: {
    address: string;
    mode?: string;
    type: string;
    name?: string;
    change: { actions: string[]; before?: unknown; after?: unknown };
  }[];
  output_changes?: Record<string, { actions: string[]; before?: unknown; after?: unknown }>;
}

export function actionOf(actions: string[]): ChangeAction | 'read' {
  const a = [...actions].sort().join(',');
  switch (a) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      return 'replace';
    case 'no-op':
      return 'no-op';
    case 'read':
      return 'read';
    default:
      throw new Error(`unknown Terraform change actions ${JSON.stringify(actions)}`);
  }
}

export function parsePlanJson(plan: TfPlanJson): { changes: ResourceChange[]; outputChanges: Record<string, ChangeAction> } {
  const changes: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue; // data sources are reads, not changes to the organization
    const action = actionOf(rc.change.actions);
    if (action === 'read') continue;
    changes.push({
      address: rc.address,
      type: rc.type,
      action,
      before: rc.change.before ?? undefined,
      after: rc.change.after ?? undefined,
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
