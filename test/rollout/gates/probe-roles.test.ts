/**
 * Issue 10 item 5: workload identities for reachability. `deployment.probeRoles` names the role
 * workloads use per account or OU; preflight's ApplyGuardrail check and the smoke invocations act
 * as it (base → management role → member role → probe role), the emulator gives each probe role an
 * identity policy, a probe role without bedrock:ApplyGuardrail fails preflight naming account and
 * role, and an account without a probe role passes on the deployment role with a visible warning.
 */
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { probeRoleFor } from '../../../model/probe-roles.js';
import type { Environment } from '../../../model/types.js';
import { runPostApplyGates, runPreflight, runSmoke } from '../../../rollout/gates/index.js';
import { PROBE_FALLBACK_WARNING } from '../../../rollout/gates/preflight/reachability.js';
import { plannedGates } from '../../../rollout/report/report.js';
import type { GateResult, PublishedVersion } from '../../../rollout/state/contracts.js';
import { PROBE_ROLE_ACTIONS, seedRoles } from '../../../sandbox/seed.js';
import { loadError, loadMutated } from '../../helpers/environment.js';
import { type Fixture, sandboxEnvironment, startFixture } from '../../helpers/sandbox-fixture.js';

const reach = (r: GateResult) => r.checks.filter((c) => c.id.startsWith('preflight:apply-guardrail@'));

/** The pilot phase's preflight, after the guardrails stack is applied. */
async function pilotPreflight(fx: Fixture): Promise<{ pre: GateResult; published: Record<string, PublishedVersion> }> {
  const rel = fx.env.currentRelease;
  const g = await fx.apply(fx.synth({ pilot: rel }).get('guardrails')!);
  const published = fx.published(g.outputs, rel, fx.env.managementAccountId);
  return { pre: await runPreflight(fx.context('pilot', rel, { pilot: rel }, published)), published };
}

