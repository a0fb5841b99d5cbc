/**
 * Reusable setup for tests that need a real sandbox: the sandbox environment (or a variant of
 * it), a started emulator, an AwsAccess, the sandbox engine, and helpers to synthesize + apply
 * stacks and build a gate context — plus the defective variants of the failure-path
 * tests (overblocking release, PROMPT_ATTACK at HIGH flagging the long system prompt,
 * mistyped model exclusion, missing resource policy, expired exception still targeted). Used by test/gates, test/engines and helper F's e2e tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { loadEnvironment, projectRoot } from '../../model/index.js';
import type { EnforcementException, Environment, Phase, Release } from '../../model/types.js';
import { contentHash, GuardrailDefinition } from '../../guardrail/index.js';
import { releaseOutputKey, type ReleaseOutputAttr } from '../../modules/naming.js';
import { startSandbox, type FaultConfig, type SandboxHandle, type StartSandboxOptions } from '../../sandbox/index.js';
import { synthStacks } from '../../stacks/synth.js';
import { AwsAccess, sandboxTarget, type AwsAccessOptions } from '../../rollout/aws/clients.js';
import { SandboxEngine, type SandboxEngineHooks } from '../../rollout/engines/sandbox/engine.js';
import type { GateRunContext } from '../../rollout/gates/index.js';
import type { ApplyResult, PublishedVersion } from '../../rollout/state/contracts.js';
import type { StackArtifact, StackName } from '../../stacks/artifact.js';

export const FIXTURE_AS_OF = new Date('2026-11-25T12:00:00Z');
/** The same date as the `--as-of` flag value the e2e tests pass. */
export const AS_OF = '2026-11-25';
/** The sandbox environment's two releases, oldest first. */
export const R1 = 'baseline@2026.11.1';
export const R2 = 'baseline@2026.11.2';

export async function sandboxEnvironment(): Promise<Environment> {
  return loadEnvironment(join(projectRoot(), 'environments', 'sandbox', 'environment.yaml'));
}

export interface Fixture {
  env: Environment;
  sandbox: SandboxHandle;
  access: AwsAccess;
  engine: SandboxEngine;
  dir: string;
  asOf: Date;
  /** Synthesizes every stack for `releases` (phase → release) and returns them by name. */
  synth(releases: Partial<Record<Phase, string>>, asOf?: Date): Map<StackName, StackArtifact>;
  /** plan + apply of one stack; returns the outputs. */
  apply(stack: StackArtifact): Promise<ApplyResult>;
  /** guardrails stack, then the phase stacks listed, in phase order. */
  deploy(releases: Partial<Record<Phase, string>>, asOf?: Date): Promise<Record<string, ApplyResult>>;
  /** Published versions of a release from a stack's outputs (guardrails: management; pilot: pilot account). */
  published(outputs: Record<string, unknown>, release: string, account: string): Record<string, PublishedVersion>;
  context(
    phase: Phase,
    release: string,
    releases: Partial<Record<Phase, string>>,
    published: Record<string, PublishedVersion>,
    extra?: Partial<GateRunContext>,
  ): GateRunContext;
  close(): Promise<void>;
}

export interface FixtureOptions {
  env?: Environment;
  faults?: FaultConfig;
  access?: Partial<Omit<AwsAccessOptions, 'target'>>;
  hooks?: SandboxEngineHooks;
  asOf?: Date;
  /** Extra emulator options (clock, propagation delay). */
  sandbox?: Pick<StartSandboxOptions, 'now' | 'propagationDelayMs'>;
}

