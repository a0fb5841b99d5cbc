/**
 * What the layer under test enforces in one account, and which cases can therefore apply there.
 * Pure over the environment view the gate was given (`ctx.env`: the unit's enforcement and
 * exceptions) and `ctx.asOf`.
 *
 *  - Guarding modes: `enforcement.system` / `enforcement.messages`, overridden in the enterprise
 *    phase by the active exceptions whose target covers the account (exception policies attach
 *    with the enterprise stack only; the deepest target wins, docs/aws-facts.md#inheritance).
 *  - Excluded models: excludedModelsFor (defaults + enterprise exceptions).
 *  - Which layer guards the account: in the org phases a narrower phase's policy (model-rules on
 *    the pilot account, ou on the pilot OU) assigns its own `identifier` below the phase's target,
 *    so where that phase runs another release, the guardrail under test does not guard the account.
 *
 * A must-block or must-anonymize case that cannot apply to an account is skipped there with the
 * reason (never a silent pass, never a false failure); a must-pass case always runs.
 */
import { exceptionsForAccount } from '../../../model/exceptions.js';
import { ancestorsOf, isUnder } from '../../../model/org.js';
import type { Environment, GuardingMode, Phase, SmokeCase } from '../../../model/types.js';
import type { GateRunContext } from '../context.js';
import { excludedModelsFor } from './excluded-models.js';

export interface AccountSettings {
  system: GuardingMode;
  messages: GuardingMode;
  excluded: string[];
  /** Where a mode comes from when it is not the default: "exception EXC-2026-002 (expires 2026-10-31)". */
  systemFrom?: string;
  messagesFrom?: string;
}

/** The guarding modes and exclusions the layer under test applies to an account in this phase. */
export function settingsFor(env: Environment, phase: Phase, account: string, asOf: Date): AccountSettings {
  const s: AccountSettings = {
    system: env.enforcement.system,
    messages: env.enforcement.messages,
    excluded: excludedModelsFor(env, phase, account, asOf),
  };
  if (phase !== 'enterprise') return s;
  const depth = (target: string) => ancestorsOf(env, target).length;
  const byDepth = exceptionsForAccount(env, account, asOf).sort((a, b) => depth(a.target) - depth(b.target) || a.id.localeCompare(b.id));
  for (const e of byDepth) {
    const from = `exception ${e.id} on ${e.target} (expires ${e.expires})`;
    if (e.changes.system) {
      s.system = e.changes.system;
      s.systemFrom = from;
    }
    if (e.changes.messages) {
      s.messages = e.changes.messages;
      s.messagesFrom = from;
    }
  }
  return s;
}

/** Where excluded model `m` comes from for the account: the defaults or the exception(s) adding it. */
function exclusionSource(env: Environment, phase: Phase, account: string, asOf: Date, m: string): string {
  if (env.enforcement.models.excluded.includes(m)) return 'enforcement.models.excluded';
  const ids =
    phase === 'enterprise'
      ? exceptionsForAccount(env, account, asOf)
          .filter((e) => e.changes.excludedModels?.includes(m))
          .map((e) => `exception ${e.id}`)
      : [];
  return ids.join(', ') || 'the exclusion list';
}

const NARROWER: Record<Phase, Phase[]> = { pilot: [], 'model-rules': [], ou: ['model-rules'], enterprise: ['model-rules', 'ou'] };

/**
 * The narrower org phase whose policy assigns the account's organization-enforced identifier,
 * when it runs a release other than the one under test (else undefined: the phase's own policy,
 * with the release under test, guards the account).
 */
export function governedByOtherRelease(
  ctx: Pick<GateRunContext, 'env' | 'phase' | 'release' | 'phaseStacks'>,
  account: string,
): { phase: Phase; release: string } | undefined {
  for (const p of NARROWER[ctx.phase]) {
    const r = ctx.phaseStacks[p]?.release;
    if (!r) continue;
    const covers = p === 'model-rules' ? account === ctx.env.pilot.account : isUnder(ctx.env, account, ctx.env.pilot.ou);
    if (covers) return r === ctx.release ? undefined : { phase: p, release: r };
  }
  return undefined;
}

/**
 * Why a case cannot apply to an account (undefined: it applies and runs). Only cases that expect
 * the guardrail under test to act (blocked, anonymized) are ever skipped.
 */
export function skipReason(
  ctx: Pick<GateRunContext, 'env' | 'phase' | 'release' | 'phaseStacks' | 'asOf'>,
  c: SmokeCase,
  account: string,
  chat: boolean,
): string | undefined {
  if (c.expect === 'allowed') return undefined;
  const s = settingsFor(ctx.env, ctx.phase, account, ctx.asOf);
  if (s.excluded.includes(c.model)) {
    return `${c.model} is excluded from enforcement in this account (${exclusionSource(ctx.env, ctx.phase, account, ctx.asOf, c.model)}): no enforced guardrail may act on it, so a must-${c.expect === 'blocked' ? 'block' : 'anonymize'} case cannot apply (the smoke:excluded check covers it)`;
  }
  const gov = governedByOtherRelease(ctx, account);
  if (gov) {
    return `this account's organization-enforced identifier is assigned by the ${gov.phase} phase's policy, which runs release ${gov.release}: the guardrail of ${ctx.release} does not guard it`;
  }
  // Converse only: InvokeModel has no system surface of its own.
  if (chat && c.surface === 'system' && !c.tagged && s.system === 'selective') {
    return `system prompts are guarded selectively in this account (system: selective${s.systemFrom ? `, ${s.systemFrom}` : ''}): an untagged system prompt is not evaluated, so the case cannot apply`;
  }
  // Messages: `selective` evaluates tagged text, or every message when none is tagged; history
  // turns are always sent untagged, so a message case's content is evaluated in either mode.
  return undefined;
}
