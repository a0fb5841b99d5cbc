/**
 * aws_bedrock_guardrail_version: a published (immutable) snapshot of the guardrail's DRAFT.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail_version
 */
import {
  CreateGuardrailVersionCommand,
  DeleteGuardrailCommand,
  GetGuardrailCommand,
  ListGuardrailsCommand,
  type ListGuardrailsCommandOutput,
} from '@aws-sdk/client-bedrock';
import { allItems } from '../../../../core/paginate.js';
import { guardrailOutputAsInput, sameGuardrailConfig } from '../../../../guardrail/wire.js';
import { existsUnlessNotFound, type ResourceContext, type ResourceHandler, tolerateNotFound } from './handler.js';

/**
 * A published version with the same description whose content equals the current DRAFT:
 * what a crashed CreateGuardrailVersion left behind. Publishing again would double it.
 */
async function adoptableVersion(ctx: ResourceContext, arn: string, description: string | undefined): Promise<string | undefined> {
  if (!description) return undefined;
  const listed = await allItems(
    (nextToken) => ctx.clients.bedrock.send(new ListGuardrailsCommand({ guardrailIdentifier: arn, maxResults: 1000, nextToken })),
    (page: ListGuardrailsCommandOutput) => page.nextToken,
    (page) => page.guardrails,
  );
  const versions = listed.filter((g) => g.version && /^\d+$/.test(g.version) && g.description === description).map((g) => g.version!);
  if (!versions.length) return undefined;
  const draft = guardrailOutputAsInput(
    await ctx.clients.bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: 'DRAFT' })),
  );
  for (const v of versions.sort((a, b) => Number(b) - Number(a))) {
    const snap = guardrailOutputAsInput(
      await ctx.clients.bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: v })),
    );
    const { description: _d1, ...a } = snap;
    const { description: _d2, ...b } = draft;
    if (sameGuardrailConfig(a, b)) return v;
  }
  return undefined;
}

export const guardrailVersion: ResourceHandler = {
  computed: ['version', 'id'],
  forceNew: ['guardrail_arn', 'description'],
  async create(ctx, args) {
    const arn = String(args.guardrail_arn);
    const description = typeof args.description === 'string' ? args.description : undefined;
    const adopted = await adoptableVersion(ctx, arn, description);
    if (adopted) return { ...args, version: adopted, id: `${arn},${adopted}`, _note: 'adopted' };
    const out = await ctx.clients.bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: arn, description }));
    return { ...args, version: out.version!, id: `${arn},${out.version}` };
  },
  async update(_ctx, args, prior) {
    // Only skip_destroy can change in place (Terraform state only).
    return { ...prior, ...args, version: prior.version, id: prior.id };
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() =>
      ctx.clients.bedrock.send(
        new DeleteGuardrailCommand({
          guardrailIdentifier: String(prior.guardrail_arn),
          guardrailVersion: String(prior.version),
        }),
      ),
    );
  },
  exists(ctx, prior) {
    return existsUnlessNotFound(async () => {
      await ctx.clients.bedrock.send(
        new GetGuardrailCommand({ guardrailIdentifier: String(prior.guardrail_arn), guardrailVersion: String(prior.version) }),
      );
      return true;
    });
  },
};