export async function startFixture(opts: FixtureOptions = {}): Promise<Fixture> {
  const env = opts.env ?? (await sandboxEnvironment());
  const dir = mkdtempSync(join(tmpdir(), 'rollout-gates-'));
  const sandbox = await startSandbox({ env, faults: opts.faults, onInternalError: () => {}, ...opts.sandbox });
  const access = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: 0, maxAttempts: 4, ...opts.access });
  const engine = new SandboxEngine({ env, access, statePath: join(dir, 'sandbox-engine.json'), hooks: opts.hooks });
  const asOf = opts.asOf ?? FIXTURE_AS_OF;
  let n = 0;
  const fx: Fixture = {
    env,
    sandbox,
    access,
    engine,
    dir,
    asOf,
    synth(releases, at = asOf) {
      const outdir = join(dir, `synth-${n++}`);
      const stacks = synthStacks({ env, releases, asOf: at, outdir } as Parameters<typeof synthStacks>[0]);
      return new Map(stacks.map((s) => [s.name, s]));
    },
    async apply(stack) {
      const plan = await engine.plan(stack);
      return engine.apply(stack, plan);
    },
    async deploy(releases, at = asOf) {
      const stacks = fx.synth(releases, at);
      const out: Record<string, ApplyResult> = {};
      out.guardrails = await fx.apply(stacks.get('guardrails')!);
      for (const p of ['pilot', 'model-rules', 'ou', 'enterprise'] as Phase[]) {
        if (releases[p]) out[p] = await fx.apply(stacks.get(p)!);
      }
      return out;
    },
    published(outputs, release, account) {
      return Object.fromEntries(
        env.regions.map((region) => {
          const k = (attr: ReleaseOutputAttr) => outputs[releaseOutputKey(release, region, attr)] as string;
          return [region, { account, region, guardrailArn: k('arn'), guardrailId: k('id'), version: k('version') }];
        }),
      );
    },
    context(phase, release, releases, published, extra = {}) {
      const phaseStacks: GateRunContext['phaseStacks'] = {};
      for (const [p, r] of Object.entries(releases) as [Phase, string | undefined][]) if (r) phaseStacks[p] = { release: r };
      return { env, phase, release, asOf, access, published, phaseStacks, concurrency: 8, ...extra };
    },
    async close() {
      access.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

// ─────────────── defective variants (the failure-path scenarios) ───────────────

export const OVERBLOCKING_RELEASE = 'baseline@2026.11.3-overblocking';

/**
 * The current release plus a word filter on "Portugal": every must-block case still blocks,
 * but the must-pass case `pass-benign-question` is now blocked (overblocking).
 */
export function withOverblockingRelease(env: Environment): Environment {
  const base = env.releases.find((r) => r.name === env.currentRelease)!;
  const spec = base.definition.toSpec();
  const definition = GuardrailDefinition.fromPlain({
    ...spec,
    description: 'Overblocking variant (test fixture)',
    words: [...spec.words, { text: 'Portugal' }],
  });
  const release: Release = {
    name: OVERBLOCKING_RELEASE,
    definitionPath: base.definitionPath,
    definition,
    contentHash: contentHash(definition),
  };
  return { ...env, releases: [...env.releases, release], currentRelease: OVERBLOCKING_RELEASE };
}

export const PROMPT_ATTACK_HIGH_RELEASE = 'baseline@2026.11.3-prompt-attack-high';

/**
 * Failure story 3: the current release with its PROMPT_ATTACK filter raised back to HIGH input
 * strength, nothing else changed. Every must-block case still blocks, but the ~29K-character
 * agent system prompt of `pass-long-system-prompt` is flagged as an injection (LOW confidence,
 * which only HIGH strength blocks), so every turn with that system prompt is blocked.
 */
export function withPromptAttackHigh(env: Environment): Environment {
  const base = env.releases.find((r) => r.name === env.currentRelease)!;
  const spec = base.definition.toSpec();
  if (!spec.contentFilters.some((f) => f.type === 'PROMPT_ATTACK')) throw new Error(`${base.name} has no PROMPT_ATTACK filter to raise`);
  const definition = GuardrailDefinition.fromPlain({
    ...spec,
    description: 'PROMPT_ATTACK at HIGH variant (test fixture)',
    contentFilters: spec.contentFilters.map((f) => (f.type === 'PROMPT_ATTACK' ? { ...f, inputStrength: 'HIGH' as const } : f)),
  });
  const release: Release = {
    name: PROMPT_ATTACK_HIGH_RELEASE,
    definitionPath: base.definitionPath,
    definition,
    contentHash: contentHash(definition),
  };
  return { ...env, releases: [...env.releases, release], currentRelease: PROMPT_ATTACK_HIGH_RELEASE };
}

/** The embedding exclusion typed without its ":0" version suffix, so the model stays guarded. */
export const MISTYPED_EXCLUSION = 'amazon.titan-embed-text-v2';

export function withMistypedExclusion(env: Environment): Environment {
  const excluded = env.enforcement.models.excluded.map((m) => (m === 'amazon.titan-embed-text-v2:0' ? MISTYPED_EXCLUSION : m));
  return { ...env, enforcement: { ...env.enforcement, models: { ...env.enforcement.models, excluded } } };
}

/** Removes the guardrail's resource-based policy out of band (as if never codified: failure story 1). */
export async function deleteResourcePolicies(fx: Fixture, published: Record<string, PublishedVersion>): Promise<void> {
  for (const p of Object.values(published)) {
    await fx.access.forAccount(p.account, p.region).bedrock.send(new DeleteResourcePolicyCommand({ resourceArn: p.guardrailArn }));
  }
}

/** An exception that is active at `activeAt` and expired at the fixture's asOf. */
export const EXPIRING_EXCEPTION: EnforcementException = {
  id: 'EXC-TEST-EXPIRED',
  target: '555555555553',
  changes: { excludedModels: ['meta.llama3-1-8b-instruct-v1:0'] },
  owner: 'ml-research-team',
  reason: 'Test fixture: expires before the fixture date',
  approver: 'ciso-office',
  expires: '2026-11-20',
};
export const EXCEPTION_ACTIVE_AT = new Date('2026-11-15T12:00:00Z');

export function withExpiringException(env: Environment): Environment {
  return { ...env, exceptions: [...env.exceptions, EXPIRING_EXCEPTION] };
}

export const NO_SSN_RELEASE = 'baseline@2026.11.3-no-ssn';

/**
 * Issue 9, example 5: the current release without its US_SOCIAL_SECURITY_NUMBER PII filter,
 * nothing else changed. The must-block case `block-pii-ssn` is then blocked only by whatever
 * other layer still carries the filter (the organization-enforced previous release once a
 * baseline is in force), never by the release under test.
 */
export function withoutSsnFilter(env: Environment): Environment {
  const base = env.releases.find((r) => r.name === env.currentRelease)!;
  const spec = base.definition.toSpec();
  if (!spec.piiEntities.some((p) => p.type === 'US_SOCIAL_SECURITY_NUMBER')) throw new Error(`${base.name} has no SSN filter to drop`);
  const definition = GuardrailDefinition.fromPlain({
    ...spec,
    description: 'Variant without the SSN PII filter (test fixture)',
    piiEntities: spec.piiEntities.filter((p) => p.type !== 'US_SOCIAL_SECURITY_NUMBER'),
  });
  const release: Release = {
    name: NO_SSN_RELEASE,
    definitionPath: base.definitionPath,
    definition,
    contentHash: contentHash(definition),
  };
  return { ...env, releases: [...env.releases, release], currentRelease: NO_SSN_RELEASE };
}
