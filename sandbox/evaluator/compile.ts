/**
 * Precompiles a guardrail configuration into per-source matchers once, so that evaluating a
 * prompt is a handful of regex passes. Cached by configuration object identity (a guardrail
 * version's config is immutable once published; DRAFT updates replace the object).
 */
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { CATEGORY_LEXICON, PROMPT_ATTACK_PATTERNS, type Category } from './lexicons.js';
import { piiDetector, type PiiDetector } from './pii.js';
import { clearStemMemo, contentTokens, normalise, phraseSource } from './text.js';
import type { ConfigAction, GuardrailConfig, Source, Strength } from './types.js';

export interface CompiledTopic {
  name: string;
  action: ConfigAction;
  nameNorm: string;
  nameTokens: string[];
  defTokens: string[];
  examples: { norm: string; tokens: string[] }[];
}
export interface CompiledFilter {
  type: Category | 'PROMPT_ATTACK';
  strength: Strength;
  action: ConfigAction;
}
export interface CompiledPii {
  type: string;
  action: ConfigAction;
  detect: PiiDetector;
}
export interface CompiledRegex {
  name: string;
  pattern: string;
  re: RegExp | null;
  action: ConfigAction;
}
export interface CompiledGrounding {
  type: 'GROUNDING' | 'RELEVANCE';
  threshold: number;
  action: ConfigAction;
}

export interface CompiledSource {
  topics: CompiledTopic[];
  filters: CompiledFilter[];
  words: { re: RegExp; byText: Map<string, { text: string; action: ConfigAction }> } | null;
  profanity: { action: ConfigAction } | null;
  pii: CompiledPii[];
  regexes: CompiledRegex[];
  grounding: CompiledGrounding[];
}

export interface CompiledGuardrail {
  INPUT: CompiledSource;
  OUTPUT: CompiledSource;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  hasAutomatedReasoning: boolean;
}

let profanityMatcher: RegExpMatcher | undefined;
/** The maintained English profanity dataset (obscenity), built once per process. */
export function profanity(): RegExpMatcher {
  profanityMatcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return profanityMatcher;
}

// Per-token memo of profanity hits (local [start, end) spans). Exact because, with the recommended
// transformers (no skipNonAlphabetic), no blacklisted pattern of the English dataset can match
// across whitespace, so the hits of a text are the hits of its whitespace-separated tokens.
const PROFANITY_MEMO = new Map<string, [number, number][]>();
let profanityMemoLimit = 100_000;

/** Caps the per-token memo (the memo is cleared when it grows past the cap). */
export function setProfanityMemoLimit(limit: number): void {
  profanityMemoLimit = limit;
}
const NON_SPACE = /\S+/g;

/** Forgets memoised per-token results (benchmarks use it to measure the cold path). */
export function clearTokenMemos(): void {
  PROFANITY_MEMO.clear();
  clearStemMemo();
}

/** Profanity hits of a text as [start, end) spans, sorted. */
export function profanitySpans(text: string): [number, number][] {
  const tokens: [string, number][] = [];
  NON_SPACE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NON_SPACE.exec(text)) !== null) tokens.push([m[0], m.index]);
  // Bound the memo; clear BEFORE collecting unknown tokens so every token of this text is looked up.
  if (PROFANITY_MEMO.size > profanityMemoLimit) PROFANITY_MEMO.clear();
  const unknown = [...new Set(tokens.map(([t]) => t).filter((t) => !PROFANITY_MEMO.has(t)))];
  if (unknown.length > 0) {
    const starts: number[] = [];
    let joined = '';
    for (const t of unknown) {
      starts.push(joined.length);
      joined += `${t} `;
    }
    const local = unknown.map(() => [] as [number, number][]);
    for (const hit of profanity().getAllMatches(joined, true)) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= hit.startIndex) lo = mid;
        else hi = mid - 1;
      }
      local[lo].push([hit.startIndex - starts[lo], hit.endIndex + 1 - starts[lo]]);
    }
    unknown.forEach((t, i) => {
      PROFANITY_MEMO.set(t, local[i]);
    });
  }
  const out: [number, number][] = [];
  for (const [t, at] of tokens) for (const [s, e] of PROFANITY_MEMO.get(t)!) out.push([at + s, at + e]);
  return out;
}

/** One regex over every category term; the match (lower-cased, single-spaced) keys LEXICON_INDEX. */
export const LEXICON_INDEX = new Map<string, { category: Category; weight: number }>();
for (const [category, terms] of Object.entries(CATEGORY_LEXICON) as [Category, Record<string, number>][]) {
  for (const [term, weight] of Object.entries(terms)) LEXICON_INDEX.set(term, { category, weight });
}
export const LEXICON_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...LEXICON_INDEX.keys()]
    .sort((a, b) => b.length - a.length)
    .map(phraseSource)
    .join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
export const PROMPT_ATTACK_RE = new RegExp(PROMPT_ATTACK_PATTERNS.map(([p]) => `(${p})`).join('|'), 'gi');

