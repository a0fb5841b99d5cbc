/**
 * Child control of the generated baselines: which settings a policy lower in the tree may still
 * change. Pure (docs/policy-engine.md "Child control of the generated policies").
 *
 * The rule. The baseline of org phase P (model-rules on the pilot account, ou on the pilot OU,
 * enterprise on the root) carries, per setting:
 *  - `identifier`: always `@@assign` (narrower phases run a newer release than the root);
 *  - `system`, `messages`, `included_models`, `excluded_models`: `@@none`, except
 *    - `@@assign` while the setting is IN FLIGHT at P: some org phase narrower than P holds a unit
 *      whose value differs from P's own (a change rolled out phase by phase has reached the
 *      narrower phase but not P yet). Once P holds the same value, the lock closes again;
 *    - what ACTIVE exceptions need: `@@assign` on a guarding mode an exception changes,
 *      `@@append` on `excluded_models` when an exception excludes models.
 * The pilot phase is account-level enforcement, which no organization child control binds: it
 * never opens a lock.
 *
 * Why `@@assign` for the model lists (not `@@append`/`@@remove`): a narrower phase's list must be
 * able to both gain and lose models, and its baseline already writes the whole list with
 * `@@assign`. One operator covers both directions, and the narrower phase's effective list is its
 * own unit's list whatever the wider phases hold — an `@@append`/`@@remove` pair would have to be
 * written as a diff against the wider phase's list, and a `@@remove` that empties a list drops it.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { PHASES, type EnforcementDefaults, type EnforcementException, type Environment, type Phase } from '../model/types.js';
import { APPEND, ASSIGN, type ChildControlEntry } from './document.js';

/** The phases that attach organization policies. */
export type OrgPhase = Exclude<Phase, 'pilot'>;
export const ORG_PHASES: readonly OrgPhase[] = ['model-rules', 'ou', 'enterprise'];

/**
 * The enforcement settings (guarding modes, model lists) of the unit each phase holds, ONE ENTRY
 * PER PHASE THAT HOLDS A UNIT: a phase absent from the map holds nothing (no policy) and opens
 * no lock anywhere. Build it with `heldEnforcement()`.
 */
export type EnforcementByPhase = Partial<Record<Phase, EnforcementDefaults>>;

/** The settings child control governs besides `identifier` (names as in ChildControlPlan). */
export type LockedSetting = 'system' | 'messages' | 'includedModels' | 'excludedModels';
export const LOCKED_SETTINGS: readonly LockedSetting[] = ['system', 'messages', 'includedModels', 'excludedModels'];
/** The document key of each setting (under selective_content_guarding / model_enforcement). */
export const SETTING_KEYS: Readonly<Record<LockedSetting, string>> = {
  system: 'system',
  messages: 'messages',
  includedModels: 'included_models',
  excludedModels: 'excluded_models',
};

export interface InFlightSetting {
  setting: LockedSetting;
  /** The narrower org phases whose unit holds another value than this phase's. */
  phases: OrgPhase[];
}

/** Child-control lists a baseline carries at each leaf. */
export interface ChildControlPlan {
  identifier: ChildControlEntry[];
  system: ChildControlEntry[];
  messages: ChildControlEntry[];
  includedModels: ChildControlEntry[];
  excludedModels: ChildControlEntry[];
  /** Settings opened because a narrower phase holds another value (empty when none). */
  inFlight: InFlightSetting[];
  /** One line per opened setting: why it is open. */
  reasons: string[];
}

/**
 * What each phase holding a unit enforces: for every phase with a truthy entry in `holding`
 * (a releases map, `phaseStacks`, …), `given[phase]`, or `env.enforcement` when not given.
 */
export function heldEnforcement(
  env: Pick<Environment, 'enforcement'>,
  holding: Partial<Record<Phase, unknown>>,
  given?: EnforcementByPhase,
): EnforcementByPhase {
  const out: EnforcementByPhase = {};
  for (const p of PHASES) if (holding[p]) out[p] = given?.[p] ?? env.enforcement;
  return out;
}

/** A setting's value as compared for locks: model lists as sets (order carries no meaning for enforcement). */
function comparable(e: EnforcementDefaults, s: LockedSetting): string {
  if (s === 'system' || s === 'messages') return e[s];
  return canonicalJson(s === 'includedModels' ? e.models.included : e.models.excluded, { stringListsAsSets: true });
}

const narrowerThan = (phase: Phase) => ORG_PHASES.filter((p) => PHASES.indexOf(p) < PHASES.indexOf(phase));

/** The settings in flight at `phase`: those some narrower org phase holds with another value. Empty when `phase` holds nothing. */
export function inFlightSettings(phase: Phase, held: EnforcementByPhase): InFlightSetting[] {
  const own = held[phase];
  if (!own || phase === 'pilot') return [];
  const out: InFlightSetting[] = [];
  for (const setting of LOCKED_SETTINGS) {
    const phases = narrowerThan(phase).filter((p) => held[p] !== undefined && comparable(held[p]!, setting) !== comparable(own, setting));
    if (phases.length) out.push({ setting, phases });
  }
  return out;
}

