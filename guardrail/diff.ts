/**
 * Semantic diff of two guardrail specs (pure): what a reviewer needs to see when the release in
 * force in a phase is replaced by another. A content hash only says *that* a guardrail changed;
 * this says *what* changed per policy type and whether the change weakens protection, so a
 * removed PII entity or a lowered strength cannot ride along unnoticed when no smoke case covers
 * it. The weakening rules are documented in docs/rollout.md ("Weakening changes").
 */
import type { FilterStrength } from './catalog.js';
import type { Directional, GuardrailSpec } from './spec.js';

export type DiffEffect = 'weakens' | 'strengthens' | 'neutral';

/** One semantic difference. `path` names the part (`piiEntities.EMAIL.outputAction`); its first segment is the policy type. */
export interface DiffItem {
  path: string;
  before: unknown;
  after: unknown;
  effect: DiffEffect;
  summary: string;
}

const STRENGTH_RANK: Record<FilterStrength, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
/** Covers both action vocabularies: NONE only detects, ANONYMIZE masks, BLOCK blocks. */
const ACTION_RANK: Record<string, number> = { NONE: 0, ANONYMIZE: 1, BLOCK: 2 };

/** Effect of a value moving along an order where higher protects more. */
function byRank(before: number, after: number): DiffEffect {
  return after < before ? 'weakens' : after > before ? 'strengthens' : 'neutral';
}

const fmt = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function item(path: string, before: unknown, after: unknown, effect: DiffEffect, summary: string): DiffItem {
  return { path, before, after, effect, summary };
}

/** "BLOCK" when both directions agree, else "input BLOCK, output ANONYMIZE". */
function actionText(d: Directional<string>): string {
  return d.inputAction === d.outputAction ? d.inputAction : `input ${d.inputAction}, output ${d.outputAction}`;
}

/** Action and enabled flag per direction: the settings every filter kind but grounding shares. */
function directionalItems(path: string, label: string, b: Directional<string>, a: Directional<string>): DiffItem[] {
  const out: DiffItem[] = [];
  for (const dir of ['input', 'output'] as const) {
    const actionKey = `${dir}Action` as const;
    if (b[actionKey] !== a[actionKey]) {
      const effect = byRank(ACTION_RANK[b[actionKey]], ACTION_RANK[a[actionKey]]);
      out.push(
        item(`${path}.${actionKey}`, b[actionKey], a[actionKey], effect, `${label} ${dir} action ${b[actionKey]} → ${a[actionKey]}`),
      );
    }
    const enabledKey = `${dir}Enabled` as const;
    if (b[enabledKey] !== a[enabledKey]) {
      const effect = a[enabledKey] ? 'strengthens' : 'weakens';
      out.push(
        item(
          `${path}.${enabledKey}`,
          b[enabledKey],
          a[enabledKey],
          effect,
          `${label} ${a[enabledKey] ? 'enabled' : 'disabled'} for ${dir}`,
        ),
      );
    }
  }
  return out;
}

/**
 * Pairs two keyed lists: removed entries weaken, added ones strengthen, common ones are compared
 * by `fields`. Set-like policies (filters by type, topics and regexes by name, words by text).
 */
function keyed<T>(
  section: string,
  before: T[],
  after: T[],
  key: (x: T) => string,
  /** How people name the entry (`x` is the entry: words show their text as written). */
  label: (k: string, x: T) => string,
  was: (x: T) => string,
  fields: (path: string, name: string, b: T, a: T) => DiffItem[],
): DiffItem[] {
  const bm = new Map(before.map((x) => [key(x), x]));
  const am = new Map(after.map((x) => [key(x), x]));
  const out: DiffItem[] = [];
  for (const [k, b] of bm) {
    const a = am.get(k);
    const path = `${section}.${k}`;
    if (!a) out.push(item(path, b, null, 'weakens', `${label(k, b)} removed (was ${was(b)})`));
    else out.push(...fields(path, label(k, a), b, a));
  }
  for (const [k, a] of am) if (!bm.has(k)) out.push(item(`${section}.${k}`, null, a, 'strengthens', `${label(k, a)} added (${was(a)})`));
  return out;
}

