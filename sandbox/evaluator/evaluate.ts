/**
 * evaluateGuardrail: the pure guardrail evaluator used by ApplyGuardrail, Converse and
 * InvokeModel. Produces Bedrock's GuardrailAssessment shape
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailAssessment.html).
 */
import type {
  GuardrailContentFilter,
  GuardrailContextualGroundingFilter,
  GuardrailCustomWord,
  GuardrailManagedWord,
  GuardrailPiiEntityFilter,
  GuardrailRegexFilter,
  GuardrailTopic,
  GuardrailUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { INSTRUCTION_CUES, PROMPT_ATTACK_PATTERNS } from './lexicons.js';
import { compileGuardrail, LEXICON_INDEX, LEXICON_RE, profanitySpans, PROMPT_ATTACK_RE, type CompiledSource } from './compile.js';
import type { Span } from './pii.js';
import { contentTokens, normalise } from './text.js';
import type {
  Confidence,
  ConfigAction,
  EvaluationInput,
  EvaluationResult,
  GuardrailAssessment,
  GuardrailConfig,
  Strength,
} from './types.js';

/** Tunables of the heuristics (documented in docs/evaluator.md). */
export const heuristics = {
  /** Failure story 3: instruction-dense text at least this long is flagged as a prompt attack… */
  longPromptChars: 20_000,
  /** …when it has at least this many instruction cues per 1,000 characters… */
  longPromptCuesPerThousand: 3,
  /** …with this confidence, i.e. only a HIGH-strength PROMPT_ATTACK filter blocks it. */
  longPromptConfidence: 'LOW' as Confidence,
  /** Topic matched when this share of an example's content words (at least 2, or its only word) appears in the text. */
  topicExampleOverlap: 0.5,
  /** Topic matched when ≥ 2 definition keywords appear and hits / min(keywords, 6) reaches this. */
  topicDefinitionScore: 0.5,
};

export function configureHeuristics(overrides: Partial<typeof heuristics>): void {
  Object.assign(heuristics, overrides);
}

const RANK: Record<Confidence, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
/** Lowest confidence a filter of the given strength blocks: HIGH strength blocks LOW+, LOW strength only HIGH. */
const STRENGTH_MIN: Record<Strength, number> = { NONE: 99, LOW: 3, MEDIUM: 2, HIGH: 1 };

function confidenceOf(weight: number): Confidence {
  return weight >= 4 ? 'HIGH' : weight >= 2 ? 'MEDIUM' : weight >= 1 ? 'LOW' : 'NONE';
}

const assessed = (a: ConfigAction): 'BLOCKED' | 'ANONYMIZED' | 'NONE' =>
  a === 'BLOCK' ? 'BLOCKED' : a === 'ANONYMIZE' ? 'ANONYMIZED' : 'NONE';

function isGuarded(q?: string[]): boolean {
  return !q || q.length === 0 || q.includes('guard_content');
}

function scanRegex(re: RegExp, text: string): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, match: m[0] });
  }
  return out;
}

function wordAround(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  while (s > 0 && /[\p{L}\p{N}]/u.test(text[s - 1])) s--;
  while (e < text.length && /[\p{L}\p{N}]/u.test(text[e])) e++;
  return text.slice(s, e);
}

function mask(text: string, spans: { start: number; end: number; label: string }[]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const s of spans) {
    if (s.start < pos) continue; // overlapping detections: the earliest, longest span wins
    out += `${text.slice(pos, s.start)}{${s.label}}`;
    pos = s.end;
  }
  return out + text.slice(pos);
}

