/**
 * Propagation delay (opt-in, `startSandbox({ propagationDelayMs })` or the fault config key
 * "propagationDelayMs"): for that long after a BEDROCK_POLICY attach, detach, update or delete,
 * or an account-level enforced configuration put or delete, the change is not yet in force.
 * DescribeEffectivePolicy (and the invalid-effective-policy reads) answer what was in force
 * before, and so does the runtime enforcement (Converse, InvokeModel, ApplyGuardrail); the
 * control-plane reads (ListPolicies, DescribePolicy, ListTargetsForPolicy,
 * ListEnforcedGuardrailsConfiguration) answer the live state at once, as an engine that reads
 * back what it just wrote needs. We know of no published figure for how long a BEDROCK_POLICY
 * change takes to reach an account; this models "some time".
 *
 * Every change takes effect `delayMs` after it was made, in order: the visible state is the
 * snapshot (policies, attachments, enforced configurations) after the last change whose time
 * has come, or the state before the oldest pending change. Pending snapshots live in memory
 * only (a restarted sandbox answers the live state).
 */
import { clone, type Attachment, type EnforcedRecord, type PolicyRecord, type SandboxState } from './state.js';

/** Calls whose change is delayed (the others take effect at once). */
export const PROPAGATING_OPERATIONS: ReadonlySet<string> = new Set([
  'AttachPolicy',
  'DetachPolicy',
  'UpdatePolicy',
  'DeletePolicy',
  'PutEnforcedGuardrailConfiguration',
  'DeleteEnforcedGuardrailConfiguration',
]);

/** Organizations reads answered from the visible (propagated) state. */
export const PROPAGATED_READS: ReadonlySet<string> = new Set([
  'DescribeEffectivePolicy',
  'ListAccountsWithInvalidEffectivePolicy',
  'ListEffectivePolicyValidationErrors',
]);

interface View {
  policies: PolicyRecord[];
  attachments: Attachment[];
  enforced: EnforcedRecord[];
}

const capture = (s: SandboxState): View => clone({ policies: s.policies, attachments: s.attachments, enforced: s.enforced });

export class Propagation {
  /** What is in force while changes are pending (undefined: nothing pending). */
  private base: View | undefined;
  private pending: { visibleAt: number; view: View }[] = [];

  constructor(private delay = 0) {}

  get delayMs(): number {
    return this.delay;
  }

  /** A new delay applies to changes made from now on; pending ones keep their time. */
  setDelay(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`propagationDelayMs must be a whole number ≥ 0, got ${ms}`);
    this.delay = ms;
  }

  private settle(now: number): void {
    while (this.pending.length && this.pending[0]!.visibleAt <= now) this.base = this.pending.shift()!.view;
    if (!this.pending.length) this.base = undefined;
  }

  /**
   * Before a call that may change what is in force: the state as it was (to keep while the
   * change propagates), or undefined when the call is not delayed.
   */
  before(operation: string, state: SandboxState, now: number): View | undefined {
    if (this.delay <= 0 || !PROPAGATING_OPERATIONS.has(operation)) return undefined;
    this.settle(now);
    return this.base ?? capture(state);
  }

  /** After such a call changed the state: the change becomes visible `delayMs` from now. */
  after(prior: View, state: SandboxState, now: number): void {
    const view = capture(state);
    if (JSON.stringify(view) === JSON.stringify(prior) && !this.pending.length) return;
    this.base ??= prior;
    this.pending.push({ visibleAt: now + this.delay, view });
  }

  /** The state as the effective-policy reads and the runtime see it at `now`. */
  visible(state: SandboxState, now: number): SandboxState {
    if (!this.pending.length) return state;
    this.settle(now);
    const b = this.base;
    return b ? { ...state, policies: b.policies, attachments: b.attachments, enforced: b.enforced } : state;
  }

  /** Changes not yet in force. */
  pendingCount(now: number): number {
    this.settle(now);
    return this.pending.length;
  }
}
