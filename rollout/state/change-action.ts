/**
 * The one vocabulary of planned changes shared by both engines, the reviewer report and the
 * terminal: which actions exist, which leave the old object in AWS (skip_destroy, Terraform's
 * forget), and how each is shown. An engine decides a delete or a replace through
 * `deleteAction`/`replaceAction`, so a `skip_destroy` object is a forget in both engines.
 */
import type { ChangeAction, ResourceChange } from './contracts.js';

/** Every action, in the order the report counts them. */
export const CHANGE_ACTIONS: readonly ChangeAction[] = [
  'create',
  'update',
  'replace',
  'replace-forget',
  'delete',
  'forget',
  'import',
  'no-op',
];

/**
 * `skip_destroy = true` in the prior state (the recorded object, Terraform's `change.before`):
 * the provider's delete only drops it from state, AWS keeps it
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail_version).
 */
export function skipsDestroy(prior: unknown): boolean {
  return Boolean(prior && typeof prior === 'object' && (prior as Record<string, unknown>).skip_destroy === true);
}

/** A planned delete of an object with this prior state: a forget when AWS keeps it. */
export function deleteAction(prior: unknown): 'delete' | 'forget' {
  return skipsDestroy(prior) ? 'forget' : 'delete';
}

/** A planned replacement of an object with this prior state: the old one is forgotten when AWS keeps it. */
export function replaceAction(prior: unknown): 'replace' | 'replace-forget' {
  return skipsDestroy(prior) ? 'replace-forget' : 'replace';
}

/** The old object leaves management but stays in AWS. */
export function keepsInAws(action: ChangeAction): boolean {
  return action === 'forget' || action === 'replace-forget';
}

const LABELS: Record<ChangeAction, string> = {
  create: 'create',
  update: 'update',
  replace: 'replace',
  'replace-forget': 'replace (old kept in AWS)',
  delete: 'delete',
  forget: 'forget (kept in AWS)',
  import: 'import',
  'no-op': 'no-op',
};

/** How a change reads in the report and on the terminal, e.g. "forget (kept in AWS)". */
export function changeLabel(c: Pick<ResourceChange, 'action' | 'importId'>): string {
  const label = LABELS[c.action];
  if (c.importId === undefined || c.action === 'import') return c.importId ? `import (id ${c.importId})` : label;
  return `${label}, import${c.importId ? ` (id ${c.importId})` : ''}`;
}
