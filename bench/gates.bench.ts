/**
 * Gate over N = 500 sandbox accounts at a rate limit of R = 50 calls/s: the effective-policy
 * verification (one DescribeEffectivePolicy per account, plus a handful of list calls) —
 * wall time vs the N/R bound and vs a serial loop of the same calls (one by one, no limit),
 * in one run. Also: a one-case smoke gate over every account (Converse, same rate limit), and
 * the effective-policy gate against a server-side quota of Q = 25 calls/s (sandbox/quotas.ts)
 * with 50 ms injected latency per call, the client still configured for R: wall time vs the N/Q
 * bound and vs a serial loop of the same calls against the same quota and latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeEffectivePolicyCommand } from '@aws-sdk/client-organizations';
import { generateEnvironment } from '../test/helpers/generated-environment.js';
import type { Environment } from '../model/types.js';
import { releaseOutputKey, type ReleaseOutputAttr } from '../modules/naming.js';
import { startSandbox } from '../sandbox/index.js';
import { synthStacks } from '../stacks/synth.js';
import { AwsAccess, sandboxTarget } from '../rollout/aws/clients.js';
import { SandboxEngine } from '../rollout/engines/sandbox/engine.js';
import { runEffectivePolicyCheck, runSmoke, type GateRunContext } from '../rollout/gates/index.js';
import type { PublishedVersion } from '../rollout/state/contracts.js';

const N = 500;
const R = 50;
/** Server-side quota (calls/s, burst Q) and injected latency (ms) of the quota scenario. */
const Q = 25;
const LATENCY_MS = 50;

