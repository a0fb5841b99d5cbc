/**
 * aws_organizations_policy (SDKv2) in the TEST DOUBLE of hashicorp/aws (never used against AWS).
 * Create = CreatePolicy, read = DescribePolicy (null on PolicyNotFoundException or
 * AWSOrganizationsNotInUseException), update = UpdatePolicy with the changed fields, delete =
 * DeletePolicy unless `skip_destroy`. `type` forces replacement and defaults to
 * SERVICE_CONTROL_POLICY: declared Optional+Computed so the plan can carry the SDKv2 default.
 * `content` equivalent as JSON plans and reads as the string already held. Import ID = policy ID.
 * Tags are written on create only and kept from state: the emulator has no tagging API.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/organizations/policy.go
 */
import {
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  type OrganizationsClient,
  PolicyType,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { type BlockSchema, type CtyObject, type ProviderContext, ProviderError, type ResourceType } from '../types.js';
import { oneOf, tagsAll, tagsAllOptionalComputed, tagsAttribute } from './common.js';
import { changed, complete, settleObject, str, stringMap } from './cty-object.js';
import { jsonEquivalent, jsonError } from './json-equivalence.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/organizations/policy.go';

const DEFAULT_TYPE = 'SERVICE_CONTROL_POLICY';
/** enum.Validate[awstypes.PolicyType]: the SDK's list of policy types. */
const POLICY_TYPES: readonly string[] = Object.values(PolicyType);

const schema: BlockSchema = {
  attributes: {
    arn: { type: 'string', computed: true },
    content: { type: 'string', required: true, validate: (v) => (typeof v === 'string' ? jsonError(v) : undefined) },
    description: { type: 'string', optional: true },
    id: { type: 'string', optional: true, computed: true },
    name: { type: 'string', required: true },
    skip_destroy: { type: 'bool', optional: true },
    tags: tagsAttribute,
    tags_all: tagsAllOptionalComputed,
    type: { type: 'string', optional: true, computed: true, forceNew: true, validate: oneOf(POLICY_TYPES) },
  },
};

function org(ctx: ProviderContext): OrganizationsClient {
  return ctx.clients().organizations;
}

export const organizationsPolicy: ResourceType = {
  name: 'aws_organizations_policy',
  source: SOURCE,
  version: 0,
  schema,

  plan({ prior, config }, planned) {
    const out: CtyObject = { ...planned, tags_all: tagsAll(planned) };
    // SDKv2 Default: a type left out of the configuration is SERVICE_CONTROL_POLICY.
    if (config.type === null) out.type = DEFAULT_TYPE;
    const before = str(prior?.content);
    const now = str(out.content);
    if (before && now && jsonEquivalent(before, now)) out.content = before;
    return out;
  },

  async create(ctx, planned) {
    const name = String(planned.name);
    const tags = Object.entries(stringMap(planned.tags) ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const out = await call(`creating Organizations Policy (${name})`, () =>
      org(ctx).send(
        new CreatePolicyCommand({
          Name: name,
          Content: String(planned.content),
          Description: str(planned.description) ?? '',
          Type: (str(planned.type) ?? DEFAULT_TYPE) as PolicyType,
          ...(tags.length ? { Tags: tags } : {}),
        }),
      ),
    );
    const s = out.Policy?.PolicySummary;
    const type = s?.Type ?? str(planned.type) ?? DEFAULT_TYPE;
    return settleObject(planned, { ...planned, id: s?.Id ?? null, arn: s?.Arn ?? null, type, tags_all: tagsAll(planned) });
  },

  async read(ctx, state) {
    const id = String(state.id);
    const out = await call(`reading Organizations Policy (${id})`, () =>
      unlessNotFound(
        () => org(ctx).send(new DescribePolicyCommand({ PolicyId: id })),
        'PolicyNotFoundException',
        'AWSOrganizationsNotInUseException',
      ),
    );
    const p = out?.Policy;
    if (!p?.PolicySummary) return null;
    const held = str(state.content);
    const content = held && p.Content && jsonEquivalent(held, p.Content) ? held : (p.Content ?? null);
    // SDKv2 has no null string: an empty description reads as the absent one.
    const description = p.PolicySummary.Description || (state.description === '' ? '' : null);
    return {
      ...state,
      arn: p.PolicySummary.Arn ?? null,
      content,
      description,
      name: p.PolicySummary.Name ?? null,
      type: p.PolicySummary.Type ?? null,
      id,
      tags_all: tagsAll(state),
    };
  },

  async update(ctx, prior, planned) {
    const id = String(prior.id);
    if (changed(prior, planned, ['content', 'description', 'name'])) {
      await call(`updating Organizations Policy (${id})`, () =>
        org(ctx).send(
          new UpdatePolicyCommand({
            PolicyId: id,
            ...(changed(prior, planned, ['content']) ? { Content: String(planned.content) } : {}),
            ...(changed(prior, planned, ['description']) ? { Description: str(planned.description) ?? '' } : {}),
            ...(changed(prior, planned, ['name']) ? { Name: String(planned.name) } : {}),
          }),
        ),
      );
    }
    return settleObject(planned, prior);
  },

  async delete(ctx, prior) {
    if (prior.skip_destroy === true) return;
    const id = String(prior.id);
    await call(`deleting Organizations Policy (${id})`, () =>
      unlessNotFound(() => org(ctx).send(new DeletePolicyCommand({ PolicyId: id })), 'PolicyNotFoundException'),
    );
  },

  async import(ctx, id) {
    const found = await organizationsPolicy.read(ctx, complete(schema, { id }));
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `Organizations Policy ${id} was not found`);
    return found;
  },
};
