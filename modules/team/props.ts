/**
 * Vocabulary of a team addition's construct: what it is given and the names it writes. Kept apart
 * from the construct (construct.ts validates and assembles) so the stack, the flows and the tests
 * agree on one set of addresses and output keys without importing cdktf logic.
 */
import type { TerraformProvider } from 'cdktf';
import type { GuardrailDefinition } from '../../guardrail/definition.js';
import type { ApiGuardingMode } from '../bindings/enforced-guardrail-configuration.js';
import { regionSlug } from '../naming.js';

export interface TeamAdditionProps {
  /** The addition's id ([a-z0-9-]): names the guardrail's tag and the version description. */
  readonly additionId: string;
  /** The team's guardrail; owned by the team account (an enforced configuration must name a guardrail in its own account). */
  readonly definition: GuardrailDefinition;
  /** sha256 hex of the canonical definition: a changed definition publishes a new version. */
  readonly contentHash: string;
  readonly region: string;
  /** Provider acting in the team account, in `region`. */
  readonly provider?: TerraformProvider;
  /** API spelling, as `accountEnforcementConfig(env)` returns it. */
  readonly selectiveContentGuarding?: { readonly system?: ApiGuardingMode; readonly messages?: ApiGuardingMode };
  readonly modelEnforcement?: { readonly includedModels: readonly string[]; readonly excludedModels: readonly string[] };
}

export type TeamOutputAttr = 'arn' | 'id' | 'version' | 'config_id';

/** Output key of one attribute in one region: `team_<region slug>_<attr>`. */
export function teamOutputKey(region: string, attr: TeamOutputAttr): string {
  return `team_${regionSlug(region)}_${attr}`;
}

/** Terraform names per region; the version's carries the content hash, so a new definition adds a version instead of mutating one. */
export function teamResourceNames(region: string, contentHash: string): { guardrail: string; version: string; config: string } {
  const r = regionSlug(region);
  return { guardrail: `guardrail_${r}`, version: `version_${contentHash.slice(0, 16)}_${r}`, config: `account_${r}` };
}

/** The name a team version's description carries (`release team-<id> sha256:…`), so reports can tell it from a baseline release. */
export function teamVersionName(additionId: string): string {
  return `team-${additionId}`;
}