export async function run(): Promise<Record<string, unknown>> {
  const generated = generateEnvironment({ accounts: N, ous: 25, regions: ['us-east-1'], exceptions: 0, seed: 7 });
  const env: Environment = { ...generated, exceptions: [] };
  const dir = mkdtempSync(join(tmpdir(), 'gates-bench-'));
  const sandbox = await startSandbox({ env, onInternalError: () => {} });
  const setup = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: 0 });
  try {
    // Deploy the release to the whole organization (guardrails + enterprise stacks).
    const asOf = new Date('2026-11-25T12:00:00Z');
    const rel = env.currentRelease;
    const releases = { enterprise: rel };
    const stacks = new Map(
      synthStacks({ env, releases, asOf, outdir: join(dir, 'out') } as Parameters<typeof synthStacks>[0]).map((s) => [s.name, s]),
    );
    const engine = new SandboxEngine({ env, access: setup, statePath: join(dir, 'engine.json') });
    const g = stacks.get('guardrails')!;
    const gOut = await engine.apply(g, await engine.plan(g));
    const e = stacks.get('enterprise')!;
    await engine.apply(e, await engine.plan(e));
    const published: Record<string, PublishedVersion> = Object.fromEntries(
      env.regions.map((region) => {
        const k = (a: ReleaseOutputAttr) => gOut.outputs[releaseOutputKey(rel, region, a)] as string;
        return [region, { account: env.managementAccountId, region, guardrailArn: k('arn'), guardrailId: k('id'), version: k('version') }];
      }),
    );
    const accounts = env.organization.accounts.map((a) => a.id);
    const mk = (access: AwsAccess, concurrency: number): GateRunContext => ({
      env,
      phase: 'enterprise',
      release: rel,
      asOf,
      access,
      published,
      phaseStacks: { enterprise: { release: rel } },
      concurrency,
    });

    // Warm-up (sockets, JIT) outside the measurement.
    await runEffectivePolicyCheck(mk(setup, 32));

    // 1. The gate at R calls/s per API.
    const limited = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: R });
    let t = performance.now();
    const gate = await runEffectivePolicyCheck(mk(limited, 64));
    const gateSeconds = (performance.now() - t) / 1000;
    const gateCalls = limited.stats().byApi['organizations:DescribeEffectivePolicy']?.attempts ?? 0;
    limited.close();

    // 2. The same DescribeEffectivePolicy calls one by one, no limit.
    const org = setup.forAccount(env.managementAccountId).organizations;
    t = performance.now();
    for (const id of accounts) {
      try {
        await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: id }));
      } catch {
        /* not found is an answer */
      }
    }
    const serialSeconds = (performance.now() - t) / 1000;

    // 3. The gate without a limit (concurrency 64): what the sandbox itself sustains.
    const free = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: 0 });
    t = performance.now();
    const unlimited = await runEffectivePolicyCheck(mk(free, 64));
    const unlimitedSeconds = (performance.now() - t) / 1000;
    free.close();

    // 4. Smoke with one case from every account (Converse + AssumeRole per account) at R calls/s.
    const oneCase = { ...env.phases.enterprise, sample: { perOu: 'all' as const, floor: 1 }, smoke: [env.phases.enterprise.smoke[0]!] };
    const smokeEnv: Environment = {
      ...env,
      enforcement: { ...env.enforcement, models: { ...env.enforcement.models, excluded: [] } },
      phases: { ...env.phases, enterprise: oneCase },
    };
    const smokeAccess = AwsAccess.forEnvironment(smokeEnv, sandboxTarget(sandbox), { ratePerSecond: R });
    t = performance.now();
    const smoke = await runSmoke({ ...mk(smokeAccess, 64), env: smokeEnv });
    const smokeSeconds = (performance.now() - t) / 1000;
    const converseCalls = smokeAccess.stats().byApi['bedrock-runtime:Converse']?.attempts ?? 0;
    smokeAccess.close();

    // 5. Server-side quota Q with latency: the client at R > Q must meet real throttling and back off.
    const quota = { DescribeEffectivePolicy: { ratePerSecond: Q, burst: Q } };
    sandbox.setFaults({ DescribeEffectivePolicy: { latencyMs: LATENCY_MS } });
    sandbox.setQuotas(quota);
    const quoted = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: R });
    t = performance.now();
    const quotaGate = await runEffectivePolicyCheck(mk(quoted, 64));
    const quotaSeconds = (performance.now() - t) / 1000;
    const quotaStats = quoted.stats().byApi['organizations:DescribeEffectivePolicy'] ?? { attempts: 0, throttled: 0, errors: 0 };
    const serverThrottles = sandbox.quotaThrottles().DescribeEffectivePolicy ?? 0;
    const notPassed = quotaGate.checks.filter((c) => c.status !== 'passed').length;
    const finalClientRate = quoted.limiter.currentRate('organizations:DescribeEffectivePolicy');
    quoted.close();

    // 6. The same calls one by one against the same quota and latency (no client limit).
    sandbox.setQuotas(quota); // full buckets again
    t = performance.now();
    for (const id of accounts) {
      try {
        await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: id }));
      } catch {
        /* not found is an answer */
      }
    }
    const quotaSerialSeconds = (performance.now() - t) / 1000;
    const serialThrottled = sandbox.quotaThrottles().DescribeEffectivePolicy ?? 0;
    sandbox.setFaults({});
    sandbox.setQuotas({});

    const bound = accounts.length / R; // N accounts (members + management), one call each
    const quotaBound = accounts.length / Q;
    const out = {
      accounts: accounts.length,
      rateLimitPerSecond: R,
      boundSeconds: round(bound),
      effectivePolicyGate: {
        seconds: round(gateSeconds),
        status: gate.status,
        describeCalls: gateCalls,
        checks: gate.checks.length,
        vsBound: round(gateSeconds / bound),
      },
      serialLoopSeconds: round(serialSeconds),
      unlimitedGateSeconds: round(unlimitedSeconds),
      unlimitedStatus: unlimited.status,
      smokeOneCase: { seconds: round(smokeSeconds), status: smoke.status, converseCalls },
      serverQuota: {
        quotaPerSecond: Q,
        latencyMs: LATENCY_MS,
        clientRatePerSecond: R,
        boundSeconds: round(quotaBound),
        gateSeconds: round(quotaSeconds),
        vsBound: round(quotaSeconds / quotaBound),
        status: quotaGate.status,
        checksNotPassed: notPassed,
        attempts: quotaStats.attempts,
        throttledSeenByClient: quotaStats.throttled,
        throttledByServer: serverThrottles,
        finalClientRate: round(finalClientRate),
        serialLoopSeconds: round(quotaSerialSeconds),
        serialThrottled,
      },
    };
    console.log(
      [
        `effective-policy gate over ${accounts.length} accounts at ${R} calls/s: ${out.effectivePolicyGate.seconds}s (bound N/R = ${round(bound)}s, ×${out.effectivePolicyGate.vsBound}) — ${gate.status}, ${gateCalls} DescribeEffectivePolicy calls`,
        `same ${accounts.length} calls in a serial loop, no limit: ${out.serialLoopSeconds}s`,
        `gate with no rate limit (64 in flight): ${out.unlimitedGateSeconds}s — ${unlimited.status}`,
        `smoke, 1 case × ${accounts.length} accounts at ${R} calls/s: ${out.smokeOneCase.seconds}s — ${smoke.status} (${converseCalls} Converse calls)`,
        `effective-policy gate vs a server quota of ${Q}/s (+${LATENCY_MS} ms latency), client at ${R}/s: ${out.serverQuota.gateSeconds}s (bound N/Q = ${out.serverQuota.boundSeconds}s, ×${out.serverQuota.vsBound}) — ${quotaGate.status}, ${notPassed} checks not passed, ${quotaStats.attempts} attempts, ${quotaStats.throttled} throttled (server: ${serverThrottles})`,
        `same ${accounts.length} calls in a serial loop against the quota and latency: ${out.serverQuota.serialLoopSeconds}s (${serialThrottled} throttled)`,
      ].join('\n'),
    );
    return out;
  } finally {
    setup.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
