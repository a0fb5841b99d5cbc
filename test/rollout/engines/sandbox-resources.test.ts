/**
 * The sandbox engine's resource registry and handlers without a sandbox: which types exist, how
 * arguments are compared, and that the handlers' list calls go through core/paginate.ts with the
 * same early stop (a lookup by name fetches no page after the one that has it), and that the
 * refresh reads (`exists`) call a missing object gone only on a not-found answer.
 */
import { ToolingError } from '../../../core/errors.js';
import { comparableArgs, handlerFor, type ResourceContext, SUPPORTED_TYPES } from '../../../rollout/engines/sandbox/registry.js';
import { remoteStateStack } from '../../../rollout/engines/tfjson.js';

interface Sent {
  command: string;
  input: Record<string, unknown>;
}

/** A client whose `send` answers from `reply` and records every command it was given. */
function fakeClient(reply: (command: string, input: Record<string, unknown>) => unknown) {
  const sent: Sent[] = [];
  const client = {
    send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const command = cmd.constructor.name.replace(/Command$/, '');
      sent.push({ command, input: cmd.input });
      return reply(command, cmd.input);
    },
  };
  return { client, sent };
}

const ctxWith = (clients: Record<string, unknown>): ResourceContext =>
  ({ clients, account: '111111111111', region: 'us-east-1', address: 'x.y' }) as unknown as ResourceContext;

describe('registry', () => {
  it('has exactly the resource types the modules emit and names an unsupported one', () => {
    expect([...SUPPORTED_TYPES].sort()).toEqual([
      'aws_bedrock_enforced_guardrail_configuration',
      'aws_bedrock_guardrail',
      'aws_bedrock_guardrail_resource_policy',
      'aws_bedrock_guardrail_version',
      'aws_organizations_policy',
      'aws_organizations_policy_attachment',
    ]);
    expect(() => handlerFor('aws_s3_bucket')).toThrow(ToolingError);
    expect(() => handlerFor('aws_s3_bucket')).toThrow(/does not support resource type "aws_s3_bucket"/);
  });

  it('compares JSON documents canonically and drops ignored and empty arguments', () => {
    const a = comparableArgs('aws_organizations_policy', {
      content: '{"b":1,"a":{"d":2,"c":3}}',
      name: 'p',
      tags_all: { x: '1' },
      region: 'us-east-1',
      description: null,
    });
    expect(a).toEqual({ content: { a: { c: 3, d: 2 }, b: 1 }, name: 'p' });
    expect(comparableArgs('aws_organizations_policy', { content: 'not json' })).toEqual({ content: 'not json' });
    // Only the handler's JSON arguments are parsed.
    expect(comparableArgs('aws_bedrock_guardrail', { name: '{"a":1}' })).toEqual({ name: '{"a":1}' });
  });
});

describe('handlers page through list calls (core/paginate.ts)', () => {
  it('aws_bedrock_guardrail: adopts the guardrail of that name found on page 2 without fetching page 3', async () => {
    const pagesByToken: Record<string, unknown> = {
      '': { guardrails: [{ name: 'other', id: 'g0', arn: 'arn:g0' }], nextToken: 't1' },
      t1: { guardrails: [{ name: 'mine', id: 'g1', arn: 'arn:g1' }], nextToken: 't2' },
      t2: { guardrails: [{ name: 'mine', id: 'g2', arn: 'arn:g2' }] },
    };
    const { client, sent } = fakeClient((command, input) =>
      command === 'ListGuardrails' ? pagesByToken[String(input.nextToken ?? '')] : { guardrailId: 'g1', guardrailArn: 'arn:g1' },
    );
    const attrs = await handlerFor('aws_bedrock_guardrail').create(ctxWith({ bedrock: client }), {
      name: 'mine',
      blocked_input_messaging: 'no',
      blocked_outputs_messaging: 'no',
    });
    expect(attrs).toMatchObject({ guardrail_id: 'g1', guardrail_arn: 'arn:g1', _note: 'adopted' });
    expect(sent.map((s) => `${s.command}:${s.input.nextToken ?? ''}`)).toEqual([
      'ListGuardrails:',
      'ListGuardrails:t1',
      'UpdateGuardrail:',
    ]);
  });

  it('aws_organizations_policy: adopts a policy found on page 1 without fetching page 2; creates when no page has it', async () => {
    const pagesByToken: Record<string, unknown> = {
      '': { Policies: [{ Name: 'baseline', Id: 'p-1', Arn: 'arn:p-1' }], NextToken: 'n1' },
      n1: { Policies: [{ Name: 'other', Id: 'p-2', Arn: 'arn:p-2' }] },
    };
    const { client, sent } = fakeClient((command, input) =>
      command === 'ListPolicies'
        ? pagesByToken[String(input.NextToken ?? '')]
        : command === 'CreatePolicy'
          ? { Policy: { PolicySummary: { Id: 'p-new', Arn: 'arn:p-new' } } }
          : {},
    );
    const h = handlerFor('aws_organizations_policy');
    const ctx = ctxWith({ organizations: client });
    const args = { type: 'BEDROCK_POLICY', content: '{}' };
    expect(await h.create(ctx, { ...args, name: 'baseline' })).toMatchObject({ id: 'p-1', _note: 'adopted' });
    expect(sent.map((s) => s.command)).toEqual(['ListPolicies', 'UpdatePolicy']);
    sent.length = 0;
    expect(await h.create(ctx, { ...args, name: 'new' })).toMatchObject({ id: 'p-new' });
    expect(sent.map((s) => `${s.command}:${s.input.NextToken ?? ''}`)).toEqual(['ListPolicies:', 'ListPolicies:n1', 'CreatePolicy:']);
  });

  it('aws_bedrock_guardrail_version: reads every page of versions before publishing', async () => {
    const pagesByToken: Record<string, unknown> = {
      '': { guardrails: [{ version: 'DRAFT' }, { version: '1', description: 'release a' }], nextToken: 't1' },
      t1: { guardrails: [{ version: '2', description: 'release b' }] },
    };
    const { client, sent } = fakeClient((command, input) =>
      command === 'ListGuardrails' ? pagesByToken[String(input.nextToken ?? '')] : { version: '3' },
    );
    const attrs = await handlerFor('aws_bedrock_guardrail_version').create(ctxWith({ bedrock: client }), {
      guardrail_arn: 'arn:g',
      description: 'release c',
    });
    expect(attrs).toMatchObject({ version: '3', id: 'arn:g,3' });
    expect(sent.map((s) => `${s.command}:${s.input.nextToken ?? ''}`)).toEqual([
      'ListGuardrails:',
      'ListGuardrails:t1',
      'CreateGuardrailVersion:',
    ]);
  });
});