describe('deployment.probeRoles: schema and inheritance', () => {
  let env: Environment;
  beforeAll(async () => {
    env = await sandboxEnvironment();
  });

  test('an account takes its own entry, else the nearest OU above it, else the default', () => {
    expect(env.deployment.probeRoles).toBeDefined();
    expect(probeRoleFor(env, '555555555553')).toEqual({
      roleName: 'MlResearchNotebook',
      source: { kind: 'account', target: '555555555553' },
    });
    // Prod is under Workloads: the Prod entry is the nearest.
    expect(probeRoleFor(env, '444444444441')).toEqual({
      roleName: 'ProdBedrockWorkload',
      source: { kind: 'ou', target: 'ou-sb01-prod0001' },
    });
    expect(probeRoleFor(env, env.pilot.account)).toEqual({ roleName: 'BedrockWorkloadProbe', source: { kind: 'default' } });
    const noDefault = { ...env, deployment: { ...env.deployment, probeRoles: { byTarget: { 'ou-sb01-wkld0001': 'AppRole' } } } };
    expect(probeRoleFor(noDefault, '444444444441')?.roleName).toBe('AppRole'); // inherited two levels down
    expect(probeRoleFor(noDefault, env.pilot.account)).toBeUndefined();
  });

  test('the reviewer report says who preflight and smoke act as, and warns about accounts without a probe role', () => {
    const pre = (e: Environment) => plannedGates(e, 'ou').find((g) => g.gate === 'preflight')!.detail;
    expect(pre(env)).toContain('as the probe role of each account');
    expect(pre(env)).not.toContain('warning');
    const prodOnly = { ...env, deployment: { ...env.deployment, probeRoles: { byTarget: { 'ou-sb01-prod0001': 'ProdBedrockWorkload' } } } };
    expect(pre(prodOnly)).toMatch(/warning: \d+ account\(s\) in scope have none \(.*666666666661.*\): checked with the deployment role/);
    const none = { ...env, deployment: { ...env.deployment, probeRoles: undefined } };
    expect(pre(none)).toContain('warning: no deployment.probeRoles, so identity policies of workloads are not tested');
  });

  test('a byTarget key that is not in the organization is refused with its path', async () => {
    const err = await loadError((d) => {
      d.setIn(['deployment', 'probeRoles', 'byTarget', 'ou-sb01-nope0001'], 'AppRole');
    });
    expect(err.path).toBe('deployment.probeRoles.byTarget.ou-sb01-nope0001');
    expect(err.expected).toMatch(/expected an account or OU listed in organization, got "ou-sb01-nope0001"/);
  });

  test('a key that is neither an account nor an OU id, a bad role name, or an empty mapping is refused', async () => {
    const key = await loadError((d) => {
      d.setIn(['deployment', 'probeRoles', 'byTarget', 'r-sb01'], 'AppRole');
    });
    expect(key.path).toMatch(/^deployment\.probeRoles\.byTarget/);
    expect(key.expected).toMatch(/expected an account id .* or an OU id/);
    const name = await loadError((d) => {
      d.setIn(['deployment', 'probeRoles', 'default'], 'not a role!');
    });
    expect([name.path, name.expected]).toEqual(['deployment.probeRoles.default', expect.stringMatching(/expected an IAM role name/)]);
    const empty = await loadError((d) => {
      d.setIn(['deployment', 'probeRoles'], d.createNode({}));
    });
    expect([empty.path, empty.expected]).toEqual(['deployment.probeRoles', expect.stringMatching(/expected default and\/or byTarget/)]);
  });

  test('probeRoles is optional', async () => {
    const env2 = await loadMutated((d) => {
      d.deleteIn(['deployment', 'probeRoles']);
    });
    expect(env2.deployment.probeRoles).toBeUndefined();
  });

  test('the emulator seeds each account’s probe role trusting the deployment role there, with an identity policy', () => {
    const mgmt = env.managementAccountId;
    const roles = seedRoles(
      env,
      env.organization.accounts.map((a) => a.id),
    );
    expect(roles[env.pilot.account]).toContainEqual({
      name: 'BedrockWorkloadProbe',
      trust: [`arn:aws:iam::${env.pilot.account}:role/${env.deployment.roleName}`],
      allowedActions: [...PROBE_ROLE_ACTIONS],
    });
    expect(roles['444444444442']!.map((r) => r.name)).toContain('ProdBedrockWorkload');
    // The management account's probe role trusts the management role (the role held there).
    expect(roles[mgmt]).toContainEqual({
      name: 'BedrockWorkloadProbe',
      trust: [`arn:aws:iam::${mgmt}:role/${env.deployment.managementRoleName}`],
      allowedActions: [...PROBE_ROLE_ACTIONS],
    });
    // Deployment roles have no modelled identity policy (administrators).
    expect(roles[env.pilot.account]!.find((r) => r.name === env.deployment.roleName)!.allowedActions).toBeUndefined();
    const probe = `arn:aws:iam::${env.pilot.account}:role/BedrockWorkloadProbe`;
    const narrowed = seedRoles(env, [mgmt, env.pilot.account], { identityPolicies: { [probe]: ['bedrock:InvokeModel'] } });
    expect(narrowed[env.pilot.account]!.find((r) => r.name === 'BedrockWorkloadProbe')!.allowedActions).toEqual(['bedrock:InvokeModel']);
  });
});

