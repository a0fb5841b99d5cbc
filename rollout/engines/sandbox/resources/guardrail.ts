/**
 * aws_bedrock_guardrail: the guardrail's DRAFT.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail
 */
import {
  CreateGuardrailCommand,
  DeleteGuardrailCommand,
  GetGuardrailCommand,
  ListGuardrailsCommand,
  UpdateGuardrailCommand,
  type ListGuardrailsCommandOutput,
} from '@aws-sdk/client-bedrock';
import { findItem } from '../../../../core/paginate.js';
import { guardrailApiInput } from '../../../../guardrail/wire.js';
import { type Attrs, existsUnlessNotFound, type ResourceContext, type ResourceHandler, tolerateNotFound } from './handler.js';

/** The guardrail of that name in the account and region (names are unique there); stops at the first page that has it. */
async function findGuardrailByName(ctx: ResourceContext, name: string): Promise<{ id: string; arn: string } | undefined> {
  const hit = await findItem(
    (nextToken) => ctx.clients.bedrock.send(new ListGuardrailsCommand({ maxResults: 1000, nextToken })),
    (page: ListGuardrailsCommandOutput) => page.nextToken,
    (page) => page.guardrails,
    (g) => g.name === name && !!g.id && !!g.arn,
  );
  return hit ? { id: hit.id!, arn: hit.arn! } : undefined;
}

function guardrailAttrs(args: Attrs, id: string, arn: string, note?: string): Attrs {
  return {
    ...args,
    guardrail_id: id,
    guardrail_arn: arn,
    version: 'DRAFT',
    status: 'READY',
    id: `${id},DRAFT`,
    ...(note ? { _note: note } : {}),
  };
}

export const guardrail: ResourceHandler = {
  computed: ['guardrail_arn', 'guardrail_id', 'version', 'status', 'created_at', 'id'],
  forceNew: [],
  async create(ctx, args) {
    const input = guardrailApiInput(args);
    // Crash-safety: a guardrail with this name may exist from an apply that died before
    // recording it. Names are unique per account and region, so adopt it and converge its DRAFT.
    const existing = await findGuardrailByName(ctx, String(input.name));
    if (existing) {
      const { tags: _tags, ...upd } = input;
      await ctx.clients.bedrock.send(new UpdateGuardrailCommand({ ...upd, guardrailIdentifier: existing.arn }));
      return guardrailAttrs(args, existing.id, existing.arn, 'adopted');
    }
    const out = await ctx.clients.bedrock.send(new CreateGuardrailCommand(input));
    return guardrailAttrs(args, out.guardrailId!, out.guardrailArn!);
  },
  async update(ctx, args, prior) {
    const { tags: _tags, ...input } = guardrailApiInput(args);
    const out = await ctx.clients.bedrock.send(new UpdateGuardrailCommand({ ...input, guardrailIdentifier: String(prior.guardrail_arn) }));
    return guardrailAttrs(args, out.guardrailId ?? String(prior.guardrail_id), out.guardrailArn ?? String(prior.guardrail_arn));
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() =>
      ctx.clients.bedrock.send(new DeleteGuardrailCommand({ guardrailIdentifier: String(prior.guardrail_arn) })),
    );
  },
  exists(ctx, prior) {
    return existsUnlessNotFound(async () => {
      await ctx.clients.bedrock.send(
        new GetGuardrailCommand({ guardrailIdentifier: String(prior.guardrail_arn), guardrailVersion: 'DRAFT' }),
      );
      return true;
    });
  },
};
