/**
 * What the sandbox engine does for each resource type the modules emit: the SDK calls for
 * create / update / delete, which arguments force a replacement, which attributes are only
 * known after apply, and how to adopt an object a crashed apply created but never recorded.
 * Attribute names follow the hashicorp/aws provider docs (bedrock-enforcement.md §9).
 */
import {
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  DeleteEnforcedGuardrailConfigurationCommand,
  DeleteGuardrailCommand,
  DeleteResourcePolicyCommand,
  GetGuardrailCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  ListGuardrailsCommand,
  PutEnforcedGuardrailConfigurationCommand,
  PutResourcePolicyCommand,
  UpdateGuardrailCommand,
  type PutEnforcedGuardrailConfigurationCommandInput,
} from '@aws-sdk/client-bedrock';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DetachPolicyCommand,
  ListPoliciesCommand,
  UpdatePolicyCommand,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import type { AccountClients } from '../../aws/clients.js';
import { errorName } from '../../aws/errors.js';
import { ToolingError } from '../../../core/errors.js';
import { canonical, single } from '../tfjson.js';
import { guardrailApiInput, guardrailOutputAsInput, sameGuardrailConfig } from '../../../guardrail/wire.js';

export interface ResourceContext {
  clients: AccountClients;
  account: string;
  region: string;
  address: string;
}

export type Attrs = Record<string, unknown>;

export interface ResourceHandler {
  /** Attributes the API assigns (unknown in a plan until created). */
  computed: readonly string[];
  /** Arguments whose change forces delete + create. */
  forceNew: readonly string[];
  /** Arguments whose change is an in-place update (anything else that changes also updates). */
  create(ctx: ResourceContext, args: Attrs): Promise<Attrs>;
  update(ctx: ResourceContext, args: Attrs, prior: Attrs): Promise<Attrs>;
  /** `prior` holds the recorded attributes. */
  delete(ctx: ResourceContext, args: Attrs, prior: Attrs): Promise<void>;
  /** Arguments compared as JSON documents rather than strings. */
  jsonArgs?: readonly string[];
}

const IGNORED_ARGS = new Set(['timeouts', 'tags_all', 'region']);

/** Arguments as compared in a plan: meta/ignored keys dropped, JSON documents canonicalised. */
export function comparableArgs(type: string, args: Attrs): Attrs {
  const h = HANDLERS[type];
  const out: Attrs = {};
  for (const [k, v] of Object.entries(args)) {
    if (IGNORED_ARGS.has(k) || v === null || v === undefined) continue;
    if (h?.jsonArgs?.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(canonical(JSON.parse(v)));
        continue;
      } catch {
        /* not JSON: compare as text */
      }
    }
    out[k] = v;
  }
  return out;
}

// ─────────────── aws_bedrock_guardrail ───────────────

async function findGuardrailByName(ctx: ResourceContext, name: string): Promise<{ id: string; arn: string } | undefined> {
  let nextToken: string | undefined;
  do {
    const out = await ctx.clients.bedrock.send(new ListGuardrailsCommand({ maxResults: 1000, nextToken }));
    const hit = out.guardrails?.find((g) => g.name === name);
    if (hit?.id && hit.arn) return { id: hit.id, arn: hit.arn };
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  return undefined;
}

const guardrail: ResourceHandler = {
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
};

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

// ─────────────── aws_bedrock_guardrail_version ───────────────

const guardrailVersion: ResourceHandler = {
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
  async delete(ctx, args, prior) {
    if (args.skip_destroy === true || prior.skip_destroy === true) return; // forget only
    await tolerateNotFound(() =>
      ctx.clients.bedrock.send(
        new DeleteGuardrailCommand({
          guardrailIdentifier: String(prior.guardrail_arn),
          guardrailVersion: String(prior.version),
        }),
      ),
    );
  },
};

/**
 * A published version with the same description whose content equals the current DRAFT:
 * what a crashed CreateGuardrailVersion left behind. Publishing again would double it.
 */
async function adoptableVersion(ctx: ResourceContext, arn: string, description: string | undefined): Promise<string | undefined> {
  if (!description) return undefined;
  const versions: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await ctx.clients.bedrock.send(new ListGuardrailsCommand({ guardrailIdentifier: arn, maxResults: 1000, nextToken }));
    for (const g of out.guardrails ?? []) {
      if (g.version && /^\d+$/.test(g.version) && g.description === description) versions.push(g.version);
    }
    nextToken = out.nextToken || undefined;
  } while (nextToken);
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

// ─────────────── aws_bedrock_guardrail_resource_policy ───────────────

const resourcePolicy: ResourceHandler = {
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
    return resourcePolicy.create(ctx, args);
  },
  async delete(ctx, _args, prior) {
    await tolerateNotFound(() => ctx.clients.bedrock.send(new DeleteResourcePolicyCommand({ resourceArn: String(prior.resource_arn) })));
  },
};

