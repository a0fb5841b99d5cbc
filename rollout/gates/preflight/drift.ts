/**
 * `preflight:drift…` by content: when the rollout state holds what was read back after the last
 * apply of each phase (`GateRunContext.recorded`, recorded.ts), every live BEDROCK_POLICY must be
 * one of the recorded ones (same id) with the same canonical content, name, description and
 * targets, every recorded policy must still exist, and every recorded account-level enforced
 * configuration must match the live one. A live policy that was not recorded is unmanaged,
 * whatever its name or description say. Anything else halts before this phase is applied,
 * naming what differs.
 *
 *   `preflight:drift` — summary when nothing differs (or the read error);
 *   `preflight:drift:<policy id>` — one policy: differs, deleted, or unmanaged;
 *   `preflight:drift:account-config:<account>/<region>` — one account-level configuration.
 *
 * What this phase's own apply writes is not drift (it overwrites it, and the effective-policy
 * gate verifies the result after the apply): the content and description of a policy in
 * `ctx.plannedPolicies`, a planned policy that exists but was not recorded yet (an interrupted
 * apply; the engines adopt it by name) as long as it is attached only where this phase attaches
 * it, and, in the pilot phase, the fields of the pilot account's configuration. Targets, names,
 * deletions and config ids are always drift: no apply reconciles them (the engines adopt by name
 * and do not detach what they did not attach).
 *
 * Objects owned by a phase listed in `recorded.unrecordedPhases` (something in place, no record:
 * state written before phases recorded snapshots) are judged by the name/description rule, as
 * without a record.
 */
import { canonicalJson } from '../../../core/canonical-json.js';
import { exceptionPolicyName, isManagedPolicy, phasePolicyName } from '../../../core/naming.js';
import { phaseTarget } from '../../../policy/index.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck } from '../result.js';
import {
  configOwner,
  type EnforcementSnapshot,
  policyOwner,
  type RecordedAccountConfig,
  type RecordedPolicy,
  readAccountConfigs,
  readBedrockPolicies,
} from './recorded.js';

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? '(none)' : s.length > 160 ? `${s.slice(0, 157)}…` : s;
};

/** A document path as people read it: without `bedrock.guardrail_inference.` and `@@assign`. */
function pathText(path: readonly string[]): string {
  const p = path[0] === 'bedrock' && path[1] === 'guardrail_inference' ? path.slice(2) : path;
  const shown = p.filter((x) => x !== '@@assign');
  return shown.length ? shown.join('.') : '(document)';
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Differences between two JSON values, one line per differing leaf (lists of strings as sets). */
export function jsonDiff(before: unknown, after: unknown, path: string[] = []): string[] {
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = [...path, k];
      if (!(k in after)) return [`${pathText(p)}: removed (was ${short(before[k])})`];
      if (!(k in before)) return [`${pathText(p)}: added ${short(after[k])}`];
      return jsonDiff(before[k], after[k], p);
    });
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    [...before, ...after].every((x) => typeof x === 'string') &&
    (before.length || after.length)
  ) {
    const added = (after as string[]).filter((x) => !before.includes(x));
    const removed = (before as string[]).filter((x) => !after.includes(x));
    return [
      ...(added.length ? [`${pathText(path)} + ${added.join(', ')}`] : []),
      ...(removed.length ? [`${pathText(path)} − ${removed.join(', ')}`] : []),
    ];
  }
  return canonicalJson(before) === canonicalJson(after) ? [] : [`${pathText(path)}: ${short(before)} → ${short(after)}`];
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

const setDiff = (label: string, before: readonly string[], after: readonly string[]): string[] => {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  return [...(added.length ? [`${label} + ${added.join(', ')}`] : []), ...(removed.length ? [`${label} − ${removed.join(', ')}`] : [])];
};

/** Where this phase attaches a planned policy (undefined: not one this phase plans). */
function plannedTargets(ctx: GateRunContext, name: string): string[] | undefined {
  if (!ctx.plannedPolicies?.some((p) => p.name === name)) return undefined;
  if (name === phasePolicyName(ctx.phase)) return [phaseTarget(ctx.env, ctx.phase)];
  const e = ctx.env.exceptions.find((x) => exceptionPolicyName(x.id) === name);
  return e ? [e.target] : [];
}

