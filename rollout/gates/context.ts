/** What every gate runs against: the environment, the phase and release, and AWS access. */
import type { Environment, Phase, Release } from '../../model/types.js';
import type { AwsAccess } from '../aws/clients.js';
import type { PublishedVersion } from '../state/contracts.js';

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
