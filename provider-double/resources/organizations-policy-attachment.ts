/**
 * aws_organizations_policy_attachment (SDKv2) in the TEST DOUBLE of hashicorp/aws (never used
 * against AWS). Create = AttachPolicy, read = ListTargetsForPolicy looking for the target (null
 * when it is not listed, or on PolicyNotFoundException / TargetNotFoundException), delete =
 * DetachPolicy unless `skip_destroy` (already detached or gone is success). `policy_id` and
 * `target_id` force replacement; update only records `skip_destroy`.
 * `id` and the import ID are `TARGETID:POLICYID`.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/organizations/policy_attachment.go
 */
import {
  AttachPolicyCommand,
  DetachPolicyCommand,
  ListTargetsForPolicyCommand,
  type ListTargetsForPolicyCommandOutput,
} from '@aws-sdk/client-organizations';
import { findItem } from '../../core/paginate.js';
import { type BlockSchema, type ProviderContext, ProviderError, type ResourceType } from '../types.js';
import { complete, str } from './cty-object.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/organizations/policy_attachment.go';

const schema: BlockSchema = {
  attributes: {
    id: { type: 'string', optional: true, computed: true },
    policy_id: { type: 'string', required: true, forceNew: true },
    skip_destroy: { type: 'bool', optional: true },
    target_id: { type: 'string', required: true, forceNew: true },
  },
};

function attachmentId(targetId: string, policyId: string): string {
  return `${targetId}:${policyId}`;
}

function parseId(id: string): { targetId: string; policyId: string } {
  const parts = id.split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new ProviderError('Unexpected Import Identifier', `expected ID in format of TARGETID:POLICYID, received: ${id}`);
  }
  return { targetId: parts[0], policyId: parts[1] };
}

function org(ctx: ProviderContext) {
  return ctx.clients().organizations;
}

export const organizationsPolicyAttachment: ResourceType = {
  name: 'aws_organizations_policy_attachment',
  source: SOURCE,
  version: 0,
  schema,

  plan(_req, planned) {
    const target = str(planned.target_id);
    const policy = str(planned.policy_id);
    return target && policy && !str(planned.id) ? { ...planned, id: attachmentId(target, policy) } : planned;
  },

  async create(ctx, planned) {
    const policyId = String(planned.policy_id);
    const targetId = String(planned.target_id);
    await call('creating Organizations Policy Attachment', () =>
      org(ctx).send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId })),
    );
    return { ...planned, id: attachmentId(targetId, policyId) };
  },

  async read(ctx, state) {
    const { targetId, policyId } = parseId(String(state.id ?? attachmentId(String(state.target_id), String(state.policy_id))));
    const hit = await call(`reading Organizations Policy Attachment (${String(state.id)})`, () =>
      unlessNotFound(
        () =>
          findItem(
            (NextToken) => org(ctx).send(new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken })),
            (page: ListTargetsForPolicyCommandOutput) => page.NextToken,
            (page) => page.Targets,
            (t) => t.TargetId === targetId,
          ),
        'PolicyNotFoundException',
        'TargetNotFoundException',
      ),
    );
    if (!hit) return null;
    return { ...state, id: attachmentId(targetId, policyId), policy_id: policyId, target_id: targetId };
  },

  async update(_ctx, _prior, planned) {
    return planned;
  },

  async delete(ctx, prior) {
    if (prior.skip_destroy === true) return;
    const policyId = String(prior.policy_id);
    const targetId = String(prior.target_id);
    await call(`deleting Organizations Policy Attachment (${String(prior.id)})`, () =>
      unlessNotFound(
        () => org(ctx).send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: targetId })),
        'PolicyNotFoundException',
        'TargetNotFoundException',
        'PolicyNotAttachedException',
      ),
    );
  },

  async import(ctx, id) {
    const { targetId, policyId } = parseId(id);
    const found = await organizationsPolicyAttachment.read(ctx, complete(schema, { id, policy_id: policyId, target_id: targetId }));
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `Organizations Policy Attachment ${id} was not found`);
    return found;
  },
};
