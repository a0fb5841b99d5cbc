/**
 * An in-memory RuntimeWorld for the pure runtime tests: guardrails with versions, resource
 * policies, account-level enforcement and an effective organization policy per account.
 */
import type { EnforcedConfig, GuardrailSnapshot, RuntimeWorld } from '../../sandbox/runtime/context.js';
import { orgSharingPolicy } from './resource-policy.js';

export const ORG = 'o-abc123def4';
export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const OTHER_OU_MEMBER = '333333333333';
export const OUTSIDER = '999999999999';
export const REGION = 'us-east-1';

type Config = GuardrailSnapshot['config'];

export class MemoryWorld implements RuntimeWorld {
  guardrails: { id: string; owner: string; region: string; draft: Config; versions: Map<string, Config> }[] = [];
  policies = new Map<string, string>();
  enforced: EnforcedConfig[] = [];
  effective = new Map<string, Record<string, unknown>>();
  paths: Record<string, string> = {
    [MGMT]: `${ORG}/r-ab12/`,
    [MEMBER]: `${ORG}/r-ab12/ou-ab12-pilot111/`,
    [OTHER_OU_MEMBER]: `${ORG}/r-ab12/ou-ab12-other222/`,
  };

  organizationId() {
    return ORG;
  }
  managementAccountId() {
    return MGMT;
  }
  orgPathOf(account: string) {
    return this.paths[account];
  }
  isOrgMember(account: string) {
    return account in this.paths;
  }
  findGuardrail(identifier: string, version: string, caller: string, region: string): GuardrailSnapshot | undefined {
    const m = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+)$/.exec(identifier);
    const g = m
      ? this.guardrails.find((x) => x.region === m[1] && x.owner === m[2] && x.id === m[3])
      : this.guardrails.find((x) => x.id === identifier && x.owner === caller && x.region === region);
    if (!g) return undefined;
    const config = version === 'DRAFT' || version === '' ? g.draft : g.versions.get(version);
    if (!config) return undefined;
    return { guardrailId: g.id, guardrailArn: arnOf(g), ownerAccount: g.owner, region: g.region, version: version || 'DRAFT', config };
  }
  accountEnforcement(account: string, region: string) {
    return this.enforced.find((e) => e.account === account && e.region === region);
  }
  effectivePolicy(account: string) {
    return this.effective.get(account) ?? null;
  }
  resourcePolicy(arn: string) {
    return this.policies.get(arn);
  }

  /** Adds a guardrail with version "1" (and DRAFT) and returns its ARN. */
  addGuardrail(id: string, config: Config, opts: { owner?: string; region?: string } = {}): string {
    const g = { id, owner: opts.owner ?? MGMT, region: opts.region ?? REGION, draft: config, versions: new Map([['1', config]]) };
    this.guardrails.push(g);
    return arnOf(g);
  }
  /** The documented whole-organization RBP (pattern b), optionally narrowed to OU paths (pattern c). */
  shareWithOrg(arn: string, paths?: string[]) {
    this.policies.set(arn, orgSharingPolicy(arn, ORG, paths));
  }
  /** An effective org policy (operators stripped) for the account. */
  orgPolicy(account: string, configs: Record<string, Record<string, unknown>>, region = REGION) {
    this.effective.set(account, { bedrock: { guardrail_inference: { [region]: configs } } });
  }
}

function arnOf(g: { id: string; owner: string; region: string }) {
  return `arn:aws:bedrock:${g.region}:${g.owner}:guardrail/${g.id}`;
}

/** A guardrail config with one denied topic, one custom word, EMAIL anonymization and a blocked message. */
export function guardrailConfig(name: string, extra: Partial<Config> = {}): Config {
  return {
    name,
    blockedInputMessaging: `${name}: input blocked`,
    blockedOutputsMessaging: `${name}: output blocked`,
    wordPolicyConfig: { wordsConfig: [{ text: `${name}-secret` }] },
    ...extra,
  } as Config;
}