// ─────────────── aws_bedrock_enforced_guardrail_configuration ───────────────

function enforcedInput(args: Attrs, configId?: string): PutEnforcedGuardrailConfigurationCommandInput {
  const scg = single(args.selective_content_guarding);
  const me = single(args.model_enforcement);
  return {
    ...(configId ? { configId } : {}),
    guardrailInferenceConfig: {
      guardrailIdentifier: String(args.guardrail_identifier),
      guardrailVersion: String(args.guardrail_version),
      ...(scg ? { selectiveContentGuarding: { system: scg.system as never, messages: scg.messages as never } } : {}),
      ...(me
        ? {
            modelEnforcement: {
              includedModels: (me.included_models as string[]) ?? [],
              excludedModels: (me.excluded_models as string[]) ?? [],
            },
          }
        : {}),
    },
  };
}

async function currentEnforced(ctx: ResourceContext) {
  try {
    const out = await ctx.clients.bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    return out.guardrailsConfig?.[0];
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

const enforcedConfig: ResourceHandler = {
  computed: ['config_id', 'guardrail_arn', 'guardrail_id', 'owner', 'id', 'created_at', 'updated_at'],
  forceNew: [],
  async create(ctx, args) {
    // One configuration per account and region: an existing one (ours from a crashed apply,
    // or left behind) is updated in place instead of doubled.
    const existing = await currentEnforced(ctx);
    const out = await ctx.clients.bedrock.send(new PutEnforcedGuardrailConfigurationCommand(enforcedInput(args, existing?.configId)));
    const now = await currentEnforced(ctx);
    return {
      ...args,
      config_id: out.configId ?? now?.configId,
      guardrail_arn: now?.guardrailArn,
      guardrail_id: now?.guardrailId,
      owner: now?.owner ?? 'ACCOUNT',
      id: ctx.region,
    };
  },
  async update(ctx, args, prior) {
    const out = await ctx.clients.bedrock.send(
      new PutEnforcedGuardrailConfigurationCommand(enforcedInput(args, String(prior.config_id ?? '') || undefined)),
    );
    const now = await currentEnforced(ctx);
    return {
      ...prior,
      ...args,
      config_id: out.configId ?? now?.configId ?? prior.config_id,
      guardrail_arn: now?.guardrailArn,
      guardrail_id: now?.guardrailId,
      id: ctx.region,
    };
  },
  async delete(ctx, _args, prior) {
    const configId = String(prior.config_id ?? '') || (await currentEnforced(ctx))?.configId;
    if (!configId) return;
    await tolerateNotFound(() => ctx.clients.bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId })));
  },
};

// ─────────────── aws_organizations_policy ───────────────

async function findPolicyByName(ctx: ResourceContext, type: string, name: string) {
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.organizations.send(new ListPoliciesCommand({ Filter: type as PolicyType, NextToken }));
    const hit = out.Policies?.find((p) => p.Name === name);
    if (hit) return hit;
    NextToken = out.NextToken || undefined;
  } while (NextToken);
  return undefined;
}

const orgPolicy: ResourceHandler = {
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
  async delete(ctx, args, prior) {
    if (args.skip_destroy === true || prior.skip_destroy === true) return;
    await tolerateNotFound(() => ctx.clients.organizations.send(new DeletePolicyCommand({ PolicyId: String(prior.id) })));
  },
};

// ─────────────── aws_organizations_policy_attachment ───────────────

const policyAttachment: ResourceHandler = {
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
    if (args.skip_destroy === true || prior.skip_destroy === true) return;
    await tolerateNotFound(() =>
      ctx.clients.organizations.send(new DetachPolicyCommand({ PolicyId: String(prior.policy_id), TargetId: String(prior.target_id) })),
    );
  },
};

async function tolerateNotFound(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const n = errorName(err);
    if (/NotFound|PolicyNotAttached/.test(n)) return;
    throw err;
  }
}

export const HANDLERS: Record<string, ResourceHandler> = {
  aws_bedrock_guardrail: guardrail,
  aws_bedrock_guardrail_version: guardrailVersion,
  aws_bedrock_guardrail_resource_policy: resourcePolicy,
  aws_bedrock_enforced_guardrail_configuration: enforcedConfig,
  aws_organizations_policy: orgPolicy,
  aws_organizations_policy_attachment: policyAttachment,
};

export const SUPPORTED_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

export function handlerFor(type: string): ResourceHandler {
  const h = HANDLERS[type];
  if (!h)
    throw new ToolingError(`the sandbox engine does not support resource type "${type}" (supported: ${[...SUPPORTED_TYPES].join(', ')})`);
  return h;
}
