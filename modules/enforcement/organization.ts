/**
 * `OrganizationEnforcement`: BEDROCK_POLICY organization policies and their attachments.
 * The documents come from the pure policy module (`buildPhasePolicies`); this construct only
 * turns each PolicySpec into one `aws_organizations_policy` + one
 * `aws_organizations_policy_attachment` per target, after validating the document.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy/index.js';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment/index.js';
import { validatePolicyDocument, type PolicySpec } from '../../policy/index.js';
import type { GuardrailDefinition } from '../../guardrail/definition.js';
import type { GuardrailSpec } from '../../guardrail/spec.js';
import { PATTERNS, PropChecker } from '../props.js';
import { slug } from '../naming.js';
import { POLICY_TARGET_ID } from '../../core/patterns.js';
import { refuseAutomatedReasoning } from './refusal.js';

export interface OrganizationEnforcementProps {
  /** From `buildPhasePolicies(...)`: key, name, description, content (document object), targets. */
  readonly policies: readonly PolicySpec[];
  /** The release the documents enforce; refused when it carries Automated Reasoning. */
  readonly release: { readonly name: string; readonly definition: GuardrailDefinition | GuardrailSpec };
  /** Regions the documents enforce in (every key of guardrail_inference must be one). */
  readonly regions: readonly string[];
  /** Owner of every referenced guardrail (identifiers must be management-account guardrails). */
  readonly managementAccountId: string;
  readonly provider?: TerraformProvider;
}

export interface EnforcedPolicy {
  readonly spec: PolicySpec;
  readonly policy: OrganizationsPolicy;
  readonly attachments: OrganizationsPolicyAttachment[];
}

export class OrganizationEnforcement extends Construct {
  readonly policies: EnforcedPolicy[] = [];

  constructor(scope: Construct, id: string, props: OrganizationEnforcementProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('OrganizationEnforcement', scope, id);
    check.defined('release', props.release);
    check.array('regions', props.regions, { min: 1 });
    props.regions.forEach((r, i) => {
      check.string(`regions[${i}]`, r, { pattern: PATTERNS.region, patternText: 'an AWS region code' });
    });
    check.string('managementAccountId', props.managementAccountId, { pattern: PATTERNS.accountId, patternText: 'a 12-digit account id' });
    check.array('policies', props.policies);
    if (props.policies.length > 0) refuseAutomatedReasoning(props.release, props.regions, 'organization');

    const names = new Set<string>();
    props.policies.forEach((p, i) => {
      const at = `policies[${i}]`;
      check.string(`${at}.key`, p.key);
      const name = policyResourceName(p.key);
      if (names.has(name)) check.fail(`${at}.key`, `must be unique (another policy maps to the Terraform name "${name}")`);
      names.add(name);
      check.string(`${at}.name`, p.name, { max: 128 });
      if (p.description !== undefined) check.string(`${at}.description`, p.description, { min: 0, max: 512 });
      check.array(`${at}.targets`, p.targets, { min: 1 });
      p.targets.forEach((t, j) => {
        check.string(`${at}.targets[${j}]`, t, {
          pattern: POLICY_TARGET_ID,
          patternText: 'a root (r-…), OU (ou-…-…) or 12-digit account id',
        });
      });
      if (new Set(p.targets).size !== p.targets.length) check.fail(`${at}.targets`, 'must not repeat a target');
      const problems = documentProblems(p.content, props);
      if (problems.length) check.fail(`${at}.content`, `is not a valid BEDROCK_POLICY document for "${p.name}": ${problems.join('; ')}`);
    });

    for (const spec of props.policies) {
      const name = policyResourceName(spec.key);
      const policy = new OrganizationsPolicy(this, name, {
        name: spec.name,
        description: spec.description,
        type: 'BEDROCK_POLICY',
        content: JSON.stringify(spec.content),
        provider: props.provider,
      });
      policy.overrideLogicalId(name);
      const attachments = [...spec.targets].sort().map((target) => {
        const a = new OrganizationsPolicyAttachment(this, `${name}-${target}`, {
          policyId: policy.id,
          targetId: target,
          provider: props.provider,
        });
        a.overrideLogicalId(`${name}_${slug(target)}`);
        return a;
      });
      this.policies.push({ spec, policy, attachments });
    }
  }
}

/** Terraform name of the policy resource for a PolicySpec key (attachments: `<name>_<target slug>`). */
export function policyResourceName(key: string): string {
  const s = slug(key);
  return /^[a-z_]/.test(s) ? s : `p_${s}`;
}

function documentProblems(content: unknown, props: OrganizationEnforcementProps): string[] {
  return validatePolicyDocument(content, {
    managementAccountId: props.managementAccountId,
    regions: [...props.regions],
    allowTokens: true,
  })
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.path || '(document)'}: ${i.message}`);
}
