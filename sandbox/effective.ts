/**
 * Effective BEDROCK_POLICY per account (through the policy engine) and its validation, as
 * Organizations' invalid-effective-policy alerts report it:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_invalid_policy_alerts.html
 * The engine checks the document's form; the sandbox adds what only the world knows: does the
 * referenced guardrail version exist in the management account, in the region of its key.
 */
import { AwsError } from './errors.js';
import { snapshotOf, type PolicyEngine } from './policy-bridge.js';
import { ancestorsOf, type SandboxState } from './state.js';

export interface EffectiveValidationError {
  ErrorCode: string;
  ErrorMessage: string;
  PathToError: string;
  ContributingPolicies: string[];
}

export function requireEngine(engine: PolicyEngine | undefined): PolicyEngine {
  if (!engine) throw new AwsError('ServiceException', 500, 'The sandbox policy engine (policy/index.ts) is not available.');
  return engine;
}

export function effectiveFor(state: SandboxState, engine: PolicyEngine | undefined, account: string): Record<string, unknown> | null {
  return requireEngine(engine).effective(snapshotOf(state), account);
}

/** Policies of the type attached on the account's path (root → OUs → account). */
export function contributingPolicies(state: SandboxState, account: string, type = 'BEDROCK_POLICY'): string[] {
  const nodes = new Set([...ancestorsOf(state, account), account]);
  const ids = state.attachments.filter((a) => nodes.has(a.targetId)).map((a) => a.policyId);
  return [...new Set(ids)].filter((id) => state.policies.some((p) => p.id === id && p.type === type));
}

const IDENTIFIER_RE = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+):(.+)$/;

export function validateEffective(state: SandboxState, engine: PolicyEngine | undefined, account: string): EffectiveValidationError[] {
  const doc = effectiveFor(state, engine, account);
  if (!doc) return [];
  const contributing = contributingPolicies(state, account);
  const errors: EffectiveValidationError[] = [];
  const add = (code: string, path: string, message: string) => {
    if (!errors.some((e) => e.PathToError === path && e.ErrorMessage === message)) {
      errors.push({ ErrorCode: code, ErrorMessage: message, PathToError: path, ContributingPolicies: contributing });
    }
  };
  const mgmt = state.organization.masterAccountId;
  const inference = ((doc.bedrock as Record<string, unknown> | undefined)?.guardrail_inference ?? {}) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  for (const [region, configs] of Object.entries(inference)) {
    for (const [name, config] of Object.entries(configs ?? {})) {
      const path = `bedrock.guardrail_inference.${region}.${name}.identifier`;
      const identifier = config?.identifier;
      if (typeof identifier !== 'string') {
        add('MISSING_IDENTIFIER', path, 'identifier is required');
        continue;
      }
      const m = IDENTIFIER_RE.exec(identifier);
      if (!m) {
        add('INVALID_IDENTIFIER', path, `"${identifier}" is not a guardrail ARN followed by :<version>`);
        continue;
      }
      const [, arnRegion, owner, id, version] = m;
      if (!/^[1-9][0-9]{0,7}$/.test(version)) {
        add('INVALID_GUARDRAIL_VERSION', path, `version "${version}" is not a published numeric version (DRAFT is not allowed)`);
        continue;
      }
      if (arnRegion !== region) {
        add('REGION_MISMATCH', path, `guardrail region ${arnRegion} does not match the policy key ${region}`);
        continue;
      }
      if (owner !== mgmt) {
        add('GUARDRAIL_NOT_OWNED_BY_MANAGEMENT_ACCOUNT', path, `guardrail owner ${owner} is not the management account ${mgmt}`);
        continue;
      }
      const g = state.guardrails.find((x) => x.owner === owner && x.region === arnRegion && x.id === id);
      if (!g) {
        add('GUARDRAIL_NOT_FOUND', path, `guardrail ${id} does not exist in ${owner} ${arnRegion}`);
        continue;
      }
      if (!g.versions.some((v) => v.version === version))
        add('GUARDRAIL_VERSION_NOT_FOUND', path, `guardrail ${id} has no version ${version}`);
    }
  }
  const engineIssues = engine?.validate(doc, { managementAccountId: mgmt }) ?? [];
  for (const issue of engineIssues) add(issue.code ?? 'INVALID_POLICY', issue.path, issue.message);
  return errors;
}
