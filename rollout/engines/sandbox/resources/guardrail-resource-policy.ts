/**
 * aws_bedrock_guardrail_resource_policy: the resource-based policy on a guardrail.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail_resource_policy
 */
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { existsUnlessNotFound, type ResourceHandler, tolerateNotFound } from './handler.js';

export const guardrailResourcePolicy: ResourceHandler = {
  computed: ['id'],
  forceNew: ['resource_arn'],
  jsonArgs: ['policy'],
  async create(ctx, args) {
    // PutResourcePolicy replaces: idempotent, nothing to adopt.
    await ctx.clients.bedrock.send(
      new PutResourcePolicyCommand({ resourceArn: String(args.resource_arn), resourcePolicy: String(args.policy) }),
    );
    return { ...args, id: args.resource_arn };
  },
  async update(ctx, args) {
    return guardrailResourcePolicy.create(ctx, args);
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() => ctx.clients.bedrock.send(new DeleteResourcePolicyCommand({ resourceArn: String(prior.resource_arn) })));
  },
  exists(ctx, prior) {
    return existsUnlessNotFound(async () => {
      await ctx.clients.bedrock.send(new GetResourcePolicyCommand({ resourceArn: String(prior.resource_arn) }));
      return true;
    });
  },
};
