/**
 * Static model checks, on EVERY account in scope of the phase (`accountsForPhase`, not the smoke
 * sample) and every region of the environment, before anything is applied:
 *
 *   `preflight:model-unknown:<model>@<region>` — a model id of a list that applies to the
 *     account (enforcement.models.included/excluded, and the excludedModels of the active
 *     exceptions on the account or an OU above it) is not in that region's catalogue
 *     (ListFoundationModels) nor in any other region's of the environment: a typo, which
 *     matches nothing (an exclusion that excludes nothing leaves the model guarded). `ALL` is a
 *     keyword, not a model id. An id offered in another region of the environment but not in
 *     this one is not a typo and does not fail (the environment's lists apply to every region,
 *     so failing it would make the model impossible both to exclude and to leave in): the
 *     region's `preflight:models@<region>` says so.
 *   `preflight:model-unguardable:<model>@<region>` — a model of the catalogue that cannot be
 *     guarded (`guardability` below) is enforced on an account: not excluded for it and
 *     covered by the included list. Enforced calls to such a model fail (docs/aws-facts.md,
 *     "Covered APIs"). Only what this phase applies counts: the defaults, plus the exceptions'
 *     exclusions in the enterprise phase (the enterprise stack is what attaches exception
 *     policies; the pilot's account-level configuration and the model-rules/ou baselines carry
 *     the defaults only) — the rule of the smoke gate's `excludedModelsFor`.
 *   `preflight:models@<region>` — the region's summary when nothing failed there, or the
 *     ListFoundationModels error (transient → inconclusive).
 *
 * Accounts with the same finding are one check (id per model and region) whose detail names the
 * accounts and whose `evidence.accounts` lists all of them (`account` is set when there is one),
 * so 500 accounts with a typo in the defaults give one failed check per region, not 1,000.
 */