function contentFilters(
  c: CompiledSource,
  text: string,
  promptAttackAllowed: boolean,
  full: boolean,
  state: State,
): GuardrailContentFilter[] {
  if (c.filters.length === 0) return [];
  const weights: Record<string, number> = {};
  const needsLexicon = c.filters.some((f) => f.type !== 'PROMPT_ATTACK' && f.strength !== 'NONE');
  if (needsLexicon) {
    LEXICON_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = LEXICON_RE.exec(text)) !== null) {
      const hit = LEXICON_INDEX.get(m[0].toLowerCase().replace(/\s+/g, ' '));
      if (hit) weights[hit.category] = (weights[hit.category] ?? 0) + hit.weight;
    }
  }
  const out: GuardrailContentFilter[] = [];
  for (const f of c.filters) {
    let confidence: Confidence;
    if (f.type === 'PROMPT_ATTACK') {
      if (!promptAttackAllowed) continue;
      confidence = promptAttackConfidence(text, f.strength);
    } else {
      confidence = confidenceOf(weights[f.type] ?? 0);
    }
    const detected = RANK[confidence] >= STRENGTH_MIN[f.strength];
    if (!detected && !full) continue;
    const action = detected && f.action === 'BLOCK' ? 'BLOCKED' : 'NONE';
    if (detected)
      state.hit(
        f.action === 'BLOCK' ? 'BLOCK' : 'NONE',
        `contentPolicy ${f.type} confidence ${confidence} at strength ${f.strength} → ${action}`,
      );
    out.push({ type: f.type, confidence, filterStrength: f.strength, action, detected });
  }
  return out;
}

function promptAttackConfidence(text: string, strength: Strength): Confidence {
  if (strength === 'NONE') return 'NONE';
  let weight = 0;
  PROMPT_ATTACK_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PROMPT_ATTACK_RE.exec(text)) !== null) {
    for (let g = 1; g < m.length; g++)
      if (m[g] !== undefined) {
        weight += PROMPT_ATTACK_PATTERNS[g - 1][1];
        break;
      }
    if (weight >= 4) break;
  }
  let confidence = confidenceOf(weight);
  if (text.length >= heuristics.longPromptChars && RANK[confidence] < RANK[heuristics.longPromptConfidence]) {
    const cues = text.match(INSTRUCTION_CUES)?.length ?? 0;
    if ((cues * 1000) / text.length >= heuristics.longPromptCuesPerThousand) confidence = heuristics.longPromptConfidence;
  }
  return confidence;
}

function topicChecks(c: CompiledSource, text: string, textTokens: () => string[], full: boolean, state: State): GuardrailTopic[] {
  if (c.topics.length === 0) return [];
  const norm = normalise(text);
  const tokens = new Set(textTokens());
  const out: GuardrailTopic[] = [];
  for (const t of c.topics) {
    let why = '';
    if (norm.includes(t.nameNorm) || (t.nameTokens.length > 0 && t.nameTokens.every((x) => tokens.has(x)))) why = 'topic name';
    if (!why) {
      for (const ex of t.examples) {
        if (ex.tokens.length === 0) continue;
        const hits = ex.tokens.filter((x) => tokens.has(x)).length;
        if (
          norm.includes(ex.norm) ||
          (hits >= Math.min(2, ex.tokens.length) && hits / ex.tokens.length >= heuristics.topicExampleOverlap)
        ) {
          why = 'example overlap';
          break;
        }
      }
    }
    if (!why && t.defTokens.length > 0) {
      const hits = t.defTokens.filter((x) => tokens.has(x)).length;
      if (hits >= 2 && hits / Math.min(t.defTokens.length, 6) >= heuristics.topicDefinitionScore) why = 'definition keywords';
    }
    const detected = why !== '';
    if (!detected && !full) continue;
    const action = detected && t.action === 'BLOCK' ? 'BLOCKED' : 'NONE';
    if (detected) state.hit(t.action, `topicPolicy "${t.name}" (${why}) → ${action}`);
    out.push({ name: t.name, type: 'DENY', action, detected });
  }
  return out;
}

