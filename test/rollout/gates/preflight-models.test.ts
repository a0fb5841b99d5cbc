/**
 * Preflight's static model checks (issue 9 item 5, example 6): every model id of the lists that
 * apply to every account in scope exists in each region's ListFoundationModels catalogue, and
 * every model that cannot be guarded is excluded for every account in scope — on the sandbox,
 * through the real SDK, before anything of the phase is applied.
 */
import type { EnforcementException, Environment } from '../../../model/types.js';
import { runPreflight } from '../../../rollout/gates/index.js';
import {
  type CatalogueEntry,
  guardability,
  modelChecks,
  modelsCheck,
  nearestModels,
  type RegionCatalogues,
} from '../../../rollout/gates/preflight/models.js';
import { accountsForPhase } from '../../../rollout/gates/scope.js';
import type { CheckResult, GateResult } from '../../../rollout/state/contracts.js';
import {
  MISTYPED_EXCLUSION,
  sandboxEnvironment,
  startFixture,
  withMistypedExclusion,
  type Fixture,
} from '../../helpers/sandbox-fixture.js';

const failed = (r: { checks: CheckResult[] } | CheckResult[]) => ('checks' in r ? r.checks : r).filter((c) => c.status === 'failed');
const show = (r: GateResult) =>
  r.checks
    .filter((c) => c.status !== 'passed')
    .map((c) => `${c.status} ${c.id}: ${c.detail}`)
    .join('\n');

describe('guardability (from ListFoundationModels modalities)', () => {
  test.each([
    [['TEXT'], ['TEXT'], true],
    [['TEXT', 'IMAGE', 'VIDEO'], ['TEXT'], true], // multimodal chat (Nova Pro)
    [['TEXT', 'IMAGE'], ['IMAGE'], true], // image generation: the prompt and the generated image are evaluated
    [['TEXT'], ['EMBEDDING'], false],
    [['TEXT', 'IMAGE'], ['EMBEDDING'], false], // multimodal embeddings
    [['SPEECH'], ['SPEECH', 'TEXT'], false], // speech-to-speech
    [['TEXT', 'IMAGE'], ['VIDEO'], false], // video generation
    [['TEXT'], [], false],
  ])('input %j, output %j → guardable %s', (inputModalities, outputModalities, guardable) => {
    expect(guardability({ inputModalities, outputModalities }).guardable).toBe(guardable);
  });

  test('near ids for a typo', () => {
    const known = ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3'];
    expect(nearestModels('amazon.titan-embed-text-v2', known)).toEqual(['amazon.titan-embed-text-v2:0']);
    expect(nearestModels('cohere.embed-multilingal-v3', known)).toEqual(['cohere.embed-multilingual-v3']);
    expect(nearestModels('meta.llama3-1-8b-instruct-v1:0', known)).toEqual([]);
  });
});

