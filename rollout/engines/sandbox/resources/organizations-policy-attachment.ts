/**
 * aws_organizations_policy_attachment: a policy attached to the root, an OU or an account.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment
 */
import {
  AttachPolicyCommand,
  DetachPolicyCommand,
  ListTargetsForPolicyCommand,
  type ListTargetsForPolicyCommandOutput,
} from '@aws-sdk/client-organizations';
import { findItem } from '../../../../core/paginate.js';
import { errorName } from '../../../aws/errors.js';
import { existsUnlessNotFound, type ResourceHandler, tolerateNotFound } from './handler.js';

export const organizationsPolicyAttachment: ResourceHandler = {
  computed: ['id'],
  forceNew: ['policy_id', 'target_id'],
  async create(ctx, args) {
    try {
      await ctx.clients.organizations.send(new AttachPolicyCommand({ PolicyId: String(args.policy_id), TargetId: String(args.target_id) }));
    } catch (err) {
      // Already attached (e.g. by an apply that crashed before recording it): same end state.
      if (errorName(err) !== 'DuplicatePolicyAttachmentException') throw err;
    }
    return { ...args, id: `${args.target_id}:${args.policy_id}` };
  },
  async update(_ctx, args, prior) {
    return { ...prior, ...args };
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() =>
      ctx.clients.organizations.send(new DetachPolicyCommand({ PolicyId: String(prior.policy_id), TargetId: String(prior.target_id) })),
    );
  },
  // Attached = the target is among the policy's targets; a deleted policy (PolicyNotFoundException) is gone too.
  exists(ctx, prior) {
    return existsUnlessNotFound(async () => {
      const hit = await findItem(
        (NextToken) => ctx.clients.organizations.send(new ListTargetsForPolicyCommand({ PolicyId: String(prior.policy_id), NextToken })),
        (page: ListTargetsForPolicyCommandOutput) => page.NextToken,
        (page) => page.Targets,
        (t) => t.TargetId === String(prior.target_id),
      );
      return hit !== undefined;
    });
  },
};