function groundingChecks(
  c: CompiledSource,
  responseTokens: () => string[],
  sources: string[],
  queries: string[],
  state: State,
): GuardrailContextualGroundingFilter[] {
  if (c.grounding.length === 0) return [];
  const resp = [...new Set(responseTokens())];
  const out: GuardrailContextualGroundingFilter[] = [];
  for (const g of c.grounding) {
    // Without the matching qualifier there is nothing to score against: the check is skipped.
    const ref = g.type === 'GROUNDING' ? sources : queries;
    if (ref.length === 0) continue;
    const refTokens = new Set(contentTokens(ref.join('\n')));
    let score: number;
    if (g.type === 'GROUNDING') {
      score = resp.length === 0 ? 1 : resp.filter((x) => refTokens.has(x)).length / resp.length;
    } else {
      const respSet = new Set(resp);
      score = refTokens.size === 0 ? 1 : [...refTokens].filter((x) => respSet.has(x)).length / refTokens.size;
    }
    score = Math.round(score * 100) / 100;
    const detected = score < g.threshold;
    const action = detected && g.action === 'BLOCK' ? 'BLOCKED' : 'NONE';
    if (detected) state.hit(g.action, `contextualGroundingPolicy ${g.type} score ${score} < threshold ${g.threshold} → ${action}`);
    out.push({ type: g.type, threshold: g.threshold, score, action, detected });
  }
  return out;
}

class State {
  blocked = false;
  anonymized = false;
  detectedOnly = false;
  reasons: string[] = [];
  hit(action: ConfigAction, reason: string) {
    if (action === 'BLOCK') this.blocked = true;
    else if (action === 'ANONYMIZE') this.anonymized = true;
    else this.detectedOnly = true;
    this.reasons.push(reason);
  }
}

function usageFor(c: CompiledSource, guardedChars: number): GuardrailUsage {
  // Bedrock bills per text unit of up to 1,000 characters, per configured safeguard.
  const units = guardedChars === 0 ? 0 : Math.ceil(guardedChars / 1000);
  const onlyRegex = c.pii.length === 0 && c.regexes.length > 0;
  return {
    topicPolicyUnits: c.topics.length ? units : 0,
    contentPolicyUnits: c.filters.length ? units : 0,
    wordPolicyUnits: c.words || c.profanity ? units : 0,
    sensitiveInformationPolicyUnits: c.pii.length ? units : 0,
    sensitiveInformationPolicyFreeUnits: onlyRegex ? units : 0,
    contextualGroundingPolicyUnits: c.grounding.length ? units : 0,
  };
}