describe('modelChecks (pure, over given catalogues)', () => {
  let env: Environment;
  beforeAll(async () => {
    env = await sandboxEnvironment();
  });
  const asOf = new Date('2026-11-25T12:00:00Z');
  const entry = (modelId: string, out: string[] = ['TEXT']): [string, CatalogueEntry] => [
    modelId,
    { modelId, inputModalities: ['TEXT'], outputModalities: out },
  ];
  const BASE = [
    entry('anthropic.claude-3-5-sonnet-20241022-v2:0'),
    entry('amazon.titan-image-generator-v2:0', ['IMAGE']),
    entry('amazon.titan-embed-text-v2:0', ['EMBEDDING']),
    entry('cohere.embed-english-v3', ['EMBEDDING']),
    entry('cohere.embed-multilingual-v3', ['EMBEDDING']),
  ];

  test('a model offered in another region of the environment only is not a typo (listing it has no effect where it is missing)', () => {
    const cats: RegionCatalogues = new Map([
      ['us-east-1', new Map([...BASE])],
      ['eu-west-1', new Map(BASE.filter(([id]) => id !== 'cohere.embed-multilingual-v3'))],
    ]);
    const checks = modelChecks(env, 'enterprise', accountsForPhase(env, 'enterprise'), asOf, cats);
    expect(failed(checks)).toEqual([]);
    expect(checks.find((c) => c.id === 'preflight:models@eu-west-1')!.detail).toMatch(
      /cohere\.embed-multilingual-v3 is not offered in eu-west-1 \(offered in us-east-1\)/,
    );
  });

  test('an included list without ALL leaves models it does not name out of enforcement', () => {
    const only = {
      ...env,
      enforcement: { ...env.enforcement, models: { included: ['anthropic.claude-3-5-sonnet-20241022-v2:0'], excluded: [] } },
    };
    const cats: RegionCatalogues = new Map(env.regions.map((r) => [r, new Map([...BASE])]));
    expect(failed(modelChecks(only, 'pilot', [env.pilot.account], asOf, cats))).toEqual([]);
    const all = { ...only, enforcement: { ...only.enforcement, models: { included: ['ALL'], excluded: [] } } };
    expect(
      failed(modelChecks(all, 'pilot', [env.pilot.account], asOf, cats))
        .map((c) => c.id)
        .sort(),
    ).toEqual(
      ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3']
        .flatMap((m) => env.regions.map((r) => `preflight:model-unguardable:${m}@${r}`))
        .sort(),
    );
  });

  test('exception exclusions count for the enterprise phase only (the pilot/baseline applies the defaults)', () => {
    const exc: EnforcementException = {
      id: 'EXC-TEST-EMBED',
      target: env.pilot.account,
      changes: { excludedModels: ['cohere.embed-multilingual-v3'] },
      owner: 'o',
      reason: 'r',
      approver: 'a',
      expires: '2027-01-31',
    };
    const e = {
      ...env,
      enforcement: {
        ...env.enforcement,
        models: { included: ['ALL'], excluded: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'] },
      },
      exceptions: [...env.exceptions, exc],
    };
    const cats: RegionCatalogues = new Map(env.regions.map((r) => [r, new Map([...BASE])]));
    const pilot = failed(modelChecks(e, 'pilot', [env.pilot.account], asOf, cats));
    expect(pilot.map((c) => c.id)).toContain('preflight:model-unguardable:cohere.embed-multilingual-v3@us-east-1');
    expect(pilot[0]!.detail).toMatch(/exceptions apply from the enterprise phase only/);
    const ent = failed(modelChecks(e, 'enterprise', accountsForPhase(e, 'enterprise'), asOf, cats));
    // Enterprise: excluded for the pilot account and 444444444443 (EXC-2026-001), enforced on every other account.
    const c = ent.find((x) => x.id === 'preflight:model-unguardable:cohere.embed-multilingual-v3@us-east-1')!;
    const accounts = (c.evidence as { accounts: string[] }).accounts;
    expect(accounts).not.toContain(env.pilot.account);
    expect(accounts).not.toContain('444444444443');
    expect(accounts).toHaveLength(accountsForPhase(e, 'enterprise').length - 2);
  });

  test('500 accounts with a typo in the defaults: one check per region, every account evaluated and listed in evidence', () => {
    const accounts = Array.from({ length: 500 }, (_, i) => String(100000000000 + i));
    const e = {
      ...env,
      exceptions: [],
      enforcement: {
        ...env.enforcement,
        models: { ...env.enforcement.models, excluded: [...env.enforcement.models.excluded, 'cohere.embed-englsh-v3'] },
      },
    };
    const cats: RegionCatalogues = new Map(env.regions.map((r) => [r, new Map([...BASE])]));
    const checks = failed(modelChecks(e, 'enterprise', accounts, asOf, cats));
    expect(checks.map((c) => c.id)).toEqual(env.regions.map((r) => `preflight:model-unknown:cohere.embed-englsh-v3@${r}`));
    expect((checks[0]!.evidence as { accounts: string[] }).accounts).toEqual(accounts);
    expect(checks[0]!.detail).toMatch(/all 500 accounts in scope of enterprise: 100000000000, .* and 488 more/);
    expect(checks[0]!.detail).toMatch(/did you mean cohere\.embed-english-v3/);
  });
});

describe('preflight model checks on the sandbox (real SDK calls)', () => {
  /** Applies only the guardrails stack (nothing of the phase), then runs preflight. */
  async function preflightOn(env: Environment, phase: 'pilot' | 'enterprise'): Promise<GateResult> {
    const fx: Fixture = await startFixture({ env });
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel, ou: rel, enterprise: rel };
      const g = await fx.apply(fx.synth(releases).get('guardrails')!);
      const published = fx.published(g.outputs, rel, fx.env.managementAccountId);
      const pre = await runPreflight(fx.context(phase, rel, releases, published));
      // Nothing of the phase is in place: preflight ran before its apply.
      expect(fx.sandbox.state.enforced).toEqual([]);
      expect(fx.sandbox.state.policies.filter((p) => p.type === 'BEDROCK_POLICY')).toEqual([]);
      return pre;
    } finally {
      await fx.close();
    }
  }

  test.each(['pilot', 'enterprise'] as const)(
    'the clean sandbox environment passes (%s): every account in scope, every region',
    async (phase) => {
      const env = await sandboxEnvironment();
      const pre = await preflightOn(env, phase);
      expect({ status: pre.status, failures: show(pre) }).toEqual({ status: 'passed', failures: '' });
      for (const region of env.regions) {
        const c = pre.checks.find((x) => x.id === `preflight:models@${region}`)!;
        expect(c).toMatchObject({ status: 'passed', region });
        expect(c.detail).toContain(`for the ${accountsForPhase(env, phase).length} account(s) in scope`);
        expect(c.detail).toMatch(/amazon\.titan-embed-text-v2:0, cohere\.embed-english-v3, cohere\.embed-multilingual-v3\) are excluded/);
      }
    },
    60_000,
  );

  test('an exception excluding a misspelled model id halts preflight naming the account, region and model', async () => {
    const env = await sandboxEnvironment();
    const typo: EnforcementException = {
      id: 'EXC-TEST-TYPO',
      target: '444444444441',
      changes: { excludedModels: ['cohere.embed-multilingal-v3'] },
      owner: 'payments-team',
      reason: 'Test fixture: a misspelled embedding model',
      approver: 'ciso-office',
      expires: '2027-03-31',
    };
    const pre = await preflightOn({ ...env, exceptions: [...env.exceptions, typo] }, 'enterprise');
    expect(pre.status).toBe('failed');
    const bad = failed(pre);
    expect(bad.map((c) => c.id).sort()).toEqual(env.regions.map((r) => `preflight:model-unknown:cohere.embed-multilingal-v3@${r}`).sort());
    for (const c of bad) {
      expect(c.account).toBe('444444444441');
      expect(env.regions).toContain(c.region);
      expect(c.detail).toContain('"cohere.embed-multilingal-v3" (exception EXC-TEST-TYPO)');
      expect(c.detail).toContain(`not in the model catalogue of ${c.region}`);
      expect(c.detail).toContain('did you mean cohere.embed-multilingual-v3?');
      expect(c.detail).toMatch(/for 444444444441$/);
    }
  }, 60_000);

  test('a default exclusion list naming the wrong embedding model halts preflight: the real one is enforced on every account', async () => {
    const env = await sandboxEnvironment();
    // cohere.embed-english-v3 swapped for Cohere's chat model: valid id, wrong model.
    const excluded = env.enforcement.models.excluded.map((m) => (m === 'cohere.embed-english-v3' ? 'cohere.command-r-plus-v1:0' : m));
    const wrong = { ...env, enforcement: { ...env.enforcement, models: { ...env.enforcement.models, excluded } } };
    const pre = await preflightOn(wrong, 'enterprise');
    expect(pre.status).toBe('failed');
    const bad = failed(pre);
    expect(bad.map((c) => c.id).sort()).toEqual(env.regions.map((r) => `preflight:model-unguardable:cohere.embed-english-v3@${r}`).sort());
    const all = accountsForPhase(env, 'enterprise');
    for (const c of bad) {
      expect((c.evidence as { accounts: string[] }).accounts).toEqual(all);
      expect(c.detail).toContain('model cohere.embed-english-v3 cannot be guarded (an embedding model (output EMBEDDING))');
      expect(c.detail).toContain(
        `enterprise enforces it on all ${all.length} accounts in scope of enterprise: ${all.slice(0, 12).join(', ')}`,
      );
      expect(c.detail).toContain(`in ${c.region}: every enforced call to it would fail with ValidationException`);
    }
  }, 60_000);

  test('the mistyped embedding exclusion (":0" missing) halts at pilot: unknown id and the embedding model left enforced', async () => {
    const env = withMistypedExclusion(await sandboxEnvironment());
    const pre = await preflightOn(env, 'pilot');
    const ids = failed(pre).map((c) => c.id);
    for (const r of env.regions) {
      expect(ids).toContain(`preflight:model-unknown:${MISTYPED_EXCLUSION}@${r}`);
      expect(ids).toContain(`preflight:model-unguardable:amazon.titan-embed-text-v2:0@${r}`);
    }
    const unknown = failed(pre).find((c) => c.id.startsWith('preflight:model-unknown'))!;
    expect(unknown).toMatchObject({ account: env.pilot.account });
    expect(unknown.detail).toContain('did you mean amazon.titan-embed-text-v2:0?');
  }, 60_000);

  test('ListFoundationModels failing is missing evidence, not a pass', async () => {
    const env = await sandboxEnvironment();
    const ctx = {
      env,
      phase: 'pilot' as const,
      release: env.currentRelease,
      asOf: new Date('2026-11-25T12:00:00Z'),
      published: {},
      phaseStacks: {},
      access: {
        forAccount: () => ({
          bedrock: {
            send: async () => {
              throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
            },
          },
        }),
      } as never,
    };
    const checks = await modelsCheck.run(ctx);
    expect(checks.map((c) => [c.id, c.status])).toEqual(env.regions.map((r) => [`preflight:models@${r}`, 'inconclusive']));
  });
});
