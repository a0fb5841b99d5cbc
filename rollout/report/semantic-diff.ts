/**
 * What changes for the guardrail when a unit replaces the one in force in a phase: the semantic
 * diff of the two releases' specs (guardrail/diff.ts) plus that of their enforcement settings and
 * exceptions (model/unit-diff.ts), and its markdown section of the reviewer report. Pure.
 */
import { guardrailDiff, type DiffItem } from '../../guardrail/diff.js';
import type { PromotedUnit } from '../../model/unit.js';
import { unitDiff } from '../../model/unit-diff.js';
import type { Environment } from '../../model/types.js';

/**
 * What the diff was taken against. `nothing-in-force`: first promotion into an empty phase, so
 * nothing is weakened. `release-unknown`: the release in force is no longer defined (or defined
 * differently) in the environment, so only enforcement settings and exceptions are compared.
 */
export type DiffBasis = 'in-force' | 'nothing-in-force' | 'release-unknown';

export interface SemanticDiff {
  basis: DiffBasis;
  items: DiffItem[];
}

type UnitPart = Pick<PromotedUnit, 'release' | 'enforcement' | 'exceptions'>;

/** The diff from the unit in force in a phase (null/undefined: nothing) to the candidate. */
export function semanticDiff(env: Environment, inForce: UnitPart | null | undefined, candidate: UnitPart): SemanticDiff {
  if (!inForce) return { basis: 'nothing-in-force', items: [] };
  const spec = (u: UnitPart) =>
    env.releases.find((r) => r.name === u.release.name && r.contentHash === u.release.contentHash)?.definition.toSpec();
  const before = spec(inForce);
  const after = spec(candidate);
  const enforcement = unitDiff(inForce, candidate);
  if (!before || !after) return { basis: 'release-unknown', items: enforcement };
  return { basis: 'in-force', items: [...guardrailDiff(before, after), ...enforcement] };
}

/** Table titles by the first segment of an item's path, in the order they are shown. */
const SECTIONS: [string, string][] = [
  ['contentFilters', 'Content filters'],
  ['promptAttack', 'Prompt attack'],
  ['topics', 'Denied topics'],
  ['piiEntities', 'PII entities'],
  ['regexes', 'Regexes'],
  ['words', 'Words'],
  ['managedWordLists', 'Managed word lists'],
  ['contextualGrounding', 'Contextual grounding'],
  ['messaging', 'Blocked messaging'],
  ['tier', 'Tiers'],
  ['crossRegion', 'Cross-Region profile'],
  ['kmsKeyArn', 'KMS key'],
  ['automatedReasoning', 'Automated Reasoning'],
  ['description', 'Description'],
  ['enforcement', 'Enforcement settings'],
  ['exceptions', 'Exceptions'],
];

const EFFECT_TEXT = { weakens: '⚠ weakens', strengthens: 'strengthens', neutral: 'neutral' } as const;

/** A cell for a before/after value: whole entries (added/removed) read as present/absent, the summary says what they hold. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)';
  if (typeof v === 'object') return 'present';
  return String(v);
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report's "What changes for the guardrail" section (markdown lines, starting with a blank one). */
export function renderSemanticDiff(r: {
  phase: string;
  guardrailDiffBasis: DiffBasis | null;
  guardrailDiff: DiffItem[];
  currentRelease: string | null;
}): string[] {
  // Reports built without a semantic diff (old callers) show no section rather than a wrong one.
  if (!r.guardrailDiffBasis) return [];
  const d = { phase: r.phase, basis: r.guardrailDiffBasis, items: r.guardrailDiff, currentRelease: r.currentRelease };
  const out = ['', '### What changes for the guardrail', ''];
  if (d.basis === 'nothing-in-force') {
    out.push(`Nothing is in force on ${d.phase} yet: no diff (a first promotion weakens nothing).`);
    return out;
  }
  if (d.basis === 'release-unknown')
    out.push(
      `The release in force (${d.currentRelease ?? 'unknown'}) is not defined in this environment: only enforcement settings and exceptions are compared.`,
      '',
    );
  if (!d.items.length) {
    out.push('No semantic change.');
    return out;
  }
  const weakening = d.items.filter((i) => i.effect === 'weakens').length;
  out.push(
    weakening
      ? `**${weakening} weakening change(s)**: promote refuses them unless \`--accept-weakening "<reason>"\` is given.`
      : 'No weakening change.',
  );
  for (const [key, title] of SECTIONS) {
    const rows = d.items.filter((i) => i.path === key || i.path.startsWith(`${key}.`));
    if (!rows.length) continue;
    out.push('', `**${title}**`, '', '| effect | change | before | after |', '|---|---|---|---|');
    for (const i of rows) out.push(`| ${[EFFECT_TEXT[i.effect], i.summary, cell(i.before), cell(i.after)].map(esc).join(' | ')} |`);
  }
  return out;
}