/** Modalities a filter reads, one item per modality added or removed. */
function modalityItems(path: string, label: string, dir: 'input' | 'output', b: string[], a: string[]): DiffItem[] {
  const out: DiffItem[] = [];
  for (const m of b)
    if (!a.includes(m)) out.push(item(`${path}.${dir}Modalities`, b, a, 'weakens', `${label} no longer reads ${m} ${dir}`));
  for (const m of a) if (!b.includes(m)) out.push(item(`${path}.${dir}Modalities`, b, a, 'strengthens', `${label} now reads ${m} ${dir}`));
  return out;
}

type Filter = GuardrailSpec['contentFilters'][number];

function filterFields(path: string, label: string, b: Filter, a: Filter): DiffItem[] {
  const out: DiffItem[] = [];
  for (const dir of ['input', 'output'] as const) {
    const k = `${dir}Strength` as const;
    if (b[k] !== a[k]) {
      const effect = byRank(STRENGTH_RANK[b[k]], STRENGTH_RANK[a[k]]);
      out.push(
        item(
          `${path}.${k}`,
          b[k],
          a[k],
          effect,
          `${label} ${dir} strength ${effect === 'weakens' ? 'lowered' : 'raised'} ${b[k]} → ${a[k]}`,
        ),
      );
    }
  }
  out.push(...directionalItems(path, label, b, a));
  out.push(...modalityItems(path, label, 'input', b.inputModalities, a.inputModalities));
  out.push(...modalityItems(path, label, 'output', b.outputModalities, a.outputModalities));
  return out;
}

const strengths = (f: Filter) => `input ${f.inputStrength}, output ${f.outputStrength}`;

/** A changed scalar whose direction cannot be judged from the value (text, ARN, tier). */
function neutral(path: string, label: string, b: unknown, a: unknown): DiffItem[] {
  if (JSON.stringify(b) === JSON.stringify(a)) return [];
  return [item(path, b, a, 'neutral', `${label} changed: ${b === null ? 'none' : fmt(b)} → ${a === null ? 'none' : fmt(a)}`)];
}

