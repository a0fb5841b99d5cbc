/**
 * `configure` of the provider double (a TEST DOUBLE of hashicorp/aws for the emulator, never used
 * against AWS): region and endpoints are required, base credentials come from the arguments or
 * the SDK default chain (environment), and a chain of assume_role blocks is assumed in order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { awsProvider, closeProviderContext } from '../../provider-double/provider.js';
import { bedrockGuardrail } from '../../provider-double/resources/index.js';
import { ProviderError } from '../../provider-double/types.js';
import { MGMT, PILOT } from '../helpers/sandbox.js';
import { createVia, type DoubleFixture, startDouble } from './resources-fixture.js';

let fx: DoubleFixture;

beforeAll(async () => {
  fx = await startDouble();
});
afterAll(async () => {
  await fx?.close();
});

const ADMIN_ROLE = `arn:aws:iam::${MGMT}:role/GuardrailAdminRole`;
const MEMBER_ROLE = `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`;

const GUARDRAIL = { name: 'chain-probe', blocked_input_messaging: 'no', blocked_outputs_messaging: 'no' };

async function configureError(config: Record<string, unknown>): Promise<ProviderError> {
  try {
    await awsProvider.configure(fx.providerConfig(config), '1.11.4');
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('configure succeeded');
}

describe('awsProvider.configure', () => {
  it('declares the provider block the stacks and real configurations use', () => {
    const s = awsProvider.schema;
    expect(awsProvider.address).toBe('registry.terraform.io/hashicorp/aws');
    expect(s.attributes.skip_metadata_api_check!.type).toBe('string');
    expect(s.attributes.skip_credentials_validation!.type).toBe('bool');
    expect(s.blocks!.endpoints!.nesting).toBe('set');
    expect(Object.keys(s.blocks!.endpoints!.block.attributes)).toEqual(
      expect.arrayContaining(['bedrock', 'organizations', 'sts', 's3', 'iam']),
    );
    expect(s.blocks!.assume_role!.nesting).toBe('list');
    expect(s.attributes.alias).toBeUndefined();
    expect(awsProvider.resources.map((r) => r.name).sort()).toEqual([
      'aws_bedrock_enforced_guardrail_configuration',
      'aws_bedrock_guardrail',
      'aws_bedrock_guardrail_resource_policy',
      'aws_bedrock_guardrail_version',
      'aws_organizations_policy',
      'aws_organizations_policy_attachment',
    ]);
  });

  it('refuses to run without endpoints or without a region', async () => {
    const noEndpoints = await configureError({ ...fx.keys(), endpoints: [] });
    expect(noEndpoints.summary).toBe('No endpoints configured');
    expect(noEndpoints.detail).toMatch(/must never reach AWS/);
    const noRegion = await configureError({ ...fx.keys(), region: null });
    expect(noRegion.summary).toBe('Missing region');
    expect(noRegion.path).toEqual(['region']);
  });

  it('assumes two assume_role blocks in order and acts in the member account', async () => {
    const ctx = await fx.configure({
      assume_role: [
        { role_arn: ADMIN_ROLE, session_name: 'guardrail-rollout-pilot' },
        { role_arn: MEMBER_ROLE, session_name: 'guardrail-rollout-pilot', duration: '1h' },
      ],
    });
    const g = await createVia(bedrockGuardrail, ctx, GUARDRAIL);
    expect(g.guardrail_arn).toBe(`arn:aws:bedrock:us-east-1:${PILOT}:guardrail/${String(g.guardrail_id)}`);
    await bedrockGuardrail.delete(ctx, g);
  });

  it('reports a role the chain may not assume, naming the hop', async () => {
    const err = await configureError({
      ...fx.keys(),
      assume_role: [
        { role_arn: ADMIN_ROLE, session_name: 's1' },
        { role_arn: `arn:aws:iam::${PILOT}:role/NoSuchRole`, session_name: 's2' },
      ],
    });
    expect(err.summary).toBe('Cannot assume IAM Role');
    expect(err.detail).toBe(
      `IAM Role (arn:aws:iam::${PILOT}:role/NoSuchRole) cannot be assumed (assume_role 2 of 2): AccessDenied: ` +
        `User: arn:aws:sts::${MGMT}:assumed-role/GuardrailAdminRole/s1 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${PILOT}:role/NoSuchRole`,
    );
    expect(err.path).toEqual(['assume_role', 1, 'role_arn']);
  });

  it('takes base credentials from the environment (SDK default chain) and validates them with STS', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    const k = fx.keys(PILOT);
    process.env.AWS_ACCESS_KEY_ID = k.access_key;
    process.env.AWS_SECRET_ACCESS_KEY = k.secret_key;
    try {
      const ctx = await awsProvider.configure(
        fx.providerConfig({ skip_credentials_validation: false, skip_requesting_account_id: false, allowed_account_ids: [PILOT] }),
        '1.11.4',
      );
      const g = await createVia(bedrockGuardrail, ctx, { ...GUARDRAIL, name: 'env-creds' });
      expect(g.guardrail_arn).toContain(`:${PILOT}:guardrail/`);
      await bedrockGuardrail.delete(ctx, g);
      closeProviderContext(ctx);
      const forbidden = await configureError({ forbidden_account_ids: [PILOT] });
      expect(forbidden.detail).toBe(`AWS account ID not allowed: ${PILOT}`);
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });

  it('errors on half-given static credentials and on a bad duration', async () => {
    expect((await configureError({ access_key: 'AKIA' })).summary).toBe('Incomplete static credentials');
    const bad = await configureError({ ...fx.keys(), assume_role: [{ role_arn: ADMIN_ROLE, duration: 'soon' }] });
    expect(bad.summary).toBe('Invalid assume_role duration');
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