const enabledFor = (src: Source, item: { inputEnabled?: boolean; outputEnabled?: boolean }) =>
  (src === 'INPUT' ? item.inputEnabled : item.outputEnabled) ?? true;
function actionFor(src: Source, item: { inputAction?: string; outputAction?: string; action?: string }, dflt: ConfigAction): ConfigAction {
  return ((src === 'INPUT' ? item.inputAction : item.outputAction) ?? item.action ?? dflt) as ConfigAction;
}

function compileSource(config: GuardrailConfig, src: Source): CompiledSource {
  const topics: CompiledTopic[] = (config.topicPolicyConfig?.topicsConfig ?? [])
    .filter((t) => enabledFor(src, t))
    .map((t) => ({
      name: t.name ?? '',
      action: actionFor(src, t, 'BLOCK'),
      nameNorm: normalise(t.name ?? ''),
      nameTokens: [...new Set(contentTokens(t.name ?? ''))],
      defTokens: [...new Set(contentTokens(t.definition ?? ''))],
      examples: (t.examples ?? []).map((e) => ({ norm: normalise(e), tokens: [...new Set(contentTokens(e))] })),
    }));

  const filters: CompiledFilter[] = (config.contentPolicyConfig?.filtersConfig ?? [])
    .filter((f) => enabledFor(src, f))
    // Bedrock applies PROMPT_ATTACK to input only (its outputStrength must be NONE).
    .filter((f) => !(src === 'OUTPUT' && f.type === 'PROMPT_ATTACK'))
    .map((f) => ({
      type: f.type as CompiledFilter['type'],
      strength: ((src === 'INPUT' ? f.inputStrength : f.outputStrength) ?? 'NONE') as Strength,
      action: actionFor(src, f, 'BLOCK'),
    }));

  const wordItems = (config.wordPolicyConfig?.wordsConfig ?? []).filter((w) => enabledFor(src, w) && w.text);
  let words: CompiledSource['words'] = null;
  if (wordItems.length > 0) {
    const byText = new Map<string, { text: string; action: ConfigAction }>();
    for (const w of wordItems)
      byText.set(w.text!.trim().toLowerCase().replace(/\s+/g, ' '), { text: w.text!, action: actionFor(src, w, 'BLOCK') });
    const alternation = [...byText.keys()]
      .sort((a, b) => b.length - a.length)
      .map(phraseSource)
      .join('|');
    words = { re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation})(?![\\p{L}\\p{N}])`, 'giu'), byText };
  }
  const managed = (config.wordPolicyConfig?.managedWordListsConfig ?? []).find((m) => m.type === 'PROFANITY' && enabledFor(src, m));
  const profanityCfg = managed ? { action: actionFor(src, managed, 'BLOCK') } : null;
  if (profanityCfg) profanity();

  const sip = config.sensitiveInformationPolicyConfig;
  const pii: CompiledPii[] = (sip?.piiEntitiesConfig ?? [])
    .filter((p) => enabledFor(src, p))
    .map((p) => ({ type: p.type as string, action: actionFor(src, p, 'BLOCK'), detect: piiDetector(p.type as string) }));
  const regexes: CompiledRegex[] = (sip?.regexesConfig ?? [])
    .filter((r) => enabledFor(src, r))
    .map((r) => {
      let re: RegExp | null = null;
      try {
        re = new RegExp(r.pattern ?? '', 'g');
      } catch {
        re = null; /* invalid patterns are rejected by CreateGuardrail */
      }
      return { name: r.name ?? '', pattern: r.pattern ?? '', re, action: actionFor(src, r, 'BLOCK') };
    });

  // Contextual grounding checks model responses only.
  const grounding: CompiledGrounding[] =
    src === 'INPUT'
      ? []
      : (config.contextualGroundingPolicyConfig?.filtersConfig ?? [])
          .filter((g) => g.enabled ?? true)
          .map((g) => ({
            type: g.type as 'GROUNDING' | 'RELEVANCE',
            threshold: g.threshold ?? 0,
            action: (g.action ?? 'BLOCK') as ConfigAction,
          }));

  return { topics, filters, words, profanity: profanityCfg, pii, regexes, grounding };
}

const cache = new WeakMap<object, CompiledGuardrail>();

export function compileGuardrail(config: GuardrailConfig): CompiledGuardrail {
  let c = cache.get(config);
  if (!c) {
    c = {
      INPUT: compileSource(config, 'INPUT'),
      OUTPUT: compileSource(config, 'OUTPUT'),
      blockedInputMessaging: config.blockedInputMessaging ?? 'Sorry, the model cannot answer this question.',
      blockedOutputsMessaging: config.blockedOutputsMessaging ?? 'Sorry, the model cannot answer this question.',
      hasAutomatedReasoning: (config.automatedReasoningPolicyConfig?.policies?.length ?? 0) > 0,
    };
    cache.set(config, c);
  }
  return c;
}
