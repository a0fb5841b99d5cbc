/**
 * aws_organizations_policy_attachment: a policy attached to the root, an OU or an account.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment
 */
import { AttachPolicyCommand, DetachPolicyCommand } from '@aws-sdk/client-organizations';
import { errorName } from '../../../aws/errors.js';
import { type ResourceHandler, skipsDestroy, tolerateNotFound } from './handler.js';

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
  async delete(ctx, args, prior) {
    if (skipsDestroy(args, prior)) return;
    await tolerateNotFound(() =>
      ctx.clients.organizations.send(new DetachPolicyCommand({ PolicyId: String(prior.policy_id), TargetId: String(prior.target_id) })),
    );
  },
};