describe('probe roles against the sandbox', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  test('the probe chain is base → management role → member role → probe role; GetCallerIdentity is the probe role', async () => {
    const acct = fx.env.pilot.account;
    const mgmt = fx.env.managementAccountId;
    const w = fx.access.forWorkload(acct);
    expect(w.probeRole).toBe(`arn:aws:iam::${acct}:role/BedrockWorkloadProbe`);
    expect(fx.access.probeChain(acct)).toEqual([
      `arn:aws:iam::${mgmt}:role/${fx.env.deployment.managementRoleName}`,
      `arn:aws:iam::${acct}:role/${fx.env.deployment.roleName}`,
      `arn:aws:iam::${acct}:role/BedrockWorkloadProbe`,
    ]);
    const me = await w.sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: acct, Arn: `arn:aws:sts::${acct}:assumed-role/BedrockWorkloadProbe/guardrail-rollout` });
    // Each hop was signed by the one before: the probe session came from the member role's session.
    const creds = await w.sts.config.credentials();
    const session = fx.sandbox.state.sessions[creds.accessKeyId]!;
    expect(session.sourceArn).toBe(`arn:aws:sts::${acct}:assumed-role/${fx.env.deployment.roleName}/guardrail-rollout`);
    const member = Object.values(fx.sandbox.state.sessions).find((s) => s.account === acct && s.roleName === fx.env.deployment.roleName)!;
    expect(member.sourceArn).toBe(`arn:aws:sts::${mgmt}:assumed-role/${fx.env.deployment.managementRoleName}/guardrail-rollout`);
    // In the management account: management role → probe role.
    const m = await fx.access.forWorkload(mgmt).sts.send(new GetCallerIdentityCommand({}));
    expect(m.Arn).toBe(`arn:aws:sts::${mgmt}:assumed-role/BedrockWorkloadProbe/guardrail-rollout`);
  });

  test('preflight and smoke pass as the probe roles, with no fallback warning', async () => {
    const rel = fx.env.currentRelease;
    const { pre, published } = await pilotPreflight(fx);
    expect(pre.status).toBe('passed');
    const checks = reach(pre);
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.detail).toContain(`as probe role arn:aws:iam::${c.account}:role/`);
      expect(c.evidence).toMatchObject({ probeRole: true });
    }
    expect(pre.summary).not.toContain('warning');
    const out = await fx.apply(fx.synth({ pilot: rel }).get('pilot')!);
    const post = await runPostApplyGates(fx.context('pilot', rel, { pilot: rel }, fx.published(out.outputs, rel, fx.env.pilot.account)));
    const smoke = post.find((g) => g.gate === 'smoke')!;
    expect(smoke.status).toBe('passed');
    expect(smoke.summary).not.toContain('warning');
    void published;
  }, 120_000);

  test('a probe role without bedrock:ApplyGuardrail fails preflight with AccessDenied naming account and role; the deployment role would have passed', async () => {
    const acct = fx.env.pilot.account;
    const role = fx.sandbox.state.roles[acct]!.find((r) => r.name === 'BedrockWorkloadProbe')!;
    const before = role.allowedActions;
    role.allowedActions = ['bedrock:InvokeModel'];
    try {
      const { pre, published } = await pilotPreflight(fx);
      expect(pre.status).toBe('failed');
      const probeArn = `arn:aws:iam::${acct}:role/BedrockWorkloadProbe`;
      for (const region of fx.env.regions) {
        const c = reach(pre).find((x) => x.id === `preflight:apply-guardrail@${acct}/${region}`)!;
        expect(c).toMatchObject({ status: 'failed', account: acct, region });
        expect(c.detail).toContain(`as probe role ${probeArn} was denied`);
        expect(c.detail).toContain(`workloads in ${acct} using ${probeArn}`);
        expect(c.detail).toMatch(
          new RegExp(
            `AccessDenied.*arn:aws:sts::${acct}:assumed-role/BedrockWorkloadProbe/\\S+ is not authorized to perform: bedrock:ApplyGuardrail .*no identity-based policy`,
          ),
        );
      }
      // The same call as the deployment role succeeds: only the probe role's identity policy is missing.
      const p = published[fx.env.regions[0]!]!;
      const out = await fx.access.forAccount(acct, p.region).runtime.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: p.guardrailArn,
          guardrailVersion: p.version,
          source: 'INPUT',
          content: [{ text: { text: 'hello' } }],
        }),
      );
      expect(out.action).toBeDefined();
    } finally {
      role.allowedActions = before;
    }
  }, 120_000);
  test('under enforcement, smoke calls as the probe role: one without bedrock:ApplyGuardrail is AccessDenied naming the role', async () => {
    // The pilot stack is applied (the test above): the pilot account's calls are guarded.
    const acct = fx.env.pilot.account;
    const rel = fx.env.currentRelease;
    const role = fx.sandbox.state.roles[acct]!.find((r) => r.name === 'BedrockWorkloadProbe')!;
    const before = role.allowedActions;
    role.allowedActions = ['bedrock:InvokeModel'];
    try {
      const g = await fx.apply(fx.synth({ pilot: rel }).get('pilot')!);
      const smoke = await runSmoke(fx.context('pilot', rel, { pilot: rel }, fx.published(g.outputs, rel, acct)));
      expect(smoke.status).toBe('failed');
      const denied = smoke.checks.filter((c) => c.status === 'failed' && c.account === acct && /^AccessDenied on Converse/.test(c.detail));
      expect(denied.length).toBeGreaterThan(0);
      for (const c of denied) {
        expect(c.detail).toContain(`as probe role arn:aws:iam::${acct}:role/BedrockWorkloadProbe`);
        expect(c.detail).toMatch(/assumed-role\/BedrockWorkloadProbe\/\S+ is not authorized to perform: bedrock:ApplyGuardrail/);
      }
      // Without bedrock:InvokeModel even an unguarded call is refused, naming the model.
      role.allowedActions = ['bedrock:ApplyGuardrail'];
      const again = await runSmoke(fx.context('pilot', rel, { pilot: rel }, fx.published(g.outputs, rel, acct)));
      expect(
        again.checks.some(
          (c) =>
            c.status === 'failed' &&
            /not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:[a-z0-9-]+::foundation-model\//.test(c.detail),
        ),
      ).toBe(true);
    } finally {
      role.allowedActions = before;
    }
  }, 120_000);
});