export function evaluateGuardrail(config: GuardrailConfig, input: EvaluationInput): EvaluationResult {
  const compiled = compileGuardrail(config);
  const c = compiled[input.source];
  const full = input.outputScope === 'FULL';
  const state = new State();
  const blockTexts = input.blocks.map((b) => b.text);
  const guardedIdx: number[] = [];
  const sources: string[] = [];
  const queries: string[] = [];
  let total = 0;
  input.blocks.forEach((b, i) => {
    total += b.text.length;
    if (b.qualifiers?.includes('grounding_source')) sources.push(b.text);
    else if (b.qualifiers?.includes('query')) queries.push(b.text);
    if (isGuarded(b.qualifiers)) guardedIdx.push(i);
  });
  const guardedText = guardedIdx.map((i) => input.blocks[i].text).join('\n');
  const guardedChars = guardedIdx.reduce((n, i) => n + input.blocks[i].text.length, 0);

  const assessment: GuardrailAssessment = {};
  let tokenCache: string[] | undefined;
  const guardedTokens = () => (tokenCache ??= contentTokens(guardedText));
  const topics = topicChecks(c, guardedText, guardedTokens, full, state);
  if (topics.length) assessment.topicPolicy = { topics };
  const filters = contentFilters(c, guardedText, input.source === 'INPUT' && input.promptAttack !== false, full, state);
  if (filters.length) assessment.contentPolicy = { filters };

  const customWords: GuardrailCustomWord[] = [];
  const managedWordLists: GuardrailManagedWord[] = [];
  const piiEntities: GuardrailPiiEntityFilter[] = [];
  const regexes: GuardrailRegexFilter[] = [];
  for (const i of guardedIdx) {
    const text = input.blocks[i].text;
    const masks: { start: number; end: number; label: string }[] = [];
    if (c.words) {
      for (const s of scanRegex(c.words.re, text)) {
        const w = c.words.byText.get(s.match.toLowerCase().replace(/\s+/g, ' '));
        if (!w) continue;
        const action = assessed(w.action === 'ANONYMIZE' ? 'BLOCK' : w.action);
        state.hit(w.action === 'NONE' ? 'NONE' : 'BLOCK', `wordPolicy custom word "${w.text}" → ${action}`);
        customWords.push({ match: w.text, action: action as 'BLOCKED' | 'NONE', detected: true });
      }
    }
    if (c.profanity) {
      const seen = new Set<string>();
      for (const [start, end] of profanitySpans(text)) {
        const word = wordAround(text, start, end);
        if (seen.has(word.toLowerCase())) continue;
        seen.add(word.toLowerCase());
        const action = c.profanity.action === 'NONE' ? 'NONE' : 'BLOCKED';
        state.hit(c.profanity.action === 'NONE' ? 'NONE' : 'BLOCK', `wordPolicy managed PROFANITY "${word}" → ${action}`);
        managedWordLists.push({ match: word, type: 'PROFANITY', action, detected: true });
      }
    }
    for (const p of c.pii) {
      for (const s of p.detect(text)) {
        const action = assessed(p.action);
        state.hit(p.action, `sensitiveInformationPolicy ${p.type} → ${action}`);
        piiEntities.push({ match: s.match, type: p.type as GuardrailPiiEntityFilter['type'], action, detected: true });
        if (p.action === 'ANONYMIZE') masks.push({ start: s.start, end: s.end, label: p.type });
      }
    }
    for (const r of c.regexes) {
      if (!r.re) continue;
      for (const s of scanRegex(r.re, text)) {
        const action = assessed(r.action);
        state.hit(r.action, `sensitiveInformationPolicy regex "${r.name}" → ${action}`);
        regexes.push({ name: r.name, match: s.match, regex: r.pattern, action, detected: true });
        if (r.action === 'ANONYMIZE') masks.push({ start: s.start, end: s.end, label: r.name });
      }
    }
    blockTexts[i] = mask(text, masks);
  }
  if (customWords.length || managedWordLists.length) assessment.wordPolicy = { customWords, managedWordLists };
  if (piiEntities.length || regexes.length) assessment.sensitiveInformationPolicy = { piiEntities, regexes };

  const grounding = groundingChecks(c, guardedTokens, sources, queries, state);
  if (grounding.length) assessment.contextualGroundingPolicy = { filters: grounding };

  const usage = usageFor(c, guardedChars);
  const coverage = { guarded: guardedChars, total };
  assessment.invocationMetrics = { usage, guardrailCoverage: { textCharacters: coverage } };

  const blocked = state.blocked;
  const anonymized = !blocked && state.anonymized;
  const intervened = blocked || anonymized;
  const outputs = blocked
    ? [{ text: input.source === 'INPUT' ? compiled.blockedInputMessaging : compiled.blockedOutputsMessaging }]
    : anonymized
      ? guardedIdx.map((i) => ({ text: blockTexts[i] }))
      : [];
  return {
    action: intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
    outputs,
    assessment,
    blocked,
    anonymized,
    reasons: state.reasons,
    blockTexts: blocked ? input.blocks.map((b) => b.text) : blockTexts,
    coverage,
  };
}

export function hasAutomatedReasoning(config: GuardrailConfig): boolean {
  return compileGuardrail(config).hasAutomatedReasoning;
}
