/**
 * The propagation gate (rollout/gates/propagation) against a started sandbox with a propagation
 * delay, on a fake clock shared by the emulator and the gate (no wall-clock assertions): the
 * post-apply gates wait for the change and then pass; a delay past the timeout leaves the gate
 * inconclusive, naming the accounts; without a delay it passes at the first round of reads.
 */
import { DeleteEnforcedGuardrailConfigurationCommand, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import { runPostApplyGates, runPropagation, runSmoke } from '../../../rollout/gates/index.js';
import type { Environment, Phase } from '../../../model/types.js';
import type { GateResult } from '../../../rollout/state/contracts.js';
import { accountsForPhase } from '../../../rollout/gates/scope.js';
import { sandboxEnvironment, startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';

const show = (r: GateResult) =>
  `${r.summary}\n${r.checks
    .filter((c) => c.status !== 'passed')
    .map((c) => `  ${c.status} ${c.id}: ${c.detail}`)
    .join('\n')}`;

function fakeClock() {
  const c = {
    t: Date.parse('2026-12-01T10:00:00Z'),
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

function withTimeout(env: Environment, phase: Phase, seconds: number): Environment {
  return { ...env, phases: { ...env.phases, [phase]: { ...env.phases[phase], propagationTimeoutSeconds: seconds } } };
}

describe('propagation gate on the sandbox', () => {
  let fx: Fixture;
  const clock = fakeClock();
  const rel = () => fx.env.currentRelease;
  beforeAll(async () => {
    fx = await startFixture({ env: withTimeout(await sandboxEnvironment(), 'ou', 30), sandbox: { now: clock.now } });
  });
  afterAll(async () => {
    await fx.close();
  });

  it('no delay: passes at the first round, before smoke and effective-policy, which reuses its reads', async () => {
    const releases = { pilot: rel(), 'model-rules': rel() };
    const out = await fx.deploy(releases);
    const published = fx.published(out.guardrails!.outputs, rel(), fx.env.managementAccountId);
    fx.access.resetStats();
    const post = await runPostApplyGates({ ...fx.context('model-rules', rel(), releases, published), propagationClock: clock });
    expect(post.map((g) => g.gate)).toEqual(['propagation', 'smoke', 'effective-policy']);
    for (const g of post)
      expect({ gate: g.gate, status: g.status, detail: show(g) }).toEqual({ gate: g.gate, status: 'passed', detail: show(g) });
    expect(post[0]!.checks).toEqual([
      expect.objectContaining({ id: 'propagation:all', detail: expect.stringMatching(/1 round of reads/) }),
    ]);
    expect(clock.slept).toEqual([]);
    // One DescribeEffectivePolicy per account in scope, for both gates together.
    const reads = fx.access.stats().byApi['organizations:DescribeEffectivePolicy']?.attempts;
    expect(reads).toBe(accountsForPhase(fx.env, 'model-rules').length);
  });

  it('with a delay: the gates wait for the change, then smoke is judged on it and passes (no false failure)', async () => {
    const releases = { pilot: rel(), 'model-rules': rel(), ou: rel() };
    const stacks = fx.synth(releases);
    const g = await fx.apply(stacks.get('guardrails')!);
    const published = fx.published(g.outputs, rel(), fx.env.managementAccountId);
    fx.sandbox.setPropagationDelay(3_000);
    try {
      await fx.apply(stacks.get('ou')!);
      const ctx = { ...fx.context('ou', rel(), releases, published), propagationClock: clock };
      // Judged now, the OU would not be guarded yet: what smoke would have seen without the wait.
      expect((await runSmoke(ctx)).status).not.toBe('passed');
      clock.slept.length = 0;
      const post = await runPostApplyGates(ctx);
      for (const r of post)
        expect({ gate: r.gate, status: r.status, detail: show(r) }).toEqual({ gate: r.gate, status: 'passed', detail: show(r) });
      // Back-off 0.25 s, doubling, until the 3 s delay had passed.
      expect(clock.slept).toEqual([250, 500, 1000, 2000]);
      expect(post[0]!.checks[0]!.detail).toMatch(/in force in all \d+ accounts \(5 rounds of reads, 3\.8 s\)/);
    } finally {
      fx.sandbox.setPropagationDelay(0);
    }
  });

  it('a delay longer than propagationTimeout: inconclusive (never passed), naming the accounts that had not caught up', async () => {
    const releases = { pilot: rel(), 'model-rules': rel() };
    const stacks = fx.synth(releases); // the ou phase stack removed: its policy is detached
    const g = await fx.apply(stacks.get('guardrails')!);
    const published = fx.published(g.outputs, rel(), fx.env.managementAccountId);
    clock.slept.length = 0;
    fx.sandbox.setPropagationDelay(120_000);
    try {
      await fx.apply(stacks.get('ou')!);
      const r = await runPropagation({ ...fx.context('ou', rel(), releases, published), propagationClock: clock });
      expect(r.status).toBe('inconclusive');
      const scope = accountsForPhase(fx.env, 'ou');
      // The accounts whose effective policy the detach changes, each inconclusive; the others had caught up.
      const late = r.checks.filter((c) => c.id.startsWith('propagation:') && c.account).map((c) => c.account!);
      expect(late.length).toBeGreaterThan(0);
      expect(r.checks.every((c) => c.status === 'inconclusive')).toBe(true);
      for (const a of late) expect(scope).toContain(a);
      const timeout = r.checks.find((c) => c.id === 'propagation:timeout')!;
      expect(timeout.detail).toMatch(
        new RegExp(`^${late.length} of ${scope.length} accounts had not caught up within the propagation timeout of 30s`),
      );
      for (const a of late) expect(timeout.detail).toContain(a);
      // Polled with back-off up to the timeout, and no longer.
      expect(clock.slept.slice(0, 6)).toEqual([250, 500, 1000, 2000, 4000, 5000]);
      expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(30_000);
      // The promotion flow halts on it: the post-apply gates are not all passed.
      const post = await runPostApplyGates({ ...fx.context('ou', rel(), releases, published), propagationClock: clock });
      expect(post[0]).toMatchObject({ gate: 'propagation', status: 'inconclusive' });
      expect(post.some((x) => x.status !== 'passed')).toBe(true);
    } finally {
      fx.sandbox.setPropagationDelay(0);
    }
  });
  it('pilot: polls the enforced configuration; one removed out of band is not in force at the timeout (inconclusive, naming the region)', async () => {
    const acct = fx.env.pilot.account;
    const region = fx.env.regions[0]!;
    const out = await fx.apply(fx.synth({ pilot: rel() }).get('pilot')!);
    const published = fx.published(out.outputs, rel(), acct);
    const ctx = { ...fx.context('pilot', rel(), { pilot: rel() }, published), propagationClock: clock };
    const ok = await runPropagation(ctx);
    expect(ok.checks).toEqual([
      expect.objectContaining({
        id: 'propagation:all',
        status: 'passed',
        detail: expect.stringMatching(/regions of the pilot account \(1 round/),
      }),
    ]);
    const bedrock = fx.access.forAccount(acct, region).bedrock;
    const cfgs = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    await bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: cfgs.guardrailsConfig![0]!.configId! }));
    const r = await runPropagation({ ...ctx, env: withTimeout(fx.env, 'pilot', 2) });
    expect(r.status).toBe('inconclusive');
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      [`propagation:account-config:${acct}/${region}`, 'inconclusive'],
      ['propagation:timeout', 'inconclusive'],
    ]);
    expect(r.checks[1]!.detail).toMatch(/^1 of 2 regions of the pilot account had not caught up within the propagation timeout of 2s/);
  });
});