describe('no probe role for an account: the deployment role, with a warning', () => {
  let fx: Fixture;
  beforeAll(async () => {
    const env = await sandboxEnvironment();
    // Probe roles only for Prod: the pilot account has none.
    fx = await startFixture({
      env: { ...env, deployment: { ...env.deployment, probeRoles: { byTarget: { 'ou-sb01-prod0001': 'ProdBedrockWorkload' } } } },
    });
  });
  afterAll(async () => {
    await fx.close();
  });

  test('preflight passes on the deployment role and says what is not proven, in the check and the gate summary', async () => {
    const rel = fx.env.currentRelease;
    const acct = fx.env.pilot.account;
    expect(fx.access.forWorkload(acct).probeRole).toBeUndefined();
    const { pre } = await pilotPreflight(fx);
    expect(pre.status).toBe('passed');
    for (const c of reach(pre)) {
      expect(c.status).toBe('passed');
      expect(c.detail).toContain(`warning: ${PROBE_FALLBACK_WARNING}`);
      expect(c.detail).toContain(`called as arn:aws:iam::${acct}:role/${fx.env.deployment.roleName}`);
      expect(c.evidence).toEqual({ identity: `arn:aws:iam::${acct}:role/${fx.env.deployment.roleName}`, probeRole: false });
    }
    expect(pre.summary).toContain(`warning: ${PROBE_FALLBACK_WARNING} in ${acct}`);
    const out = await fx.apply(fx.synth({ pilot: rel }).get('pilot')!);
    const post = await runPostApplyGates(fx.context('pilot', rel, { pilot: rel }, fx.published(out.outputs, rel, acct)));
    const smoke = post.find((g) => g.gate === 'smoke')!;
    expect(smoke.status).toBe('passed');
    expect(smoke.summary).toContain(`warning: smoke invocations made with the deployment role, not a workload identity, in ${acct}`);
  }, 120_000);
});
