/** What every gate runs against: the environment, the phase and release, and AWS access. */
import type { EnforcementDefaults, Environment, Phase, Release } from '../../model/types.js';
import type { AwsAccess } from '../aws/clients.js';
import type { PublishedVersion } from '../state/contracts.js';
import type { EnforcementSnapshot } from './preflight/recorded.js';

export interface GateRunContext {
  env: Environment;
  phase: Phase;
  release: string;
  asOf: Date;
  access: AwsAccess;
  /** Management-account versions of the release per region (pilot phase: the pilot account's). */
  published: Record<string /* region */, PublishedVersion>;
  /** What each phase runs after this apply (for the expected effective policy). */
  phaseStacks: Partial<Record<Phase, { release: string }>>;
  /**
   * The enforcement settings (guarding modes, model lists) of the unit each phase holds after
   * this apply; a phase of phaseStacks missing here holds env.enforcement. The effective-policy
   * gate builds each phase's policy with its own settings and the locks the others require
   * (policy/locks.ts), exactly as the stacks are synthesized from StackInput.enforcement.
   */
  phaseEnforcement?: Partial<Record<Phase, EnforcementDefaults>>;
  /**
   * Published management-account versions of OTHER releases still in use by other phases
   * (release → region → version). Optional: when missing, the gates look them up by version
   * description ("release <name> sha256:…") with ListGuardrails.
   */
  publishedByRelease?: Record<string, Record<string, PublishedVersion>>;
  /**
   * The organization policies (aws_organizations_policy name, and description where known) in
   * the phase stack about to be applied — what will be in force after this apply. Preflight of
   * the enterprise phase uses it: an expired exception whose policy this apply drops is not a
   * failure (the apply is what removes it). Filled by rollout/flows/promote.ts from the
   * synthesized stack; when missing, the enterprise phase treats an expired exception still in
   * force as failed.
   */
  plannedPolicies?: { name: string; description?: string }[];
  /**
   * What was read back from AWS after the last successful apply or rollback of each phase
   * (`readEnforcementSnapshot(access, env, { phase })`, rollout/gates/preflight/recorded.ts,
   * stored per phase in the rollout state), merged over all phases (`mergeSnapshots`): the
   * BEDROCK_POLICY policies with canonical content and targets, and the account-level enforced
   * configurations. With it, preflight's drift check compares live objects with it by content
   * (any difference, and any policy not recorded, fails — docs/gates.md); without it (nothing
   * applied yet) the check falls back to recognising our policies by name and description.
   * A phase with something in place but no record yet (state from before records) belongs in
   * `recorded.unrecordedPhases`: its objects get the name/description rule.
   */
  recorded?: EnforcementSnapshot;
  /**
   * BEDROCK_POLICY policies `rollout adopt` took over that are still in force as they were found
   * (the phase owning each has not applied since): Organizations applies them, so the expected
   * effective policy includes them (content: the document's JSON text; targets as attached).
   */
  adoptedPolicies?: { id: string; content: string; targets: string[] }[];
  /**
   * Account-level configurations `rollout adopt` took over for the pilot that its apply has not
   * rewritten yet: a pilot without a release expects these in place as found instead of nothing.
   */
  adoptedConfigs?: { account: string; region: string; configId?: string; guardrailArn?: string; guardrailVersion?: string }[];
  /**
   * The last DescribeEffectivePolicy read of each account in scope (null: no effective policy),
   * as the propagation gate left it (rollout/gates/propagation, filled by runPostApplyGates): the
   * effective-policy gate judges these instead of reading every account a second time. An
   * account missing here (its read failed, or no propagation step ran) is read by the gate.
   */
  effectiveReads?: Map<string /* account */, Record<string, unknown> | null>;
  /**
   * Clock and sleep of the propagation gate's polling (default Date.now and a timer); tests
   * share a fake clock with the sandbox (`startSandbox({ now })`).
   */
  propagationClock?: { now(): number; sleep(ms: number): Promise<void> };
  /** Parallel calls (default 16). The per-API rate limit is the AwsAccess's. */
  concurrency?: number;
  /** Informational: the rate the AwsAccess was built with (reported in summaries). */
  ratePerSecond?: number;
  log?: (line: string) => void;
}

/** The release the gates run for; throws when the environment does not define it. */
export function releaseOf(ctx: Pick<GateRunContext, 'env' | 'release'>): Release {
  const r = ctx.env.releases.find((x) => x.name === ctx.release);
  if (!r) throw new Error(`release ${ctx.release} is not defined in environment ${ctx.env.name}`);
  return r;
}
