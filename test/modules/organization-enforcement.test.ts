import { OrganizationEnforcement } from '../../modules/enforcement/organization.js';
import { AutomatedReasoningRefused } from '../../modules/enforcement/refusal.js';
import { GuardrailDefinition } from '../../guardrail/definition.js';
import { buildPhasePolicies, type PolicySpec } from '../../policy/index.js';
import { exitCodeOf } from '../../core/errors.js';
import { fullDefinition, MGMT, OTHER, PILOT, ROOT, testEnv } from '../helpers/stacks.js';
import { synthWith } from '../helpers/synth.js';

const env = testEnv();
const identifiers = {
  'us-east-1': `arn:aws:bedrock:us-east-1:${MGMT}:guardrail/abc123def456:4`,
  'eu-west-1': `arn:aws:bedrock:eu-west-1:${MGMT}:guardrail/zyx987wvu654:2`,
};
const release = { name: 'baseline@2026.11.2', definition: fullDefinition() };
const common = { release, regions: env.regions, managementAccountId: MGMT };

function policies(phase: 'model-rules' | 'ou' | 'enterprise', asOf = new Date('2026-11-20T00:00:00Z')): PolicySpec[] {
  return buildPhasePolicies({ env, phase, identifiers, asOf, release: release.name });
}

describe('OrganizationEnforcement', () => {
  test('one BEDROCK_POLICY per PolicySpec, content is the JSON of the document, one attachment per target', () => {
    const specs = policies('enterprise');
    const json = synthWith((s) => {
      new OrganizationEnforcement(s, 'org', { ...common, policies: specs });
    });
    const pols = json.resource.aws_organizations_policy;
    expect(Object.keys(pols).sort()).toEqual(['baseline', 'exception_exc_2026_001']);
    for (const spec of specs) {
      const p = Object.values(pols).find((x: any) => x.name === spec.name) as any;
      expect(p.type).toBe('BEDROCK_POLICY');
      expect(p.description).toBe(spec.description);
      expect(JSON.parse(p.content)).toEqual(spec.content);
    }
    const att = json.resource.aws_organizations_policy_attachment;
    expect(att.baseline_r_ab12).toEqual(expect.objectContaining({ policy_id: '${aws_organizations_policy.baseline.id}', target_id: ROOT }));
    expect(att.exception_exc_2026_001_333333333333).toEqual(
      expect.objectContaining({ policy_id: '${aws_organizations_policy.exception_exc_2026_001.id}', target_id: OTHER }),
    );
    expect(Object.keys(att)).toHaveLength(2);
  });

  test('model-rules attaches the baseline to the pilot account only', () => {
    const json = synthWith((s) => {
      new OrganizationEnforcement(s, 'org', { ...common, policies: policies('model-rules') });
    });
    const targets = Object.values(json.resource.aws_organizations_policy_attachment).map((a: any) => a.target_id);
    expect(targets).toEqual([PILOT]);
  });

  test('refuses a release with an Automated Reasoning policy, naming the release and regions', () => {
    const ar = new GuardrailDefinition({
      name: 'ar',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      automatedReasoning: { policies: ['arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/abcdefghijkl:1'] },
    }).addWordFilter('x');
    let caught: unknown;
    try {
      synthWith((s) => {
        new OrganizationEnforcement(s, 'org', { ...common, release: { name: 'ar@1', definition: ar }, policies: policies('ou') });
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AutomatedReasoningRefused);
    expect((caught as Error).message).toMatch(
      /^release "ar@1" carries an Automated Reasoning policy and is refused for organization-level enforcement in us-east-1, eu-west-1/,
    );
    expect(exitCodeOf(caught)).toBe(2);
  });

  test('validates each document (identifier owned by another account is rejected)', () => {
    const bad = policies('ou').map((p) => structuredClone(p));
    (bad[0]!.content.bedrock.guardrail_inference['us-east-1']!.config_1!.identifier as { '@@assign': string })['@@assign'] =
      'arn:aws:bedrock:us-east-1:999999999999:guardrail/abc:1';
    expect(() =>
      synthWith((s) => {
        new OrganizationEnforcement(s, 'org', { ...common, policies: bad });
      }),
    ).toThrow(
      /OrganizationEnforcement "test\/org": props\.policies\[0\]\.content is not a valid BEDROCK_POLICY document for "guardrail-rollout-ou": .*identifier/,
    );
  });

  test('accepts unresolved references as identifiers', () => {
    const specs = buildPhasePolicies({
      env,
      phase: 'ou',
      asOf: new Date(),
      identifiers: {
        'us-east-1': '${data.terraform_remote_state.guardrails.outputs.a}',
        'eu-west-1': '${data.terraform_remote_state.guardrails.outputs.b}',
      },
    });
    const json = synthWith((s) => {
      new OrganizationEnforcement(s, 'org', { ...common, policies: specs });
    });
    expect(json.resource.aws_organizations_policy.baseline.content).toContain('${data.terraform_remote_state.guardrails.outputs.a}');
  });

  test.each([
    [
      (p: PolicySpec) => ({ ...p, targets: ['ou-bad'] }),
      'props.policies[0].targets[0] must be a root (r-…), OU (ou-…-…) or 12-digit account id (got "ou-bad")',
    ],
    [(p: PolicySpec) => ({ ...p, targets: [] }), 'props.policies[0].targets must have at least 1 item'],
    [(p: PolicySpec) => ({ ...p, name: '' }), 'props.policies[0].name must not be empty'],
  ])('rejects bad policy specs (%#)', (mutate, message) => {
    const specs = policies('ou').map(mutate);
    expect(() =>
      synthWith((s) => {
        new OrganizationEnforcement(s, 'org', { ...common, policies: specs });
      }),
    ).toThrow(message);
  });

  test('rejects duplicate keys and an invalid management account', () => {
    const [p] = policies('ou');
    expect(() =>
      synthWith((s) => {
        new OrganizationEnforcement(s, 'org', { ...common, policies: [p!, { ...p!, name: 'other' }] });
      }),
    ).toThrow('props.policies[1].key must be unique (another policy maps to the Terraform name "baseline")');
    expect(() =>
      synthWith((s) => {
        new OrganizationEnforcement(s, 'org', { ...common, managementAccountId: 'mgmt', policies: [p!] });
      }),
    ).toThrow('props.managementAccountId must be a 12-digit account id (got "mgmt")');
  });
});
