/**
 * The one-line verdict of a plan, summed over its stacks, shared by the markdown report and the
 * terminal view so both say the same thing: counts per kind of change, and which kinds need a
 * reviewer's attention (replace and destroy remove an object from AWS; forget leaves it there).
 * Pure.
 */
import type { ChangeAction } from '../state/contracts.js';

export type HeadlineKind = 'add' | 'change' | 'replace' | 'destroy' | 'forget' | 'import';

export interface HeadlinePart {
  kind: HeadlineKind;
  count: number;
  /** e.g. "2 to add", "1 to forget (kept in AWS)". */
  text: string;
}

const TEXT: Record<HeadlineKind, string> = {
  add: 'to add',
  change: 'to change',
  replace: 'to replace',
  destroy: 'to destroy',
  forget: 'to forget (kept in AWS)',
  import: 'to import',
};

/** Totals over the stacks; a replace whose old object is kept counts as a replace and as a forget (as countsText does). */
export function planTotals(stacks: readonly { counts: Record<ChangeAction, number> }[]): Record<HeadlineKind, number> {
  const t: Record<HeadlineKind, number> = { add: 0, change: 0, replace: 0, destroy: 0, forget: 0, import: 0 };
  for (const { counts: c } of stacks) {
    t.add += c.create;
    t.change += c.update;
    t.replace += c.replace + c['replace-forget'];
    t.destroy += c.delete;
    t.forget += c.forget + c['replace-forget'];
    t.import += c.import;
  }
  return t;
}

/** The non-zero parts in a fixed order; empty when nothing changes. */
export function headlineParts(stacks: readonly { counts: Record<ChangeAction, number> }[]): HeadlinePart[] {
  const t = planTotals(stacks);
  return (Object.keys(TEXT) as HeadlineKind[]).filter((k) => t[k] > 0).map((k) => ({ kind: k, count: t[k], text: `${t[k]} ${TEXT[k]}` }));
}

/** Resources a reviewer must look at twice: replaced or destroyed (their objects leave AWS). */
export function destructiveResources(
  stacks: readonly { stack: string; resources: { address: string; action: ChangeAction; label: string }[] }[],
): { stack: string; address: string; label: string }[] {
  return stacks.flatMap((s) =>
    s.resources
      .filter((r) => r.action === 'replace' || r.action === 'replace-forget' || r.action === 'delete')
      .map((r) => ({ stack: s.stack, address: r.address, label: r.label })),
  );
}