/** Every semantic difference from `before` (in force) to `after` (promoted). Empty when they mean the same. */
export function guardrailDiff(before: GuardrailSpec, after: GuardrailSpec): DiffItem[] {
  const isAttack = (f: Filter) => f.type === 'PROMPT_ATTACK';
  const out: DiffItem[] = [];
  out.push(
    ...keyed(
      'contentFilters',
      before.contentFilters.filter((f) => !isAttack(f)),
      after.contentFilters.filter((f) => !isAttack(f)),
      (f) => f.type,
      (k) => `content filter ${k}`,
      strengths,
      filterFields,
    ),
  );
  // PROMPT_ATTACK is a content filter in the API, but reviewers read it as its own policy.
  out.push(
    ...keyed(
      'promptAttack',
      before.contentFilters.filter(isAttack),
      after.contentFilters.filter(isAttack),
      () => 'PROMPT_ATTACK',
      () => 'prompt attack filter',
      (f) => `input ${f.inputStrength}`,
      (_path, label, b, a) => filterFields('promptAttack', label, b, a),
    ),
  );
  out.push(
    ...keyed(
      'topics',
      before.topics,
      after.topics,
      (t) => t.name,
      (k) => `denied topic "${k}"`,
      actionText,
      (path, label, b, a) => [
        // A reworded definition or new examples can narrow or widen the topic: shown, not judged.
        ...neutral(`${path}.definition`, `${label} definition`, b.definition, a.definition),
        ...neutral(`${path}.examples`, `${label} examples`, b.examples, a.examples),
        ...directionalItems(path, label, b, a),
      ],
    ),
  );
  out.push(
    ...keyed(
      'piiEntities',
      before.piiEntities,
      after.piiEntities,
      (p) => p.type,
      (k) => `PII entity ${k}`,
      actionText,
      (path, label, b, a) => directionalItems(path, label, b, a),
    ),
  );
  out.push(
    ...keyed(
      'regexes',
      before.regexes,
      after.regexes,
      (r) => r.name,
      (k) => `regex ${k}`,
      actionText,
      (path, label, b, a) => [
        ...neutral(`${path}.pattern`, `${label} pattern`, b.pattern, a.pattern),
        ...neutral(`${path}.description`, `${label} description`, b.description, a.description),
        ...directionalItems(path, label, b, a),
      ],
    ),
  );
  // Words match case-insensitively, so a word re-cased is the same word.
  out.push(
    ...keyed(
      'words',
      before.words,
      after.words,
      (w) => w.text.toLowerCase(),
      (_k, w) => `word "${w.text}"`,
      actionText,
      (path, label, b, a) => directionalItems(path, label, b, a),
    ),
  );
  out.push(
    ...keyed(
      'managedWordLists',
      before.managedWordLists,
      after.managedWordLists,
      (m) => m.type,
      (k) => `managed word list ${k}`,
      actionText,
      (path, label, b, a) => directionalItems(path, label, b, a),
    ),
  );
  out.push(
    ...keyed(
      'contextualGrounding',
      before.contextualGrounding,
      after.contextualGrounding,
      (g) => g.type,
      (k) => `grounding check ${k}`,
      (g) => `threshold ${g.threshold}, ${g.action}`,
      (path, label, b, a) => {
        const items: DiffItem[] = [];
        if (b.threshold !== a.threshold) {
          const effect = byRank(b.threshold, a.threshold);
          items.push(
            item(
              `${path}.threshold`,
              b.threshold,
              a.threshold,
              effect,
              `${label} threshold ${effect === 'weakens' ? 'lowered' : 'raised'} ${b.threshold} → ${a.threshold}`,
            ),
          );
        }
        if (b.action !== a.action)
          items.push(
            item(
              `${path}.action`,
              b.action,
              a.action,
              byRank(ACTION_RANK[b.action], ACTION_RANK[a.action]),
              `${label} action ${b.action} → ${a.action}`,
            ),
          );
        if (b.enabled !== a.enabled)
          items.push(
            item(
              `${path}.enabled`,
              b.enabled,
              a.enabled,
              a.enabled ? 'strengthens' : 'weakens',
              `${label} ${a.enabled ? 'enabled' : 'disabled'}`,
            ),
          );
        return items;
      },
    ),
  );
  // Messaging, description, tiers, profile, key: what callers see or where it runs, not what is caught.
  out.push(
    ...neutral('messaging.blockedInputMessaging', 'blocked input messaging', before.blockedInputMessaging, after.blockedInputMessaging),
  );
  out.push(
    ...neutral(
      'messaging.blockedOutputsMessaging',
      'blocked output messaging',
      before.blockedOutputsMessaging,
      after.blockedOutputsMessaging,
    ),
  );
  out.push(...neutral('tier.contentTier', 'content filter tier', before.contentTier, after.contentTier));
  out.push(...neutral('tier.topicTier', 'denied topic tier', before.topicTier, after.topicTier));
  out.push(
    ...neutral(
      'crossRegion.guardrailProfileArn',
      'cross-Region profile',
      before.crossRegion?.guardrailProfileArn ?? null,
      after.crossRegion?.guardrailProfileArn ?? null,
    ),
  );
  out.push(...neutral('kmsKeyArn', 'KMS key', before.kmsKeyArn, after.kmsKeyArn));
  out.push(...neutral('automatedReasoning', 'Automated Reasoning checks', before.automatedReasoning, after.automatedReasoning));
  out.push(...neutral('description', 'description', before.description, after.description));
  return out;
}

/** The items that weaken protection (what `promote` refuses without --accept-weakening). */
export const weakeningItems = (items: readonly DiffItem[]): DiffItem[] => items.filter((i) => i.effect === 'weakens');
