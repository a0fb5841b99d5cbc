/**
 * `rollout adopt` end to end on the sandbox (in-process emulator, real SDK calls): an
 * organization with a BEDROCK_POLICY made by hand and attached to its root halts every
 * promotion at preflight:drift until it is adopted; adopted, it is owned by enterprise and the
 * release goes through all four phases, enterprise updating that very policy in place.
 */
import {
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { DescribePolicyCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { readFileSync } from 'node:fs';
import { PHASES, type Environment } from '../../model/types.js';
import { adopt, type AdoptResult } from '../../rollout/flows/adopt/index.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { Session } from '../../rollout/flows/session.js';
import type { Target } from '../../rollout/flows/target.js';
import { envPaths } from '../../rollout/state/paths.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { engineStack, ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { runCli } from '../helpers/run-cli.js';
import { attachHandMadeRootPolicy, HAND_MADE } from '../helpers/hand-made-policy.js';
import { describeWithTerraform } from '../helpers/terraform.js';
import { AS_OF, R2, sandboxEnvironment, withMistypedExclusion } from '../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

/** The in-process sandbox of the current ROLLOUT_HOME (its state file persists between verbs), as the flows reach it. */
async function withTarget<T>(fn: (t: Target) => Promise<T>): Promise<T> {
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env });
  try {
    return await fn(await s.target());
  } finally {
    await s.close();
  }
}

async function handMadeRootPolicy(): Promise<string> {
  return withTarget((t) => attachHandMadeRootPolicy(t.access, env));
}

async function runAdopt(opts: { yes?: boolean; confirm?: () => Promise<boolean>; engine?: 'terraform' } = {}): Promise<AdoptResult> {
  // parseFlags implies --yes without a TTY (as under jest): a declining operator is given explicitly.
  const flags = {
    ...parseFlags({ env: 'sandbox', asOf: AS_OF, release: R2, yes: true, json: true, engine: opts.engine }),
    yes: opts.yes ?? true,
  };
  const s = await Session.open(flags, { env, lock: 'adopt' });
  try {
    return await adopt(s, { progress: silentProgress, confirm: opts.confirm });
  } finally {
    await s.close();
  }
}

async function rootPolicies() {
  return withTarget(async (t) => {
    const org = t.access.forAccount(env.managementAccountId).organizations;
    const out = await org.send(new ListPoliciesForTargetCommand({ TargetId: env.organization.root.id, Filter: 'BEDROCK_POLICY' }));
    return Promise.all(
      (out.Policies ?? []).map(async (p) => {
        const d = await org.send(new DescribePolicyCommand({ PolicyId: p.Id }));
        return { id: p.Id!, name: p.Name!, content: JSON.parse(d.Policy!.Content!) as unknown };
      }),
    );
  });
}

test('a hand-made root policy halts promote at preflight:drift; adopted, it is owned by enterprise and the release goes through all phases, enterprise updating it in place', async () => {
  const id = await handMadeRootPolicy();

  // Without adopt: the existing behaviour.
  const halted = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF });
  expect(halted).toMatchObject({ ok: false, exitCode: 1 });
  expect(halted.failedChecks.map((c) => c.id)).toContain(`preflight:drift:${id}`);

  const r = await runAdopt();
  expect(r).toMatchObject({ ok: true, exitCode: 0, outcome: 'adopted', engine: 'sandbox' });
  expect(r.rows.find((x) => x.id === id)).toMatchObject({
    kind: 'policy',
    mapping: 'different-content',
    owner: 'enterprise',
    where: [env.organization.root.id],
  });
  // Compared with the document enterprise would attach for R2 (published by the halted attempt).
  expect(r.rows.find((x) => x.id === id)!.differences).toEqual(
    expect.arrayContaining([expect.stringMatching(/^us-east-1\.config_1\.identifier: .*guardrail\/.*:\d+ → .*guardrail\/.*:1$/)]),
  );
  expect(r.adopted).toEqual([{ kind: 'policy', id, owner: 'enterprise', mapping: 'different-content' }]);
  // The engine state of the enterprise stack holds it at the stack's own addresses.
  const res = engineStack('enterprise') as Record<string, { attrs: { id: string } }>;
  expect(res['aws_organizations_policy.baseline']?.attrs.id).toBe(id);
  expect(Object.keys(res)).toContain(`aws_organizations_policy_attachment.baseline_${env.organization.root.id.replace(/-/g, '_')}`);
  const st = await state();
  expect(st.adopted).toEqual([expect.objectContaining({ kind: 'policy', id, owner: 'enterprise', mapping: 'different-content' })]);
  expect((await ledger()).filter((e) => e.kind === 'adopted')).toEqual([
    expect.objectContaining({ detail: expect.objectContaining({ adopted: [expect.objectContaining({ id, owner: 'enterprise' })] }) }),
  ]);

  for (const phase of ['pilot', 'model-rules', 'ou'] as const) {
    const p = await runVerb('promote', phase, { env, release: R2, asOf: AS_OF });
    expect({ phase, ok: p.ok, failed: p.failedChecks.map((c) => `${c.id}: ${c.detail}`) }).toEqual({ phase, ok: true, failed: [] });
    // Still in force as it was found until enterprise takes it.
    expect((await rootPolicies()).map((x) => x.name)).toEqual([HAND_MADE]);
  }

  const e = await runVerb('promote', 'enterprise', { env, release: R2, asOf: AS_OF });
  expect({ ok: e.ok, failed: e.failedChecks.map((c) => `${c.id}: ${c.detail}`) }).toEqual({ ok: true, failed: [] });
  const changes = e.report!.stacks.find((p) => p.stack === 'enterprise')!.resources;
  // The baseline is the adopted policy, updated; its root attachment is kept (a no-op, not listed);
  // no second baseline is created (the exception policies are new).
  expect(changes.filter((c) => /\.baseline(_|$)/.test(c.address)).map((c) => [c.address, c.action])).toEqual([
    ['aws_organizations_policy.baseline', 'update'],
  ]);
  // The hand-made policy id is the one in force, with the release's document.
  const after = await rootPolicies();
  expect(after.map((x) => ({ id: x.id, name: x.name }))).toEqual([{ id, name: 'guardrail-rollout-enterprise' }]);
  expect(JSON.stringify(after[0]!.content)).toContain((await state()).published[R2]![env.regions[0]!]!.guardrailArn);
  expect((await state()).adopted?.[0]?.settledAt).toEqual(expect.any(String));
}, 600_000);