describe('refresh reads (exists): only a not-found answer means gone', () => {
  const awsError = (name: string) => Object.assign(new Error(`${name} (fake)`), { name });
  /** Per type: the recorded attributes, the read it sends, and which client. */
  const cases = [
    ['aws_bedrock_guardrail', { guardrail_arn: 'arn:g' }, 'GetGuardrail', 'bedrock'],
    ['aws_bedrock_guardrail_version', { guardrail_arn: 'arn:g', version: '2' }, 'GetGuardrail', 'bedrock'],
    ['aws_bedrock_guardrail_resource_policy', { resource_arn: 'arn:g' }, 'GetResourcePolicy', 'bedrock'],
    ['aws_bedrock_enforced_guardrail_configuration', { config_id: 'c1' }, 'ListEnforcedGuardrailsConfiguration', 'bedrock'],
    ['aws_organizations_policy', { id: 'p-1' }, 'DescribePolicy', 'organizations'],
    ['aws_organizations_policy_attachment', { policy_id: 'p-1', target_id: 'ou-1' }, 'ListTargetsForPolicy', 'organizations'],
  ] as const;

  it.each(cases)('%s: present → true, NotFound → false, throttled → the error', async (type, prior, read, service) => {
    const present = fakeClient(() => ({ guardrailsConfig: [{ configId: 'c1' }], Targets: [{ TargetId: 'ou-1' }] }));
    expect(await handlerFor(type).exists(ctxWith({ [service]: present.client }), prior)).toBe(true);
    expect(present.sent.map((x) => x.command)).toEqual([read]);
    const notFound = service === 'organizations' ? 'PolicyNotFoundException' : 'ResourceNotFoundException';
    const gone = fakeClient(() => {
      throw awsError(notFound);
    });
    expect(await handlerFor(type).exists(ctxWith({ [service]: gone.client }), prior)).toBe(false);
    const throttled = fakeClient(() => {
      throw awsError('ThrottlingException');
    });
    await expect(handlerFor(type).exists(ctxWith({ [service]: throttled.client }), prior)).rejects.toThrow('ThrottlingException (fake)');
  });

  it('list-based reads look at every page for the recorded id and are gone when no page has it', async () => {
    const configs: Record<string, unknown> = {
      '': { guardrailsConfig: [{ configId: 'other' }], nextToken: 'n1' },
      n1: { guardrailsConfig: [{ configId: 'c1' }] },
    };
    const { client, sent } = fakeClient((_c, input) => configs[String(input.nextToken ?? '')]);
    const h = handlerFor('aws_bedrock_enforced_guardrail_configuration');
    expect(await h.exists(ctxWith({ bedrock: client }), { config_id: 'c1' })).toBe(true);
    expect(sent.map((x) => x.input.nextToken ?? '')).toEqual(['', 'n1']);
    expect(await h.exists(ctxWith({ bedrock: client }), { config_id: 'deleted' })).toBe(false);
    const detached = fakeClient(() => ({ Targets: [{ TargetId: 'ou-2' }] }));
    expect(
      await handlerFor('aws_organizations_policy_attachment').exists(ctxWith({ organizations: detached.client }), {
        policy_id: 'p-1',
        target_id: 'ou-1',
      }),
    ).toBe(false);
  });
});

describe('terraform_remote_state → stack (tfjson, pure)', () => {
  const stacks = ['guardrails', 'pilot', 'model-rules', 'ou', 'enterprise'];
  it.each([
    [{ path: '.rollout/tfstate/sandbox/guardrails.tfstate' }, 'guardrails'],
    [{ path: 'C:\\state\\guardrails.tfstate' }, 'guardrails'],
    [{ key: 'rollout/prod/guardrails.tfstate' }, 'guardrails'],
    [{ workspaces: { name: 'prod-guardrails' } }, 'guardrails'],
    [{ path: 'x/model-rules.tfstate' }, 'model-rules'],
  ])('reads %j as %s', (config, stack) => {
    expect(remoteStateStack('whatever', config, stacks)).toBe(stack);
  });
  it('falls back to the data source name, else undefined', () => {
    expect(remoteStateStack('guardrails', { path: 'unrelated.tfstate' }, stacks)).toBe('guardrails');
    expect(remoteStateStack('other', { path: 'unrelated.tfstate' }, stacks)).toBeUndefined();
  });
});