/** Differences of one recorded policy with its live state: those an apply of it rewrites, and the rest. */
function policyDiffs(rec: RecordedPolicy, live: RecordedPolicy): { soft: string[]; hard: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  if (rec.name !== live.name) hard.push(`name ${rec.name} → ${live.name}`);
  if (rec.description !== undefined && rec.description !== live.description)
    soft.push(`description ${short(rec.description)} → ${short(live.description)}`);
  if (rec.content !== live.content) soft.push(...jsonDiff(parse(rec.content), parse(live.content)));
  hard.push(...setDiff('targets', rec.targets, live.targets));
  return { soft, hard };
}

function configDiffs(rec: RecordedAccountConfig, live: RecordedAccountConfig): { soft: string[]; hard: string[] } {
  const hard: string[] = [];
  const soft: string[] = [];
  if (rec.configId !== undefined && rec.configId !== live.configId) hard.push(`configId ${rec.configId} → ${live.configId ?? '(none)'}`);
  for (const k of ['guardrailArn', 'guardrailVersion', 'system', 'messages'] as const)
    if (rec[k] !== live[k]) soft.push(`${k} ${rec[k] ?? '(none)'} → ${live[k] ?? '(none)'}`);
  soft.push(...setDiff('includedModels', rec.includedModels, live.includedModels));
  soft.push(...setDiff('excludedModels', rec.excludedModels, live.excludedModels));
  return { soft, hard };
}

const configLabel = (c: RecordedAccountConfig) =>
  `${c.guardrailArn?.split('/').pop() ?? '?'}:${c.guardrailVersion ?? '?'}${c.configId ? ` (config ${c.configId})` : ''}`;

