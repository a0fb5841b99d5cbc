/**
 * Preflight never passes a check it could not run (issue 5 part 4: "all evidence-based").
 */
import type { Environment, Phase } from '../../../model/types.js';
import type { AwsAccess } from '../../../rollout/aws/clients.js';
import { profilePolicyCheck } from '../../../rollout/gates/preflight/profile-policy.js';
import { accountsForPhase } from '../../../rollout/gates/scope.js';
import { runPreflight, type GateRunContext } from '../../../rollout/gates/index.js';
import { sandboxEnvironment, startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';

describe('preflight: ApplyGuardrail from identities in scope', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('no account in scope to call ApplyGuardrail from → failed, not a vacuous pass', async () => {
    const rel = fx.env.currentRelease;
    const releases = { pilot: rel, 'model-rules': rel, ou: rel };
    const g = await fx.apply(fx.synth(releases).get('guardrails')!);
    const published = fx.published(g.outputs, rel, fx.env.managementAccountId);

    // With the pilot OU populated, the check runs from its accounts and passes.
    const withAccounts = await runPreflight(fx.context('ou', rel, releases, published));
    const ran = withAccounts.checks.filter((c) => c.id.startsWith('preflight:apply-guardrail@'));
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.every((c) => c.status === 'passed')).toBe(true);

    // The same organization with the pilot OU emptied: nothing can be tried, so nothing is proven.
    const inOu = new Set(accountsForPhase(fx.env, 'ou'));
    const emptied = {
      ...fx.env,
      organization: { ...fx.env.organization, accounts: fx.env.organization.accounts.filter((a) => !inOu.has(a.id)) },
    };
    const pre = await runPreflight({ ...fx.context('ou', rel, releases, published), env: emptied });
    const check = pre.checks.find((c) => c.id === 'preflight:apply-guardrail');
    expect(check).toMatchObject({ status: 'failed' });
    expect(check!.detail).toMatch(/no account in scope/);
    expect(pre.checks.some((c) => c.id.startsWith('preflight:apply-guardrail@'))).toBe(false);
    expect(pre.status).toBe('failed');
  });
});

// Callers need ApplyGuardrail on the guardrail profile too when the guardrail uses cross-Region inference:
// https://docs.aws.amazon.com/bedrock/latest/userguide/guardrail-profiles-permissions.html
describe('preflight: guardrail-profile resource policy for cross-Region releases', () => {
  let env: Environment;
  beforeAll(async () => {
    env = await sandboxEnvironment();
  });
  const PROFILE = 'arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0';

  /** A context whose release uses `crossRegion` and whose Bedrock GetResourcePolicy answers `answer`. */
  function ctx(phase: Phase, answer: () => Promise<unknown>, crossRegion: boolean = true) {
    const calls: { account: string; region: string; input: unknown }[] = [];
    const release = env.releases.find((r) => r.name === env.currentRelease)!;
    const spec = release.definition.toSpec();
    const definition = { toSpec: () => ({ ...spec, crossRegion: crossRegion ? { guardrailProfileArn: PROFILE } : null }) };
    const access = {
      forAccount: (account: string, region: string) => ({
        bedrock: {
          send: (cmd: { input: unknown }) => {
            calls.push({ account, region, input: cmd.input });
            return answer();
          },
        },
      }),
    } as unknown as AwsAccess;
    const c = {
      env: { ...env, releases: [{ ...release, definition }] },
      phase,
      release: release.name,
      asOf: new Date('2026-11-25T00:00:00Z'),
      access,
      published: {},
      phaseStacks: {},
    } as unknown as GateRunContext;
    return { c, calls };
  }
  const grant = (resource: string, org: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['bedrock:ApplyGuardrail'],
          Resource: resource,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': org } },
        },
      ],
    });

  it('a profile without a resource policy fails (members would be denied through the profile)', async () => {
    const notFound = Object.assign(new Error('no policy'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    const { c, calls } = ctx('enterprise', () => Promise.reject(notFound));
    const [check] = await profilePolicyCheck.run(c);
    expect(check).toMatchObject({
      id: 'preflight:resource-policy:guardrail-profile',
      status: 'failed',
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(check.detail).toMatch(/cross-Region inference.*AccessDenied/);
    expect(calls).toEqual([{ account: '111111111111', region: 'us-east-1', input: { resourceArn: PROFILE } }]);
  });

  it('passes only when the profile policy grants the organization on the profile ARN', async () => {
    expect(
      (await profilePolicyCheck.run(ctx('ou', async () => ({ resourcePolicy: grant(PROFILE, env.organizationId) })).c))[0].status,
    ).toBe('passed');
    expect((await profilePolicyCheck.run(ctx('ou', async () => ({ resourcePolicy: grant(PROFILE, 'o-someoneelse1') })).c))[0].status).toBe(
      'failed',
    );
    const guardrailArn = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456';
    expect(
      (await profilePolicyCheck.run(ctx('ou', async () => ({ resourcePolicy: grant(guardrailArn, env.organizationId) })).c))[0].status,
    ).toBe('failed');
  });

  it('no check without cross-Region inference, and none for the account-level pilot', async () => {
    const never = () => Promise.reject(new Error('must not be called'));
    expect(await profilePolicyCheck.run(ctx('enterprise', never, false).c)).toEqual([]);
    expect(await profilePolicyCheck.run(ctx('pilot', never).c)).toEqual([]);
  });
});