test('adopt declined records nothing (exit 2); adopt twice is idempotent', async () => {
  const id = await handMadeRootPolicy();
  const engineFile = envPaths('sandbox').sandboxEngine;
  const engineBefore = (() => {
    try {
      return readFileSync(engineFile, 'utf8');
    } catch {
      return null;
    }
  })();
  await expect(runAdopt({ yes: false, confirm: async () => false })).rejects.toMatchObject({ exitCode: 2 });
  expect((await state()).adopted).toBeUndefined();
  expect((await ledger()).some((e) => e.kind === 'adopted')).toBe(false);
  expect(engineStack('enterprise')).toBeUndefined();
  expect(engineBefore).toBeNull();

  const first = await runAdopt();
  expect(first.outcome).toBe('adopted');
  const engine = readFileSync(engineFile, 'utf8');
  const st = await state();
  const second = await runAdopt();
  expect(second).toMatchObject({ ok: true, exitCode: 0, outcome: 'nothing-to-adopt', adopted: [] });
  expect(second.rows.find((x) => x.id === id)?.mapping).toBe('managed');
  expect(readFileSync(engineFile, 'utf8')).toBe(engine);
  expect((await state()).adopted).toEqual(st.adopted);
  expect((await ledger()).filter((e) => e.kind === 'adopted')).toHaveLength(1);
}, 240_000);

/** A hand-made account-level configuration in the pilot account, per Region, on a guardrail of that account. */
async function handMadePilotConfigs(): Promise<Record<string, string>> {
  return withTarget(async (t) => {
    const ids: Record<string, string> = {};
    for (const region of env.regions) {
      const bedrock = t.access.forAccount(env.pilot.account, region).bedrock;
      const g = await bedrock.send(
        new CreateGuardrailCommand({
          name: 'pilot-by-hand',
          blockedInputMessaging: 'Blocked.',
          blockedOutputsMessaging: 'Blocked.',
          wordPolicyConfig: { wordsConfig: [{ text: 'xyzzy' }] },
        }),
      );
      const v = await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
      const put = await bedrock.send(
        new PutEnforcedGuardrailConfigurationCommand({
          guardrailInferenceConfig: {
            guardrailIdentifier: g.guardrailArn,
            guardrailVersion: v.version,
            modelEnforcement: { includedModels: ['ALL'], excludedModels: env.enforcement.models.excluded },
          },
        }),
      );
      ids[region] = put.configId!;
    }
    return ids;
  });
}

async function pilotConfigs(): Promise<Record<string, { configId?: string; guardrailArn?: string }>> {
  return withTarget(async (t) => {
    const out: Record<string, { configId?: string; guardrailArn?: string }> = {};
    for (const region of env.regions) {
      const list = await t.access.forAccount(env.pilot.account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      const c = list.guardrailsConfig?.[0];
      out[region] = { configId: c?.configId, guardrailArn: c?.guardrailArn };
    }
    return out;
  });
}

test("a hand-made configuration in the pilot account is owned by pilot: a rollback before pilot's apply leaves it as found; pilot's apply updates it in place", async () => {
  const ids = await handMadePilotConfigs();
  const found = await pilotConfigs();
  const r = await runAdopt();
  expect(r.adopted.map((a) => [a.kind, a.id, a.owner])).toEqual(
    env.regions.map((region) => ['account-config', `${env.pilot.account}/${region}`, 'pilot']),
  );

  // Halted by preflight (a mistyped model id): the rollback to nothing does not delete what was adopted.
  const halted = await runVerb('promote', 'pilot', { env: withMistypedExclusion(env), release: R2, asOf: AS_OF });
  expect(halted.ok).toBe(false);
  expect(halted.failedChecks.some((c) => c.id.startsWith('preflight:model-unknown:'))).toBe(true);
  expect(halted.rollback?.status).toBe('rolled-back');
  expect(await pilotConfigs()).toEqual(found);
  expect((await state()).adopted?.every((a) => !a.settledAt)).toBe(true);

  const p = await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF });
  expect({ ok: p.ok, failed: p.failedChecks.map((c) => `${c.id}: ${c.detail}`) }).toEqual({ ok: true, failed: [] });
  const configs = p
    .report!.stacks.find((s) => s.stack === 'pilot')!
    .resources.filter((c) => c.type === 'aws_bedrock_enforced_guardrail_configuration');
  expect(configs.map((c) => c.action)).toEqual(env.regions.map(() => 'update'));
  const after = await pilotConfigs();
  for (const region of env.regions) {
    expect(after[region]!.configId).toBe(ids[region]);
    expect(after[region]!.guardrailArn).toBe((await state()).phases.pilot!.versions![region]!.guardrailArn);
  }
  expect((await state()).adopted?.every((a) => a.settledAt)).toBe(true);
}, 300_000);

