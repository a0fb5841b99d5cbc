import { isManagedPolicy } from '../../core/naming.js';
import {
  buildPhasePolicies,
  toApiGuarding,
  accountEnforcementConfig,
  effectivePolicies,
  enforcementByRegion,
  validatePolicyDocument,
  type OrgSnapshot,
  type PolicySpec,
} from '../../policy/index.js';
import { InputError } from '../../core/errors.js';
import { MGMT, OTHER_OU, PILOT_ACCOUNT, PILOT_OU, ROOT, arn, exception, ids, testEnv } from '../helpers/policy.js';

const asOf = new Date('2026-05-01T12:00:00Z');
const cfgOf = (spec: PolicySpec, region = 'us-east-1') => (spec.content.bedrock.guardrail_inference[region] as any).config_1;

function snapshot(env = testEnv(), specs: PolicySpec[]): OrgSnapshot {
  return {
    root: env.organization.root.id,
    ous: env.organization.ous.map(({ id, parent }) => ({ id, parent })),
    accounts: env.organization.accounts.map(({ id, parent }) => ({ id, parent })),
    policies: specs.map((s) => ({ id: s.name, content: s.content, targets: s.targets })),
  };
}

describe('buildPhasePolicies', () => {
  test('pilot is account-level only: no organization policy', () => {
    expect(buildPhasePolicies({ env: testEnv(), phase: 'pilot', identifiers: ids(3), asOf })).toEqual([]);
  });

  test.each([
    ['model-rules', PILOT_ACCOUNT],
    ['ou', PILOT_OU],
    ['enterprise', ROOT],
  ] as const)('%s attaches the baseline to %s with the identifiers of every region', (phase, target) => {
    const [spec, ...rest] = buildPhasePolicies({ env: testEnv(), phase, identifiers: ids(3), asOf, release: 'baseline@1.1.0' });
    expect(rest).toEqual([]);
    expect(spec).toMatchObject({ key: 'baseline', name: `guardrail-rollout-${phase}`, targets: [target] });
    expect(spec.description).toMatch(/^Managed by guardrail-rollout/);
    expect(spec.description).toContain(`phase=${phase}`);
    expect(spec.description).toContain('release=baseline@1.1.0');
    expect(Object.keys(spec.content.bedrock.guardrail_inference)).toEqual(['us-east-1', 'eu-west-1']);
    expect(cfgOf(spec, 'eu-west-1').identifier['@@assign']).toBe(`${arn('eu-west-1')}:3`);
    expect(validatePolicyDocument(spec.content, { managementAccountId: MGMT, regions: ['us-east-1', 'eu-west-1'] })).toEqual([]);
  });

  test('child control: identifier open to @@assign, everything else locked when no exception is active', () => {
    const [spec] = buildPhasePolicies({ env: testEnv(), phase: 'enterprise', identifiers: ids(3), asOf });
    const c = cfgOf(spec);
    const ctl = (x: any) => x['@@operators_allowed_for_child_policies'];
    expect(ctl(c.identifier)).toEqual(['@@assign']);
    expect([
      ctl(c.selective_content_guarding.system),
      ctl(c.selective_content_guarding.messages),
      ctl(c.model_enforcement.included_models),
      ctl(c.model_enforcement.excluded_models),
    ]).toEqual([['@@none'], ['@@none'], ['@@none'], ['@@none']]);
    // Containers carry no list (it would lock the identifier below them).
    expect(c['@@operators_allowed_for_child_policies']).toBeUndefined();
  });

  test('enterprise adds one policy per exception active as of the date; expired ones are left out', () => {
    const env = testEnv({
      exceptions: [
        exception({ id: 'EXC-2', target: '444444444444', changes: { system: 'selective' }, expires: '2026-05-01' }),
        exception({ id: 'EXC-1', target: OTHER_OU, changes: { excludedModels: ['cohere.embed-english-v3'] }, expires: '2026-12-31' }),
        exception({ id: 'EXC-0', target: '555555555555', changes: { messages: 'selective' }, expires: '2026-04-30' }),
      ],
    });
    const specs = buildPhasePolicies({ env, phase: 'enterprise', identifiers: ids(3), asOf });
    expect(specs.map((s) => [s.key, s.name, s.targets])).toEqual([
      ['baseline', 'guardrail-rollout-enterprise', [ROOT]],
      ['exception-EXC-1', 'guardrail-rollout-exception-EXC-1', [OTHER_OU]],
      ['exception-EXC-2', 'guardrail-rollout-exception-EXC-2', ['444444444444']],
    ]);
    expect(cfgOf(specs[1])).toEqual({ model_enforcement: { excluded_models: { '@@append': ['cohere.embed-english-v3'] } } });
    expect(cfgOf(specs[2])).toEqual({ selective_content_guarding: { system: { '@@assign': 'selective' } } });
    // Only what active exceptions need is opened.
    const c = cfgOf(specs[0]);
    expect(c.model_enforcement.excluded_models['@@operators_allowed_for_child_policies']).toEqual(['@@append']);
    expect(c.selective_content_guarding.system['@@operators_allowed_for_child_policies']).toEqual(['@@assign']);
    expect(c.selective_content_guarding.messages['@@operators_allowed_for_child_policies']).toEqual(['@@none']);
    // The day after expiry, EXC-2 is gone and system is locked again.
    const later = buildPhasePolicies({ env, phase: 'enterprise', identifiers: ids(3), asOf: new Date('2026-05-02T00:00:00Z') });
    expect(later.map((s) => s.key)).toEqual(['baseline', 'exception-EXC-1']);
    expect(cfgOf(later[0]).selective_content_guarding.system['@@operators_allowed_for_child_policies']).toEqual(['@@none']);
  });

  test('stacked phases: pilot account and pilot OU run a newer release than the root; exceptions still apply below the OU', () => {
    const env = testEnv({
      exceptions: [exception({ id: 'EXC-1', target: '333333333333', changes: { excludedModels: ['cohere.embed-english-v3'] } })],
    });
    const specs = [
      ...buildPhasePolicies({ env, phase: 'enterprise', identifiers: ids(3), asOf }),
      ...buildPhasePolicies({ env, phase: 'ou', identifiers: ids(4), asOf }),
      ...buildPhasePolicies({ env, phase: 'model-rules', identifiers: ids(5), asOf }),
      // A foreign policy on the other OU trying to weaken the baseline.
      {
        key: 'x',
        name: 'foreign',
        description: '',
        targets: [OTHER_OU],
        content: {
          bedrock: {
            guardrail_inference: {
              'us-east-1': {
                config_1: {
                  identifier: { '@@assign': `${arn('us-east-1')}:9` },
                  selective_content_guarding: { messages: { '@@assign': 'selective' } },
                  model_enforcement: { excluded_models: { '@@assign': [] } },
                },
              },
            },
          },
        },
      } as unknown as PolicySpec,
    ];
    const out = effectivePolicies(snapshot(env, specs));
    const us = (account: string) => enforcementByRegion(out.get(account)!.policy).find((e) => e.region === 'us-east-1')!;
    expect(us(PILOT_ACCOUNT).version).toBe('5');
    expect(us('333333333333')).toMatchObject({ version: '4', excludedModels: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'] });
    expect(us('555555555555').version).toBe('3');
    // The foreign OU policy may change the identifier (by design) but nothing it could weaken.
    expect(us('444444444444')).toMatchObject({ version: '9', messages: 'comprehensive', excludedModels: ['amazon.titan-embed-text-v2:0'] });
  });

  test('unresolved cdktf tokens are accepted as identifiers; a DRAFT identifier is refused with its path', () => {
    const tokens = { 'us-east-1': '${data.terraform_remote_state.guardrails.outputs.x}', 'eu-west-1': '${TfToken[TOKEN.12]}' };
    expect(buildPhasePolicies({ env: testEnv(), phase: 'ou', identifiers: tokens, asOf })).toHaveLength(1);
    const bad = { ...ids(3), 'eu-west-1': `${arn('eu-west-1')}:DRAFT` };
    expect(() => buildPhasePolicies({ env: testEnv(), phase: 'ou', identifiers: bad, asOf })).toThrow(InputError);
    expect(() => buildPhasePolicies({ env: testEnv(), phase: 'ou', identifiers: bad, asOf })).toThrow(
      /environment\.yaml at bedrock\.guardrail_inference\.eu-west-1\.config_1\.identifier\.@@assign: DRAFT/,
    );
    expect(() => buildPhasePolicies({ env: testEnv(), phase: 'ou', identifiers: { 'us-east-1': ids(3)['us-east-1'] }, asOf })).toThrow(
      /eu-west-1/,
    );
  });
});

describe('shared mappings', () => {
  test('isManagedPolicy needs both our name prefix and our description prefix', () => {
    const [spec] = buildPhasePolicies({ env: testEnv(), phase: 'ou', identifiers: ids(3), asOf });
    expect(isManagedPolicy(spec.name, spec.description)).toBe(true);
    expect(isManagedPolicy(spec.name, 'hand-made')).toBe(false);
    expect(isManagedPolicy('bedrock-baseline', spec.description)).toBe(false);
  });

  test('guarding modes map to the upper-case API enum; the pilot configuration uses the environment defaults', () => {
    expect(toApiGuarding('comprehensive')).toBe('COMPREHENSIVE');
    expect(toApiGuarding('selective')).toBe('SELECTIVE');
    const env = testEnv({
      enforcement: { system: 'selective', messages: 'comprehensive', models: { included: [], excluded: ['cohere.embed-english-v3'] } },
    });
    expect(accountEnforcementConfig(env)).toEqual({
      selectiveContentGuarding: { system: 'SELECTIVE', messages: 'COMPREHENSIVE' },
      modelEnforcement: { includedModels: ['ALL'], excludedModels: ['cohere.embed-english-v3'] },
    });
  });
});
