/**
 * aws_organizations_policy: an Organizations policy (here BEDROCK_POLICY documents).
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy
 */
import {
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  ListPoliciesCommand,
  UpdatePolicyCommand,
  type ListPoliciesCommandOutput,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { findItem } from '../../../../core/paginate.js';
import { existsUnlessNotFound, type ResourceContext, type ResourceHandler, tolerateNotFound } from './handler.js';

/** The policy of that type and name (names are unique in an organization); stops at the first page that has it. */
function findPolicyByName(ctx: ResourceContext, type: string, name: string) {
  return findItem(
    (NextToken) => ctx.clients.organizations.send(new ListPoliciesCommand({ Filter: type as PolicyType, NextToken })),
    (page: ListPoliciesCommandOutput) => page.NextToken,
    (page) => page.Policies,
    (p) => p.Name === name,
  );
}

export const organizationsPolicy: ResourceHandler = {
  computed: ['id', 'arn'],
  forceNew: ['type'],
  jsonArgs: ['content'],
  async create(ctx, args) {
    const type = String(args.type ?? 'SERVICE_CONTROL_POLICY');
    const name = String(args.name);
    const existing = await findPolicyByName(ctx, type, name);
    if (existing?.Id) {
      // Policy names are unique in an organization: adopt (crash-safety) and converge content.
      await ctx.clients.organizations.send(
        new UpdatePolicyCommand({
          PolicyId: existing.Id,
          Name: name,
          Content: String(args.content),
          Description: (args.description as string | undefined) ?? '',
        }),
      );
      return { ...args, id: existing.Id, arn: existing.Arn, _note: 'adopted' };
    }
    const tags =
      args.tags && typeof args.tags === 'object'
        ? Object.entries(args.tags as Record<string, string>).map(([Key, Value]) => ({ Key, Value }))
        : undefined;
    const out = await ctx.clients.organizations.send(
      new CreatePolicyCommand({
        Name: name,
        Type: type as PolicyType,
        Content: String(args.content),
        Description: (args.description as string | undefined) ?? '',
        ...(tags?.length ? { Tags: tags } : {}),
      }),
    );
    return { ...args, id: out.Policy?.PolicySummary?.Id, arn: out.Policy?.PolicySummary?.Arn };
  },
  async update(ctx, args, prior) {
    await ctx.clients.organizations.send(
      new UpdatePolicyCommand({
        PolicyId: String(prior.id),
        Name: String(args.name),
        Content: String(args.content),
        Description: (args.description as string | undefined) ?? '',
      }),
    );
    return { ...args, id: prior.id, arn: prior.arn };
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() => ctx.clients.organizations.send(new DeletePolicyCommand({ PolicyId: String(prior.id) })));
  },
  exists(ctx, prior) {
    return existsUnlessNotFound(async () => {
      await ctx.clients.organizations.send(new DescribePolicyCommand({ PolicyId: String(prior.id) }));
      return true;
    });
  },
};