test('the CLI verb: `rollout adopt` shows each object with its mapping, and --json the same result', async () => {
  const id = await handMadeRootPolicy();
  const text = await runCli(['adopt', '--as-of', AS_OF]);
  expect(text.code).toBe(0);
  // Not published yet (nothing promoted): different content, and the plan of enterprise says how.
  expect(text.out).toContain(`policy ${HAND_MADE} (${id}) at ${env.organization.root.id}: different content → enterprise`);
  expect(text.out).toMatch(/adopted 1 object\(s\)/);
  const again = await runCli(['adopt', '--json', '--as-of', AS_OF]);
  expect(again.code).toBe(0);
  expect(JSON.parse(again.out)).toMatchObject({ kind: 'adopt', outcome: 'nothing-to-adopt', rows: [{ id, mapping: 'managed' }] });
}, 120_000);

describeWithTerraform('test/e2e/adopt.e2e.test.ts')('adopt with the terraform engine (real binary, provider double)', () => {
  test('adopted, the enterprise plan imports the hand-made policy and its attachment (import blocks) and updates it in place', async () => {
    const id = await handMadeRootPolicy();
    const configIds = await handMadePilotConfigs();
    const r = await runAdopt({ engine: 'terraform' });
    expect(r).toMatchObject({ outcome: 'adopted', engine: 'terraform' });
    const root = env.organization.root.id;
    expect(r.adopted.filter((a) => a.kind === 'account-config').map((a) => [a.id, a.owner, a.imports])).toEqual(
      env.regions.map((region) => [
        `${env.pilot.account}/${region}`,
        'pilot',
        [
          {
            to: `aws_bedrock_enforced_guardrail_configuration.account_${region.replace(/-/g, '_')}`,
            id: region,
            provider: `aws.${region.replace(/-/g, '_')}`,
          },
        ],
      ]),
    );
    expect(r.adopted.filter((a) => a.kind === 'policy')).toEqual([
      {
        kind: 'policy',
        id,
        owner: 'enterprise',
        mapping: 'different-content',
        imports: [
          { to: 'aws_organizations_policy.baseline', id },
          { to: `aws_organizations_policy_attachment.baseline_${root.replace(/-/g, '_')}`, id: `${root}:${id}` },
        ],
      },
    ]);
    for (const phase of PHASES) {
      const p = await runVerb('promote', phase, { env, release: R2, asOf: AS_OF, engine: 'terraform' });
      expect({ phase, ok: p.ok, failed: p.failedChecks.map((c) => `${c.id}: ${c.detail}`), message: p.ok ? '' : p.message }).toEqual({
        phase,
        ok: true,
        failed: [],
        message: '',
      });
      if (phase === 'pilot') {
        const configs = p
          .report!.stacks.find((s) => s.stack === 'pilot')!
          .resources.filter((c) => c.type === 'aws_bedrock_enforced_guardrail_configuration');
        expect(configs.map((c) => [c.action, c.importId]).sort()).toEqual(env.regions.map((region) => ['update', region]).sort());
        const after = await pilotConfigs();
        for (const region of env.regions) expect(after[region]!.configId).toBe(configIds[region]);
      }
      if (phase === 'enterprise') {
        const baseline = p.report!.stacks.find((s) => s.stack === 'enterprise')!.resources.filter((c) => /\.baseline(_|$)/.test(c.address));
        expect(baseline.map((c) => [c.address, c.action, c.importId])).toEqual([
          ['aws_organizations_policy.baseline', 'update', id],
          [`aws_organizations_policy_attachment.baseline_${root.replace(/-/g, '_')}`, 'import', `${root}:${id}`],
        ]);
      }
    }
    const after = await rootPolicies();
    expect(after.map((x) => ({ id: x.id, name: x.name }))).toEqual([{ id, name: 'guardrail-rollout-enterprise' }]);
    expect((await state()).adopted?.[0]?.settledAt).toEqual(expect.any(String));
  }, 900_000);
});
