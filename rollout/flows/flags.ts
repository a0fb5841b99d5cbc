/** The settings a verb runs with, as parsed from its flags (rollout/cli/commands/options.ts). */

export type EngineName = 'sandbox' | 'terraform';

export interface CommonFlags {
  env: string;
  release?: string;
  engine?: EngineName;
  yes: boolean;
  approve?: string;
  asOf: Date;
  json: boolean;
  sandboxEndpoint?: string;
  terraformBin?: string;
  /** plan only */
  out?: string;
  /** promote only: the reviewed plan file (plan --out) the promotion must match exactly. */
  plan?: string;
  /** promote only: wait out the phase's bake time in this process. */
  waitBake?: boolean;
  /** plan / promote: print the plan report as markdown even on a terminal. */
  markdown?: boolean;
  /**
   * promote only: the reason a unit that weakens the phase is promoted anyway (rollout/flows/weakening.ts).
   * @default - weakening units are refused
   */
  acceptWeakening?: string;
  /**
   * promote only: the reason a unit older than what the phase holds is promoted (rollout/state/promotion.ts).
   * @default - older units are refused
   */
  toOlder?: string;
  /** rollback only: the unit (label, hash or prefix ≥ 8, release) of the phase's history to return to. */
  to?: string;
}
