/**
 * Issue 10: the real configuration runs. The sandbox environment is shaped like
 * environments/example-prod (a management role assumed from the base identity, member roles
 * assumed from the management role's session), and the sandbox checks every role's trust, so a
 * full rollout goes through the chain AWS has; a member role whose trust is broken halts the
 * promotion with AccessDenied naming the role before anything is enforced.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadEnvironment, probeRoleFor, projectRoot } from '../../model/index.js';
import { PHASES, type Environment } from '../../model/types.js';
import { envPaths } from '../../rollout/state/paths.js';
import { seedState } from '../../sandbox/seed.js';
import { deserializeState, serializeState, type SandboxState } from '../../sandbox/state.js';
import { ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

/** The in-process sandbox's persisted state after the verbs ran. */
function sandboxState(e: Environment): SandboxState {
  const file = envPaths(e.name).sandboxState;
  return deserializeState(readFileSync(file, 'utf8'), file);
}

test('the sandbox environment has the deployment roles of example-prod', async () => {
  const prod = await loadEnvironment(join(projectRoot(), 'environments', 'example-prod', 'environment.yaml'));
  expect(prod.deployment.managementRoleName).toBeDefined();
  expect({ roleName: env.deployment.roleName, management: Boolean(env.deployment.managementRoleName) }).toEqual({
    roleName: prod.deployment.roleName,
    management: true,
  });
});

test('an example-prod-shaped environment goes through all four phases over base → management role → member roles', async () => {
  for (const phase of PHASES) {
    const r = await runVerb('promote', phase, { env, release: R2, asOf: AS_OF });
    expect({ phase, ok: r.ok, outcome: r.outcome, failed: r.failedChecks.map((c) => c.id) }).toEqual({
      phase,
      ok: true,
      outcome: 'promoted',
      failed: [],
    });
  }
  expect(Object.values((await state()).phases).map((p) => p?.status)).toEqual(['passed', 'passed', 'passed', 'passed']);

  const mgmt = env.managementAccountId;
  const admin = env.deployment.managementRoleName!;
  const all = Object.values(sandboxState(env).sessions);
  // Probe-role sessions (deployment.probeRoles: preflight's ApplyGuardrail and the smoke calls) apart.
  const isProbe = (s: (typeof all)[number]) => s.roleName === probeRoleFor(env, s.account)?.roleName;
  const sessions = all.filter((s) => !isProbe(s));
  const adminSessions = sessions.filter((s) => s.account === mgmt);
  const memberSessions = sessions.filter((s) => s.account !== mgmt);
  expect(adminSessions.length).toBeGreaterThan(0);
  expect(memberSessions.length).toBeGreaterThan(0);
  // The management role is assumed from the base identity only, and only the management role.
  expect(new Set(adminSessions.map((s) => `${s.roleName} ← ${s.sourceArn}`))).toEqual(new Set([`${admin} ← arn:aws:iam::${mgmt}:root`]));
  // Every member session (pilot stack, smoke, preflight) was assumed FROM a management role session.
  for (const s of memberSessions) {
    expect({ role: s.roleName, from: s.sourceArn }).toEqual({
      role: env.deployment.roleName,
      from: expect.stringMatching(new RegExp(`^arn:aws:sts::${mgmt}:assumed-role/${admin}/`)),
    });
  }
  expect(memberSessions.some((s) => s.account === env.pilot.account)).toBe(true);
  // Every probe session was assumed FROM the deployment role's session in its own account.
  const probes = all.filter(isProbe);
  expect(probes.some((s) => s.account === env.pilot.account)).toBe(true);
  for (const s of probes) {
    const holder = s.account === mgmt ? admin : env.deployment.roleName;
    expect({ account: s.account, from: s.sourceArn }).toEqual({
      account: s.account,
      from: expect.stringMatching(new RegExp(`^arn:aws:sts::${s.account}:assumed-role/${holder}/`)),
    });
  }
}, 300_000);

test('a member role that does not trust the management side halts the pilot with AccessDenied naming the role; nothing is enforced', async () => {
  // The sandbox state the promotion will load: seeded with the pilot account's role trusting only its own account.
  const file = envPaths(env.name).sandboxState;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, serializeState(seedState(env, 1, { untrustedAccounts: [env.pilot.account] })));

  const role = `arn:aws:iam::${env.pilot.account}:role/${env.deployment.roleName}`;
  const denied = new RegExp(
    `AccessDenied.*User: arn:aws:sts::${env.managementAccountId}:assumed-role/${env.deployment.managementRoleName}/\\S+ ` +
      `is not authorized to perform: sts:AssumeRole on resource: ${role.replace(/[/]/g, '\\/')}`,
  );
  const outcome = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF }).then(
    (r) => ({ ok: r.ok, exitCode: r.exitCode, text: JSON.stringify(r) }),
    (err: Error & { exitCode?: number }) => ({ ok: false, exitCode: err.exitCode, text: err.message }),
  );
  // A halted result (exit 1), not a crash: the rollback that follows cannot read the pilot either, and says so.
  expect(outcome).toMatchObject({ ok: false, exitCode: 1 });
  expect(outcome.text).toMatch(denied);
  expect(outcome.text).toContain(`could not assume ${role}`);

  // Nothing was enforced: no policy attached anywhere, no account-level configuration, nothing in the pilot account.
  const after = sandboxState(env);
  // What did run: the management account published the release (publishing is not enforcement)
  // and preflight found the pilot account unreachable.
  expect(after.guardrails.every((g) => g.owner === env.managementAccountId)).toBe(true);
  expect((await ledger()).find((x) => x.kind === 'gate' && x.gate === 'preflight')).toMatchObject({ status: 'failed' });
  expect(after.attachments).toEqual([]);
  expect(after.enforced).toEqual([]);
  expect(after.guardrails.filter((g) => g.owner === env.pilot.account)).toEqual([]);
  expect(Object.values(after.sessions).filter((s) => s.account === env.pilot.account)).toEqual([]);
  expect((await state()).phases.pilot?.status).not.toBe('passed');
}, 180_000);

test('a probe role without an identity policy for bedrock:ApplyGuardrail halts the pilot at preflight naming account and role; nothing is enforced', async () => {
  const acct = env.pilot.account;
  const probe = `arn:aws:iam::${acct}:role/${probeRoleFor(env, acct)!.roleName}`;
  // The resource policy grants the organization; only the workload identity lacks the permission.
  const file = envPaths(env.name).sandboxState;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, serializeState(seedState(env, 1, { identityPolicies: { [probe]: ['bedrock:InvokeModel'] } })));

  const r = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF });
  expect({ ok: r.ok, exitCode: r.exitCode }).toEqual({ ok: false, exitCode: 1 });
  const failed = r.failedChecks.filter((c) => c.id.startsWith('preflight:apply-guardrail@'));
  expect(failed.map((c) => c.id).sort()).toEqual(env.regions.map((region) => `preflight:apply-guardrail@${acct}/${region}`).sort());
  for (const c of failed) {
    expect(c.account).toBe(acct);
    expect(c.detail).toContain(`as probe role ${probe} was denied`);
    expect(c.detail).toMatch(/AccessDenied.*no identity-based policy allows the bedrock:ApplyGuardrail action/);
  }
  const after = sandboxState(env);
  expect(after.attachments).toEqual([]);
  expect(after.enforced).toEqual([]);
  expect((await state()).phases.pilot?.status).not.toBe('passed');
}, 180_000);
