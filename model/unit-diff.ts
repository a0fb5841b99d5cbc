/**
 * Semantic diff of the enforcement half of two promoted units (pure): guarding modes, model
 * lists and exceptions, in the item shape of `guardrail/diff.ts`. A unit can weaken what is
 * enforced without touching the guardrail (a model newly excluded, system prompts turned
 * selective, an exception added or extended), so these items join the guardrail's in the
 * reviewer report and in promote's weakening refusal (docs/rollout.md, "Weakening changes").
 */
import { canonicalJson } from '../core/canonical-json.js';
import type { DiffEffect, DiffItem } from '../guardrail/diff.js';
import type { PromotedUnit } from './unit.js';
import type { EnforcementException, GuardingMode } from './types.js';

type UnitPart = Pick<PromotedUnit, 'enforcement' | 'exceptions'>;

function item(path: string, before: unknown, after: unknown, effect: DiffEffect, summary: string): DiffItem {
  return { path, before, after, effect, summary };
}

/** comprehensive evaluates everything; selective only what the caller tags. */
function modeEffect(before: GuardingMode, after: GuardingMode): DiffEffect {
  return before === after ? 'neutral' : after === 'selective' ? 'weakens' : 'strengthens';
}

/** Exclusions and relaxed modes that an exception's `changes` grant, compared one by one. */
function changeItems(id: string, b: EnforcementException, a: EnforcementException): DiffItem[] {
  const out: DiffItem[] = [];
  const path = `exceptions.${id}.changes`;
  const bx = b.changes.excludedModels ?? [];
  const ax = a.changes.excludedModels ?? [];
  for (const m of ax)
    if (!bx.includes(m)) out.push(item(`${path}.excludedModels`, bx, ax, 'weakens', `exception ${id} now also excludes ${m}`));
  for (const m of bx)
    if (!ax.includes(m)) out.push(item(`${path}.excludedModels`, bx, ax, 'strengthens', `exception ${id} no longer excludes ${m}`));
  for (const k of ['system', 'messages'] as const) {
    const bv = b.changes[k];
    const av = a.changes[k];
    if (bv === av) continue;
    // An exception only ever relaxes: setting selective relaxes, dropping the key restores the default.
    const effect: DiffEffect =
      av === 'selective' ? 'weakens' : av === undefined ? 'strengthens' : bv === 'selective' ? 'strengthens' : 'neutral';
    out.push(item(`${path}.${k}`, bv ?? null, av ?? null, effect, `exception ${id} ${k}: ${bv ?? 'unset'} → ${av ?? 'unset'}`));
  }
  return out;
}

function exceptionItems(before: EnforcementException[], after: EnforcementException[]): DiffItem[] {
  const bm = new Map(before.map((x) => [x.id, x]));
  const am = new Map(after.map((x) => [x.id, x]));
  const out: DiffItem[] = [];
  for (const [id, a] of am) {
    const b = bm.get(id);
    const path = `exceptions.${id}`;
    if (!b) {
      out.push(item(path, null, a, 'weakens', `exception ${id} added (target ${a.target}, until ${a.expires})`));
      continue;
    }
    if (a.expires !== b.expires) {
      // ISO dates compare as strings.
      const later = a.expires > b.expires;
      out.push(
        item(
          `${path}.expires`,
          b.expires,
          a.expires,
          later ? 'weakens' : 'strengthens',
          `exception ${id} ${later ? 'extended' : 'shortened'} ${b.expires} → ${a.expires}`,
        ),
      );
    }
    // A new target grants the deviation to accounts that did not have it.
    if (a.target !== b.target)
      out.push(item(`${path}.target`, b.target, a.target, 'weakens', `exception ${id} target ${b.target} → ${a.target}`));
    out.push(...changeItems(id, b, a));
    for (const k of ['owner', 'reason', 'approver', 'ticket'] as const) {
      if (canonicalJson(b[k] ?? null) !== canonicalJson(a[k] ?? null))
        out.push(item(`${path}.${k}`, b[k] ?? null, a[k] ?? null, 'neutral', `exception ${id} ${k} changed`));
    }
  }
  for (const [id, b] of bm)
    if (!am.has(id)) out.push(item(`exceptions.${id}`, b, null, 'strengthens', `exception ${id} no longer in force`));
  return out;
}

/** Every semantic difference of enforcement settings and exceptions from `before` (in force) to `after`. */
export function unitDiff(before: UnitPart, after: UnitPart): DiffItem[] {
  const out: DiffItem[] = [];
  const b = before.enforcement;
  const a = after.enforcement;
  for (const k of ['system', 'messages'] as const) {
    if (b[k] !== a[k]) out.push(item(`enforcement.${k}`, b[k], a[k], modeEffect(b[k], a[k]), `${k} ${b[k]} → ${a[k]}`));
  }
  for (const m of b.models.included)
    if (!a.models.included.includes(m))
      out.push(item('enforcement.models.included', m, null, 'weakens', `model ${m} removed from included`));
  for (const m of a.models.included)
    if (!b.models.included.includes(m)) out.push(item('enforcement.models.included', null, m, 'strengthens', `model ${m} newly included`));
  for (const m of a.models.excluded)
    if (!b.models.excluded.includes(m)) out.push(item('enforcement.models.excluded', null, m, 'weakens', `model ${m} newly excluded`));
  for (const m of b.models.excluded)
    if (!a.models.excluded.includes(m))
      out.push(item('enforcement.models.excluded', m, null, 'strengthens', `model ${m} no longer excluded`));
  out.push(...exceptionItems(before.exceptions, after.exceptions));
  return out;
}