/** Compares live objects with the record (pure). `readAccounts`: the accounts whose configurations `live` holds. */
export function compareWithRecord(
  ctx: Pick<GateRunContext, 'env' | 'phase' | 'plannedPolicies'>,
  recorded: EnforcementSnapshot,
  live: Pick<EnforcementSnapshot, 'policies' | 'accountConfigs'>,
  readAccounts: ReadonlySet<string>,
): CheckResult[] {
  const gctx = ctx as GateRunContext;
  const legacy = new Set(recorded.unrecordedPhases ?? []);
  const checks: CheckResult[] = [];
  const liveById = new Map(live.policies.map((p) => [p.id, p]));
  const recIds = new Set(recorded.policies.map((p) => p.id));
  let same = 0;

  for (const rec of recorded.policies) {
    const id = `preflight:drift:${rec.id}`;
    const l = liveById.get(rec.id);
    if (!l) {
      checks.push({
        id,
        status: 'failed',
        detail: `BEDROCK_POLICY ${rec.name} (${rec.id}) was recorded at its last apply but no longer exists (deleted out of band): what it enforced on ${rec.targets.join(', ') || 'its targets'} is gone`,
        evidence: { recorded: rec, live: null },
      });
      continue;
    }
    const { soft, hard } = policyDiffs(rec, l);
    if (!soft.length && !hard.length) {
      same++;
      continue;
    }
    const what = [...soft, ...hard].join('; ');
    const planned = plannedTargets(gctx, rec.name) !== undefined;
    if (!hard.length && planned) {
      checks.push({
        id,
        status: 'passed',
        detail: `BEDROCK_POLICY ${rec.name} (${rec.id}) differs from what was recorded (${what}); this ${ctx.phase} apply rewrites it and the effective-policy gate verifies the result`,
        evidence: { recorded: rec, live: l },
      });
      continue;
    }
    checks.push({
      id,
      status: 'failed',
      detail: `BEDROCK_POLICY ${rec.name} (${rec.id}) was changed out of band since its last apply: ${what}`,
      evidence: { recorded: rec, live: l },
    });
  }

  for (const l of live.policies) {
    if (recIds.has(l.id)) continue;
    const id = `preflight:drift:${l.id}`;
    const where = l.targets.length ? `attached to ${l.targets.join(', ')}` : 'not attached';
    const owner = policyOwner(l.name);
    if (owner && legacy.has(owner)) {
      // Its phase has no record: judge it as without a record (name/description).
      if (isManagedPolicy(l.name, l.description) || !l.targets.length) same++;
      else
        checks.push({
          id,
          status: 'failed',
          detail: `BEDROCK_POLICY ${l.id} "${l.name}" was not generated by guardrail-rollout but is ${where} (drift or tampering: it changes the effective policy)`,
        });
      continue;
    }
    const targets = plannedTargets(gctx, l.name);
    if (targets && l.targets.every((t) => targets.includes(t))) {
      checks.push({
        id,
        status: 'passed',
        detail: `BEDROCK_POLICY ${l.id} "${l.name}" was not recorded, but this ${ctx.phase} apply plans it: the engine adopts it by name and rewrites it (${where})`,
      });
      continue;
    }
    checks.push({
      id,
      status: 'failed',
      detail: `BEDROCK_POLICY ${l.id} "${l.name}" is not one guardrail-rollout recorded at its last apply: unmanaged, whatever its name or description say (${where}${l.targets.length ? ': it changes the effective policy' : ''}); delete it, or detach it, before promoting`,
      evidence: { live: l },
    });
  }

  // Account-level configurations.
  const key = (c: { account: string; region: string }) => `${c.account}/${c.region}`;
  const liveAt = new Map<string, RecordedAccountConfig[]>();
  for (const c of live.accountConfigs) (liveAt.get(key(c)) ?? liveAt.set(key(c), []).get(key(c))!).push(c);
  const matched = new Set<RecordedAccountConfig>();
  const writesPilot = (account: string) => ctx.phase === 'pilot' && account === ctx.env.pilot.account;
  for (const rec of recorded.accountConfigs) {
    const id = `preflight:drift:account-config:${key(rec)}`;
    const here = liveAt.get(key(rec)) ?? [];
    const l = here.find((c) => c.configId === rec.configId && !matched.has(c)) ?? here.find((c) => !matched.has(c));
    if (!l) {
      checks.push({
        id,
        status: 'failed',
        account: rec.account,
        region: rec.region,
        detail: `the account-level enforced configuration recorded at the last apply (${configLabel(rec)}) no longer exists (deleted out of band)`,
        evidence: { recorded: rec, live: null },
      });
      continue;
    }
    matched.add(l);
    const { soft, hard } = configDiffs(rec, l);
    if (!soft.length && !hard.length) {
      same++;
      continue;
    }
    const what = [...hard, ...soft].join('; ');
    checks.push(
      !hard.length && writesPilot(rec.account)
        ? {
            id,
            status: 'passed',
            account: rec.account,
            region: rec.region,
            detail: `the account-level enforced configuration differs from what was recorded (${what}); this pilot apply rewrites it and the effective-policy gate verifies the result`,
            evidence: { recorded: rec, live: l },
          }
        : {
            id,
            status: 'failed',
            account: rec.account,
            region: rec.region,
            detail: `the account-level enforced configuration was changed out of band since its last apply: ${what}`,
            evidence: { recorded: rec, live: l },
          },
    );
  }
  for (const l of live.accountConfigs) {
    if (matched.has(l) || !readAccounts.has(l.account)) continue;
    const owner = configOwner(ctx.env, l.account);
    if (owner && legacy.has(owner)) {
      same++;
      continue;
    }
    const id = `preflight:drift:account-config:${key(l)}`;
    checks.push(
      writesPilot(l.account)
        ? {
            id,
            status: 'passed',
            account: l.account,
            region: l.region,
            detail: `an account-level enforced configuration (${configLabel(l)}) was not recorded; this pilot apply adopts and rewrites it`,
          }
        : {
            id,
            status: 'failed',
            account: l.account,
            region: l.region,
            detail: `an account-level enforced configuration (${configLabel(l)}) is in place that guardrail-rollout did not record at its last apply (unmanaged)`,
            evidence: { live: l },
          },
    );
  }

  if (!checks.some((c) => c.status !== 'passed')) {
    checks.unshift({
      id: 'preflight:drift',
      status: 'passed',
      detail: `live BEDROCK_POLICY policies and account-level enforced configurations match what was recorded at their last apply (${same} unchanged${checks.length ? `, ${checks.length} rewritten by this apply` : ''})`,
    });
  }
  return checks;
}

/** Reads the live state (policies; configurations of the recorded accounts plus the pilot account) and compares. */
export async function recordedDriftChecks(ctx: GateRunContext, recorded: EnforcementSnapshot): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const concurrency = ctx.concurrency ?? 16;
  const accounts = new Set(recorded.accountConfigs.map((c) => c.account));
  if (!recorded.unrecordedPhases?.includes('pilot')) accounts.add(env.pilot.account);
  const regions = [...new Set([...env.regions, ...recorded.accountConfigs.map((c) => c.region)])];
  try {
    const [policies, configs] = await Promise.all([
      readBedrockPolicies(access.forAccount(env.managementAccountId).organizations, concurrency),
      Promise.all([...accounts].flatMap((a) => regions.map((r) => readAccountConfigs(access.forAccount(a, r).bedrock, a, r)))),
    ]);
    return compareWithRecord(ctx, recorded, { policies, accountConfigs: configs.flat() }, accounts);
  } catch (err) {
    return [errorCheck('preflight:drift', 'reading the enforced state (BEDROCK_POLICY policies, account-level configurations)', err)];
  }
}