import { type FoundationModelSummary, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { exceptionsForAccount } from '../../../model/exceptions.js';
import type { Environment, Phase } from '../../../model/types.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { errorCheck } from '../result.js';
import { accountsForPhase } from '../scope.js';

/** What ListFoundationModels says about a model, as far as these checks need it. */
export interface CatalogueEntry {
  modelId: string;
  inputModalities: string[];
  outputModalities: string[];
}

/** region → modelId → entry */
export type RegionCatalogues = Map<string, Map<string, CatalogueEntry>>;

/** Output modalities a guardrail evaluates: text, and images (image content filters). */
const GUARDED_OUTPUTS = new Set(['TEXT', 'IMAGE']);
/** Input modalities a guardrail evaluates. */
const GUARDED_INPUTS = new Set(['TEXT', 'IMAGE']);

/**
 * Can enforcement guard this model? Decided from ListFoundationModels' modalities:
 *   - any EMBEDDING output (text and multimodal embedding models) → no;
 *   - an output modality other than TEXT and IMAGE (speech, video), or no output listed → no;
 *   - no TEXT or IMAGE input (speech-to-speech models) → no;
 *   - otherwise (text generation, image generation, multimodal chat) → yes.
 * AWS lists the models without guardrail support as the embedding, rerank, speech and video
 * models (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-supported.html);
 * image generation is guarded (the text prompt, and generated images by the image content
 * filters), so an image model is not required to be excluded. `inferenceTypesSupported` and
 * `modelLifecycle` are not used: neither says anything about guardrail support (a LEGACY model
 * is still callable, and enforced). A rerank model whose catalogue entry says TEXT → TEXT is
 * not recognised by this rule.
 */
export function guardability(m: Pick<CatalogueEntry, 'inputModalities' | 'outputModalities'>): { guardable: boolean; why: string } {
  const out = m.outputModalities;
  const inp = m.inputModalities;
  if (out.includes('EMBEDDING')) return { guardable: false, why: 'an embedding model (output EMBEDDING)' };
  if (!out.length) return { guardable: false, why: 'no output modality listed' };
  const other = out.filter((x) => !GUARDED_OUTPUTS.has(x));
  if (other.length) return { guardable: false, why: `output ${other.join('/')} is not evaluated by guardrails` };
  if (inp.length && !inp.some((x) => GUARDED_INPUTS.has(x)))
    return { guardable: false, why: `input ${inp.join('/')} is not evaluated by guardrails` };
  return { guardable: true, why: `input ${inp.join('/') || '?'}, output ${out.join('/')}` };
}

/** A model list entry and where it comes from (for the message). */
interface Named {
  model: string;
  source: string;
}

/** Every model id of the lists that apply to an account (defaults + active exceptions on it, any phase). */
export function namedModelsFor(env: Environment, account: string, asOf: Date): Named[] {
  const out: Named[] = [];
  for (const m of env.enforcement.models.included) if (m !== 'ALL') out.push({ model: m, source: 'enforcement.models.included' });
  for (const m of env.enforcement.models.excluded) out.push({ model: m, source: 'enforcement.models.excluded' });
  for (const e of exceptionsForAccount(env, account, asOf))
    for (const m of e.changes.excludedModels ?? []) out.push({ model: m, source: `exception ${e.id}` });
  return out;
}

/** Models this phase's apply excludes for the account (defaults; + active exceptions in enterprise). */
export function phaseExclusions(env: Environment, phase: Phase, account: string, asOf: Date): Set<string> {
  const out = new Set(env.enforcement.models.excluded);
  if (phase === 'enterprise')
    for (const e of exceptionsForAccount(env, account, asOf)) for (const m of e.changes.excludedModels ?? []) out.add(m);
  return out;
}

/** Does the included list enforce this model? (`ALL` or an empty list: every model.) */
function included(env: Environment, model: string): boolean {
  const inc = env.enforcement.models.included;
  return inc.length === 0 || inc.includes('ALL') || inc.includes(model);
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** Catalogue ids close to a mistyped one (prefix either way, or a few edits). */
export function nearestModels(model: string, known: Iterable<string>): string[] {
  const scored = [...known]
    .map((k) => ({ k, d: k.startsWith(model) || model.startsWith(k) ? 0 : levenshtein(model, k) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(model.length / 6)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  return scored.slice(0, 3).map((x) => x.k);
}

const SHOWN = 12;
function accountList(accounts: readonly string[], inScope: number, phase: Phase): string {
  const shown = accounts.slice(0, SHOWN).join(', ');
  const more = accounts.length > SHOWN ? ` and ${accounts.length - SHOWN} more (evidence.accounts)` : '';
  const all = accounts.length === inScope && inScope > 1 ? `all ${inScope} accounts in scope of ${phase}: ` : '';
  return `${all}${shown}${more}`;
}

interface Group {
  accounts: string[];
  sources: Set<string>;
  why?: string;
}

/**
 * The model findings of a phase over given catalogues. Pure: every account × region is
 * evaluated; findings are grouped per model and region. Regions without a catalogue are skipped
 * (their ListFoundationModels error is reported by the caller).
 */
export function modelChecks(
  env: Environment,
  phase: Phase,
  accounts: readonly string[],
  asOf: Date,
  catalogues: RegionCatalogues,
): CheckResult[] {
  const checks: CheckResult[] = [];
  const named = new Map(accounts.map((a) => [a, namedModelsFor(env, a, asOf)]));
  const excludedFor = new Map(accounts.map((a) => [a, phaseExclusions(env, phase, a, asOf)]));
  for (const region of env.regions) {
    const cat = catalogues.get(region);
    if (!cat) continue;
    const unknown = new Map<string, Group>();
    const elsewhere = new Map<string, string[]>();
    const unguarded = new Map<string, Group>();
    const ids = new Set<string>();
    const unguardable = [...cat.values()]
      .map((m) => ({ m, g: guardability(m) }))
      .filter((x) => !x.g.guardable)
      .sort((a, b) => a.m.modelId.localeCompare(b.m.modelId));
    for (const account of accounts) {
      const seen = new Set<string>();
      for (const { model, source } of named.get(account)!) {
        ids.add(model);
        if (cat.has(model)) continue;
        const offered = env.regions.filter((r) => r !== region && catalogues.get(r)?.has(model));
        if (offered.length) {
          elsewhere.set(model, offered);
          continue;
        }
        const g = unknown.get(model) ?? unknown.set(model, { accounts: [], sources: new Set() }).get(model)!;
        if (!seen.has(model)) g.accounts.push(account);
        seen.add(model);
        g.sources.add(source);
      }
      const excl = excludedFor.get(account)!;
      for (const { m, g: why } of unguardable) {
        if (excl.has(m.modelId) || !included(env, m.modelId)) continue;
        const g = unguarded.get(m.modelId) ?? unguarded.set(m.modelId, { accounts: [], sources: new Set(), why: why.why }).get(m.modelId)!;
        g.accounts.push(account);
      }
    }
    for (const [model, g] of [...unknown].sort(([a], [b]) => a.localeCompare(b))) {
      const near = nearestModels(model, cat.keys());
      checks.push({
        id: `preflight:model-unknown:${model}@${region}`,
        status: 'failed',
        region,
        ...(g.accounts.length === 1 ? { account: g.accounts[0] } : {}),
        detail: `model id "${model}" (${[...g.sources].sort().join(', ')}) is not in the model catalogue of ${region} (ListFoundationModels), nor of ${env.regions.length > 1 ? 'any other region of the environment' : 'the environment'}: it matches nothing, so an exclusion of it leaves the model it meant guarded${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''} — for ${accountList(g.accounts, accounts.length, phase)}`,
        evidence: { model, region, accounts: g.accounts, sources: [...g.sources].sort(), suggestions: near },
      });
    }
    for (const [model, g] of [...unguarded].sort(([a], [b]) => a.localeCompare(b))) {
      checks.push({
        id: `preflight:model-unguardable:${model}@${region}`,
        status: 'failed',
        region,
        ...(g.accounts.length === 1 ? { account: g.accounts[0] } : {}),
        detail: `model ${model} cannot be guarded (${g.why}) but ${phase} enforces it on ${accountList(g.accounts, accounts.length, phase)} in ${region}: every enforced call to it would fail with ValidationException — add it to enforcement.models.excluded${phase === 'enterprise' ? '' : ' (exceptions apply from the enterprise phase only)'}`,
        evidence: { model, region, accounts: g.accounts, why: g.why },
      });
    }
    if (!unknown.size && !unguarded.size) {
      const notes = [...elsewhere]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([m, rs]) => `${m} is not offered in ${region} (offered in ${rs.join(', ')}): listing it has no effect here`);
      checks.push({
        id: `preflight:models@${region}`,
        status: 'passed',
        region,
        detail: `${ids.size} model id(s) named for the ${accounts.length} account(s) in scope exist in the catalogue of ${region} (${cat.size} models); ${unguardable.length ? `the ${unguardable.length} model(s) that cannot be guarded (${unguardable.map((x) => x.m.modelId).join(', ')}) are excluded for every account in scope` : 'no model of the catalogue is unguardable'}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      });
    }
  }
  return checks;
}

function entryOf(s: FoundationModelSummary): CatalogueEntry | undefined {
  if (!s.modelId) return undefined;
  return {
    modelId: s.modelId,
    inputModalities: (s.inputModalities ?? []) as string[],
    outputModalities: (s.outputModalities ?? []) as string[],
  };
}

/**
 * ListFoundationModels once per region, from the management account
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html).
 * The catalogue is the region's list of foundation models Bedrock offers; it does not differ by
 * account for this purpose (model access grants decide who may call a model, not which ids
 * exist), so one call per region serves every account in scope. The operation is not paginated.
 */
export async function loadRegionCatalogues(ctx: GateRunContext): Promise<{ catalogues: RegionCatalogues; checks: CheckResult[] }> {
  const catalogues: RegionCatalogues = new Map();
  const checks: CheckResult[] = [];
  const account = ctx.env.managementAccountId;
  await Promise.all(
    ctx.env.regions.map(async (region) => {
      try {
        const out = await ctx.access.forAccount(account, region).bedrock.send(new ListFoundationModelsCommand({}));
        const entries = (out.modelSummaries ?? []).flatMap((s) => entryOf(s) ?? []);
        catalogues.set(region, new Map(entries.map((e) => [e.modelId, e])));
      } catch (err) {
        checks.push(errorCheck(`preflight:models@${region}`, 'ListFoundationModels', err, { account, region }));
      }
    }),
  );
  return { catalogues, checks };
}

export const modelsCheck: Check = {
  ids: ['preflight:models', 'preflight:model-unknown', 'preflight:model-unguardable'],
  run: async (ctx) => {
    const accounts = accountsForPhase(ctx.env, ctx.phase);
    const { catalogues, checks } = await loadRegionCatalogues(ctx);
    if (!accounts.length) {
      // Nothing is enforced anywhere, so no model list can break a caller (the apply-guardrail
      // check reports the missing scope as a failure).
      return [...checks, { id: 'preflight:models', status: 'passed', detail: `no account in scope of ${ctx.phase}: no model is enforced` }];
    }
    // Only judge "unknown" with every region's catalogue: a missing one could hold the id.
    if (checks.length) return checks;
    return modelChecks(ctx.env, ctx.phase, accounts, ctx.asOf, catalogues);
  },
};
