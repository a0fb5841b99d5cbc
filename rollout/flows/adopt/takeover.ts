/**
 * What taking over a mapped object writes (pure): the resources the owning phase's stack
 * declares for it, as the sandbox engine records them, and the Terraform import blocks for the
 * same addresses. The addresses are the stacks' own (stacks/org-policy-stack.ts: the phase's
 * `baseline` policy and its attachment; stacks/pilot-stack.ts: `account_<region>`), so the
 * owning phase's next plan diffs against the adopted object: an update or a no-op, never a
 * create beside it.
 */
import type { Environment, Phase } from '../../../model/types.js';
import { policyResourceName } from '../../../modules/enforcement/organization.js';
import { regionSlug, slug } from '../../../modules/naming.js';
import { ADOPTED_NOTE, type ResourceState } from '../../engines/sandbox/engine.js';
import type { RecordedAccountConfig, RecordedPolicy } from '../../gates/preflight/recorded.js';
import type { AdoptedRecord } from '../../state/store.js';
import type { AdoptRow } from './mapping.js';

export interface Takeover {
  record: Omit<AdoptedRecord, 'adoptedAt' | 'attemptId'>;
  /** Sandbox engine: address → resource, in the owner's stack. */
  resources: Record<string, ResourceState>;
}

const POLICY = 'aws_organizations_policy';
const ATTACHMENT = 'aws_organizations_policy_attachment';
const CONFIG = 'aws_bedrock_enforced_guardrail_configuration';

function policyTakeover(env: Pick<Environment, 'managementAccountId' | 'homeRegion'>, p: RecordedPolicy): Takeover['resources'] {
  const name = policyResourceName('baseline');
  const target = p.targets[0]!;
  // As the org stacks' home provider places them: the management account, the home region.
  const at = { account: env.managementAccountId, region: env.homeRegion };
  const args = { name: p.name, description: p.description ?? '', type: 'BEDROCK_POLICY', content: p.content };
  const attach = { policy_id: p.id, target_id: target };
  return {
    [`${POLICY}.${name}`]: { type: POLICY, ...at, args, attrs: { ...args, id: p.id, _note: ADOPTED_NOTE }, dependsOn: [] },
    [`${ATTACHMENT}.${name}_${slug(target)}`]: {
      type: ATTACHMENT,
      ...at,
      args: attach,
      attrs: { ...attach, id: `${target}:${p.id}`, _note: ADOPTED_NOTE },
      dependsOn: [`${POLICY}.${name}`],
    },
  };
}

function configTakeover(c: RecordedAccountConfig): Takeover['resources'] {
  const args = {
    guardrail_identifier: c.guardrailArn,
    guardrail_version: c.guardrailVersion,
    selective_content_guarding: [{ system: c.system, messages: c.messages }],
    model_enforcement: [{ included_models: c.includedModels, excluded_models: c.excludedModels }],
  };
  return {
    [`${CONFIG}.account_${regionSlug(c.region)}`]: {
      type: CONFIG,
      account: c.account,
      region: c.region,
      args,
      attrs: { ...args, config_id: c.configId, guardrail_arn: c.guardrailArn, owner: 'ACCOUNT', id: c.region, _note: ADOPTED_NOTE },
      dependsOn: [],
    },
  };
}

/** Import ids as the provider reads them: policy id; `TARGETID:POLICYID`; the Region of a configuration. */
function importsOf(resources: Takeover['resources'], kind: AdoptRow['kind']): NonNullable<AdoptedRecord['imports']> {
  return Object.entries(resources).map(([to, r]) => ({
    to,
    id: String(r.attrs.id),
    // The pilot stack's providers are aliased per Region (stacks/providers.ts regionalProviders).
    ...(kind === 'account-config' ? { provider: `aws.${regionSlug(r.region)}` } : {}),
  }));
}

/** What to take over for a mapped row, or again for an adopted record (same fields). */
export function takeover(
  env: Pick<Environment, 'managementAccountId' | 'homeRegion'>,
  row: Pick<AdoptRow, 'kind' | 'id' | 'owner' | 'mapping'> & { object: unknown },
): Takeover {
  const owner = row.owner as Phase;
  const resources =
    row.kind === 'policy' ? policyTakeover(env, row.object as RecordedPolicy) : configTakeover(row.object as RecordedAccountConfig);
  return {
    record: {
      kind: row.kind,
      id: row.id,
      owner,
      mapping: row.mapping as AdoptedRecord['mapping'],
      object: row.object,
      imports: importsOf(resources, row.kind),
    },
    resources,
  };
}