/** Per setting, the active exceptions that need it open (`@@append` for excluded models, `@@assign` for modes). */
export function exceptionsOpening(active: readonly EnforcementException[]): Record<LockedSetting, string[]> {
  const ids = (pick: (e: EnforcementException) => boolean) => active.filter(pick).map((e) => e.id);
  return {
    system: ids((e) => e.changes.system !== undefined),
    messages: ids((e) => e.changes.messages !== undefined),
    includedModels: [],
    excludedModels: ids((e) => (e.changes.excludedModels?.length ?? 0) > 0),
  };
}

/**
 * The child-control plan of a baseline: what active exceptions need plus the settings in flight
 * (`inFlight`, from `inFlightSettings`). Without in-flight settings this is the plan of a rollout
 * at rest. `phase` only words the reasons.
 */
export function childControlPlan(
  active: readonly EnforcementException[],
  inFlight: readonly InFlightSetting[] = [],
  phase?: Phase,
): ChildControlPlan {
  const byException = exceptionsOpening(active);
  const flying = new Map(inFlight.map((f) => [f.setting, f.phases]));
  const reasons = ['identifier: @@assign — narrower phases (pilot account, pilot OU) may run a newer release than the root'];
  const plan = { identifier: [ASSIGN] } as ChildControlPlan;
  // Reasons: exceptions first (in the historical order), then settings in flight.
  for (const s of ['excludedModels', 'system', 'messages'] as const) {
    if (byException[s].length) {
      const op = s === 'excludedModels' ? APPEND : ASSIGN;
      reasons.push(`${SETTING_KEYS[s]}: ${op} — needed by active exception(s) ${byException[s].join(', ')}`);
    }
  }
  for (const s of LOCKED_SETTINGS) {
    const ops: ChildControlEntry[] = [];
    const phases = flying.get(s);
    if (phases?.length) {
      ops.push(ASSIGN);
      reasons.push(
        `${SETTING_KEYS[s]}: @@assign — in flight: ${phases.join(', ')} hold${phases.length === 1 ? 's' : ''} another value than ${phase ?? 'this phase'} (closes once ${phase ?? 'this phase'} holds it)`,
      );
    }
    if (byException[s].length) ops.push(s === 'excludedModels' ? APPEND : ASSIGN);
    plan[s] = ops.length ? [...new Set(ops)] : ['@@none'];
  }
  plan.inFlight = inFlight.map((f) => ({ setting: f.setting, phases: [...f.phases] }));
  plan.reasons = reasons;
  return plan;
}

/** The plan of `phase`'s baseline given what every phase holds and the active exceptions. */
export function locksFor(phase: Phase, held: EnforcementByPhase, active: readonly EnforcementException[]): ChildControlPlan {
  return childControlPlan(active, inFlightSettings(phase, held), phase);
}

/** The org phases whose baseline opens a setting because a narrower phase holds another value. */
export function phasesNeedingLocks(held: EnforcementByPhase): OrgPhase[] {
  return ORG_PHASES.filter((p) => inFlightSettings(p, held).length > 0);
}

export interface LockChange {
  phase: OrgPhase;
  /** Settings this phase's baseline opens after the change and not before. */
  open: LockedSetting[];
  /** Settings it opened before and no longer needs to. */
  close: LockedSetting[];
}

export interface RelockPlan {
  /**
   * Phases to re-apply BEFORE the change (their baseline must open a setting first, or the
   * narrower phase's new value is ignored). Widest first. Opening a lock alone never changes an
   * effective policy.
   */
  first: OrgPhase[];
  /** Phases to re-apply AFTER the change (a lock no longer needed closes). Widest first. */
  after: OrgPhase[];
  changes: LockChange[];
}

/**
 * How the locks of the phases that hold a unit before and after a change (a promotion or a
 * rollback, `before` → `after` as EnforcementByPhase) differ. Only phases holding a unit on both
 * sides are listed; a phase the change applies anyway may appear, and the flow skips it.
 */
export function relockPlan(before: EnforcementByPhase, after: EnforcementByPhase): RelockPlan {
  const changes: LockChange[] = [];
  for (const phase of [...ORG_PHASES].reverse()) {
    if (!before[phase] || !after[phase]) continue;
    const was = new Set(inFlightSettings(phase, before).map((f) => f.setting));
    const now = new Set(inFlightSettings(phase, after).map((f) => f.setting));
    const open = LOCKED_SETTINGS.filter((s) => now.has(s) && !was.has(s));
    const close = LOCKED_SETTINGS.filter((s) => was.has(s) && !now.has(s));
    if (open.length || close.length) changes.push({ phase, open, close });
  }
  return {
    first: changes.filter((c) => c.open.length).map((c) => c.phase),
    after: changes.filter((c) => !c.open.length).map((c) => c.phase),
    changes,
  };
}
