import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Phase } from '../../model/types.js';
import { AutomatedReasoningRefused } from '../../modules/enforcement/refusal.js';
import { GuardrailDefinition } from '../../guardrail/definition.js';
import { InputError } from '../../core/errors.js';
import { STACK_NAMES, synthStack, synthStacks } from '../../stacks/synth.js';
import {
  fullDefinition,
  KMS_US_EAST_1,
  MGMT,
  OTHER,
  OTHER_OU,
  PILOT,
  PILOT_OU,
  ROOT,
  release,
  testEnv,
  tf,
  tmpOut,
} from '../helpers/stacks.js';

const V1 = 'baseline@2026.11.1';
const V2 = 'baseline@2026.11.2';
const ALL_V2: Partial<Record<Phase, string>> = { pilot: V2, 'model-rules': V2, ou: V2, enterprise: V2 };
const ASOF = new Date('2026-11-20T00:00:00Z');

function synth(over: { releases?: Partial<Record<Phase, string>>; asOf?: Date; env?: ReturnType<typeof testEnv> } = {}) {
  const outdir = tmpOut();
  const artifacts = synthStacks({ env: over.env ?? testEnv(), releases: over.releases ?? ALL_V2, asOf: over.asOf ?? ASOF, outdir });
  const by = Object.fromEntries(artifacts.map((a) => [a.name, tf(a.json)]));
  return { outdir, artifacts, by };
}

describe('synthStacks', () => {
  const { outdir, artifacts, by } = synth({ releases: { pilot: V2, 'model-rules': V2, ou: V1, enterprise: V1 } });

  test('writes the five stacks in the cdktf layout', () => {
    expect(artifacts.map((a) => a.name)).toEqual(['guardrails', 'pilot', 'model-rules', 'ou', 'enterprise']);
    for (const a of artifacts) {
      expect(a.file).toBe(path.join(outdir, 'stacks', a.name, 'cdk.tf.json'));
      expect(JSON.parse(readFileSync(a.file, 'utf8'))).toEqual(a.json);
    }
  });

  test('guardrails: per region one guardrail (newest release), one version per release in use, one RBP', () => {
    const r = by.guardrails!.resource!;
    expect(Object.keys(r).sort()).toEqual([
      'aws_bedrock_guardrail',
      'aws_bedrock_guardrail_resource_policy',
      'aws_bedrock_guardrail_version',
    ]);
    expect(Object.keys(r.aws_bedrock_guardrail!).sort()).toEqual(['guardrail_eu_west_1', 'guardrail_us_east_1']);
    expect(r.aws_bedrock_guardrail!.guardrail_us_east_1!.description).toBe('baseline guardrail v2');
    expect(Object.keys(r.aws_bedrock_guardrail_version!).sort()).toEqual([
      'release_baseline_2026_11_1_eu_west_1',
      'release_baseline_2026_11_1_us_east_1',
      'release_baseline_2026_11_2_eu_west_1',
      'release_baseline_2026_11_2_us_east_1',
    ]);
    const env = testEnv();
    for (const rel of env.releases) {
      const v = r.aws_bedrock_guardrail_version![`release_${rel.name.replace(/[@.]/g, '_')}_us_east_1`]!;
      expect(v).toMatchObject({
        skip_destroy: true,
        description: `release ${rel.name} sha256:${rel.contentHash.slice(0, 16)}`,
        provider: 'aws.us_east_1',
      });
    }
    const rbp = r.aws_bedrock_guardrail_resource_policy!.guardrail_eu_west_1!;
    const doc = JSON.parse(rbp.policy as string);
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0].Action).toEqual(['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail']);
    expect(doc.Statement[0].Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } });
    expect(doc.Statement[0].Resource).toBe('${aws_bedrock_guardrail.guardrail_eu_west_1.guardrail_arn}');
  });

  test('guardrails: a release kept published stays in the stack although no phase runs it', () => {
    const versions = (publish?: string[]) => {
      const [g] = synthStacks({ env: testEnv(), releases: { pilot: V2 }, publish, asOf: ASOF, outdir: tmpOut() }, ['guardrails']);
      return Object.keys(tf(g!.json).resource!.aws_bedrock_guardrail_version!).sort();
    };
    expect(versions()).toEqual(['release_baseline_2026_11_2_eu_west_1', 'release_baseline_2026_11_2_us_east_1']);
    expect(versions([V1])).toEqual([
      'release_baseline_2026_11_1_eu_west_1',
      'release_baseline_2026_11_1_us_east_1',
      'release_baseline_2026_11_2_eu_west_1',
      'release_baseline_2026_11_2_us_east_1',
    ]);
    expect(() => versions(['baseline@9.9.9'])).toThrow(/release "baseline@9.9.9" is not defined/);
  });

  test('guardrails outputs: arn, id, version and identifier per release and region', () => {
    const out = by.guardrails!.output!;
    expect(Object.keys(out)).toHaveLength(2 * 2 * 4);
    expect(out.release_baseline_2026_11_1_us_east_1_identifier!.value).toBe(
      '${aws_bedrock_guardrail.guardrail_us_east_1.guardrail_arn}:${aws_bedrock_guardrail_version.release_baseline_2026_11_1_us_east_1.version}',
    );
    expect(out.release_baseline_2026_11_2_eu_west_1_version!.value).toBe(
      '${aws_bedrock_guardrail_version.release_baseline_2026_11_2_eu_west_1.version}',
    );
    expect(out.release_baseline_2026_11_2_eu_west_1_arn!.value).toBe('${aws_bedrock_guardrail.guardrail_eu_west_1.guardrail_arn}');
    expect(out.release_baseline_2026_11_2_eu_west_1_id!.value).toBe('${aws_bedrock_guardrail.guardrail_eu_west_1.guardrail_id}');
  });

  test('providers assume the configured role in the account each stack changes, members through the management role', () => {
    // Every assume_role block in order: hashicorp/aws assumes them as a chain (stacks/providers.ts).
    const roles = (name: string) =>
      by[name]!.provider!.aws.map((p) => [
        p.alias ?? null,
        p.region,
        ...(p.assume_role as Array<{ role_arn: string; session_name: string }>).map((a) => a.role_arn),
      ]);
    expect(roles('guardrails')).toEqual([
      ['us_east_1', 'us-east-1', `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`],
      ['eu_west_1', 'eu-west-1', `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`],
    ]);
    // The pilot account's role is assumed FROM the management role session (base → admin → member).
    expect(roles('pilot')).toEqual([
      ['us_east_1', 'us-east-1', `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`, `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`],
      ['eu_west_1', 'eu-west-1', `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`, `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`],
    ]);
    expect(by.pilot!.provider!.aws[0]!.assume_role).toEqual([
      { role_arn: `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`, session_name: 'guardrail-rollout-pilot' },
      { role_arn: `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`, session_name: 'guardrail-rollout-pilot' },
    ]);
    for (const s of ['model-rules', 'ou', 'enterprise'])
      expect(roles(s)).toEqual([[null, 'us-east-1', `arn:aws:iam::${MGMT}:role/GuardrailRolloutAdmin`]]);
  });

  test('without managementRoleName the management account role is roleName and members assume their role directly', () => {
    const env = testEnv();
    const { by: b } = synth({ env: { ...env, deployment: { ...env.deployment, managementRoleName: undefined } } });
    expect((b.enterprise!.provider!.aws[0]!.assume_role as Array<{ role_arn: string }>).map((a) => a.role_arn)).toEqual([
      `arn:aws:iam::${MGMT}:role/GuardrailRolloutRole`,
    ]);
    expect((b.pilot!.provider!.aws[0]!.assume_role as Array<{ role_arn: string }>).map((a) => a.role_arn)).toEqual([
      `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`,
    ]);
  });

  test("every stack requires the environment's hashicorp/aws version, not the prebuilt 6.25.0", () => {
    for (const a of artifacts)
      expect(tf(a.json).terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '>= 6.70.0, < 7.0.0' } });
    const env = testEnv();
    const { artifacts: other } = synth({ env: { ...env, deployment: { ...env.deployment, awsProviderVersion: '~> 6.80' } } });
    for (const a of other)
      expect(tf(a.json).terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '~> 6.80' } });
  });

  test('pilot: own guardrail + version + account-level enforcement per region, in the pilot account', () => {
    const r = by.pilot!.resource!;
    expect(Object.keys(r.aws_bedrock_guardrail!)).toHaveLength(2);
    expect(Object.keys(r.aws_bedrock_guardrail_version!).sort()).toEqual([
      'release_baseline_2026_11_2_eu_west_1',
      'release_baseline_2026_11_2_us_east_1',
    ]);
    expect(r).not.toHaveProperty('aws_organizations_policy');
    expect(r.aws_bedrock_enforced_guardrail_configuration!.account_us_east_1).toMatchObject({
      guardrail_identifier: '${aws_bedrock_guardrail.guardrail_us_east_1.guardrail_arn}',
      guardrail_version: '${aws_bedrock_guardrail_version.release_baseline_2026_11_2_us_east_1.version}',
      selective_content_guarding: [{ system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' }],
      model_enforcement: [{ included_models: ['ALL'], excluded_models: ['amazon.titan-embed-text-v2:0'] }],
      provider: 'aws.us_east_1',
    });
    expect(by.pilot!.output).toHaveProperty('enforcement_eu_west_1_config_id');
    expect(by.pilot!.output).toHaveProperty('release_baseline_2026_11_2_eu_west_1_identifier');
  });

  const attachments = (name: string) =>
    Object.values(by[name]!.resource!.aws_organizations_policy_attachment!)
      .map((a) => a.target_id)
      .sort();
  const policyDoc = (name: string, key = 'baseline') => JSON.parse(by[name]!.resource!.aws_organizations_policy![key]!.content as string);

  test('model-rules → pilot account, ou → pilot OU, enterprise → root + active exceptions', () => {
    expect(attachments('model-rules')).toEqual([PILOT]);
    expect(attachments('ou')).toEqual([PILOT_OU]);
    expect(attachments('enterprise')).toEqual([OTHER, ROOT].sort());
    for (const s of ['model-rules', 'ou', 'enterprise']) {
      for (const p of Object.values(by[s]!.resource!.aws_organizations_policy!)) expect(p.type).toBe('BEDROCK_POLICY');
    }
    expect(policyDoc('enterprise', 'exception_exc_2026_001').bedrock.guardrail_inference['us-east-1'].config_1).toEqual({
      model_enforcement: { excluded_models: { '@@append': ['cohere.embed-english-v3'] } },
    });
  });

  test('each phase references the guardrails stack output of its own release per region', () => {
    const id = (s: string, region: string) => policyDoc(s).bedrock.guardrail_inference[region].config_1.identifier['@@assign'];
    expect(id('model-rules', 'us-east-1')).toBe(
      '${data.terraform_remote_state.guardrails.outputs.release_baseline_2026_11_2_us_east_1_identifier}',
    );
    expect(id('ou', 'eu-west-1')).toBe('${data.terraform_remote_state.guardrails.outputs.release_baseline_2026_11_1_eu_west_1_identifier}');
    expect(id('enterprise', 'us-east-1')).toBe(
      '${data.terraform_remote_state.guardrails.outputs.release_baseline_2026_11_1_us_east_1_identifier}',
    );
    const content = policyDoc('model-rules').bedrock.guardrail_inference['us-east-1'].config_1;
    expect(content.selective_content_guarding.system['@@assign']).toBe('comprehensive');
    expect(content.model_enforcement.excluded_models['@@assign']).toEqual(['amazon.titan-embed-text-v2:0']);
    // every key referenced exists as an output of the guardrails stack
    for (const s of ['model-rules', 'ou', 'enterprise']) {
      const text = JSON.stringify(by[s]!.resource);
      for (const m of text.matchAll(/data\.terraform_remote_state\.guardrails\.outputs\.([a-z0-9_]+)/g))
        expect(by.guardrails!.output).toHaveProperty(m[1]!);
    }
  });

  test('only ${type.name.attr} and ${data.terraform_remote_state.<name>.outputs.<key>} interpolations are used', () => {
    const allowed = /^\$\{(data\.terraform_remote_state\.[a-z0-9_]+\.outputs\.[a-z0-9_]+|aws_[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+)\}$/;
    let count = 0;
    for (const a of artifacts) {
      const text = readFileSync(a.file, 'utf8');
      for (const m of text.matchAll(/\$\{[^}]*\}/g)) {
        count++;
        expect(m[0]).toMatch(allowed);
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  test('synthesizes byte-identical files for identical inputs', () => {
    const again = synth({ releases: { pilot: V2, 'model-rules': V2, ou: V1, enterprise: V1 } });
    for (const name of STACK_NAMES) {
      expect(readFileSync(path.join(again.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')).toBe(
        readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
      );
    }
  });
});

describe('synthStacks inputs', () => {
  test('exceptions are applied as of the date: expired ones produce no policy', () => {
    const before = synth({ asOf: new Date('2025-06-30T12:00:00Z') }).by.enterprise!.resource!;
    expect(Object.keys(before.aws_organizations_policy!).sort()).toEqual(['baseline', 'exception_exc_2025_009', 'exception_exc_2026_001']);
    expect(before.aws_organizations_policy_attachment!.exception_exc_2025_009_ou_ab12_other001!.target_id).toBe(OTHER_OU);
    const after = synth({ asOf: new Date('2027-01-01T00:00:00Z') }).by.enterprise!.resource!;
    expect(Object.keys(after.aws_organizations_policy!)).toEqual(['baseline']);
    expect(Object.values(after.aws_organizations_policy_attachment!).map((a) => a.target_id)).toEqual([ROOT]);
  });

  test('a phase without a release is synthesized empty but keeps its provider and backend', () => {
    const { by } = synth({ releases: { pilot: V1 } });
    for (const s of ['model-rules', 'ou', 'enterprise']) {
      expect(by[s]).not.toHaveProperty('resource');
      expect(by[s]).not.toHaveProperty('data');
      expect(by[s]!.provider!.aws).toHaveLength(1);
      expect(by[s]!.terraform).toHaveProperty('backend');
    }
    expect(Object.keys(by.guardrails!.resource!.aws_bedrock_guardrail_version!).sort()).toEqual([
      'release_baseline_2026_11_1_eu_west_1',
      'release_baseline_2026_11_1_us_east_1',
    ]);
    const none = synth({ releases: {} }).by;
    expect(none.guardrails).not.toHaveProperty('resource');
    expect(none.pilot).not.toHaveProperty('resource');
  });

  test('adding a release adds versions and leaves the existing version resources unchanged', () => {
    const one = synth({ releases: { enterprise: V1 } }).by.guardrails!.resource!;
    const two = synth({ releases: { enterprise: V1, pilot: V2 } }).by.guardrails!.resource!;
    expect(Object.keys(two.aws_bedrock_guardrail_version!)).toHaveLength(4);
    for (const [k, v] of Object.entries(one.aws_bedrock_guardrail_version!)) expect(two.aws_bedrock_guardrail_version![k]).toEqual(v);
  });

  test('an unknown release is bad input naming the environment file', () => {
    expect(() => synth({ releases: { ou: 'nope@1' } })).toThrow(InputError);
    expect(() => synth({ releases: { ou: 'nope@1' } })).toThrow(
      '/envs/unit.yaml at releases (phase ou): release "nope@1" is not defined in environment "unit" (defined: baseline@2026.11.1, baseline@2026.11.2)',
    );
  });

  describe('Automated Reasoning', () => {
    const ar = new GuardrailDefinition({
      name: 'ar',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      automatedReasoning: { policies: ['arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/abcdefghijkl:1'] },
    }).addWordFilter('x');
    const env = testEnv();
    const withAr = { ...env, releases: [...env.releases, release('reasoning@1', ar)] };
    test('a release with AR is refused for organization-level enforcement', () => {
      expect(() => synth({ env: withAr, releases: { enterprise: 'reasoning@1' } })).toThrow(AutomatedReasoningRefused);
      expect(() => synth({ env: withAr, releases: { enterprise: 'reasoning@1' } })).toThrow(
        'release "reasoning@1" carries an Automated Reasoning policy and is refused for organization-level enforcement in us-east-1, eu-west-1',
      );
    });
    test('and for account-level enforcement in the pilot', () => {
      expect(() => synth({ env: withAr, releases: { pilot: 'reasoning@1' } })).toThrow(
        'release "reasoning@1" carries an Automated Reasoning policy and is refused for account-level enforcement in us-east-1, eu-west-1',
      );
    });
  });

  test('a release whose KMS key lives in another region is refused for that region', () => {
    const env = testEnv();
    const withKms = { ...env, releases: [...env.releases, release('kms@1', fullDefinition('org-baseline', '', KMS_US_EAST_1))] };
    expect(() => synth({ env: withKms, releases: { ou: 'kms@1' } })).toThrow(
      'Guardrail "guardrails/guardrail-eu-west-1": props.definition kmsKeyArn is a key in us-east-1, but this guardrail is deployed to eu-west-1',
    );
    const oneRegion = { ...withKms, regions: ['us-east-1'] };
    const g = synth({ env: oneRegion, releases: { ou: 'kms@1' } }).by.guardrails!.resource!.aws_bedrock_guardrail!.guardrail_us_east_1!;
    expect(g.kms_key_arn).toBe(KMS_US_EAST_1);
  });

  test('synthStack writes one stack', () => {
    const outdir = tmpOut();
    const a = synthStack({ env: testEnv(), releases: ALL_V2, asOf: ASOF, outdir }, 'ou');
    expect(a.name).toBe('ou');
    expect(existsSync(path.join(outdir, 'stacks', 'ou', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(path.join(outdir, 'stacks', 'guardrails'))).toBe(false);
  });
});

describe('per-phase enforcement settings (a change rolled out phase by phase)', () => {
  const NEW = 'amazon.titan-image-generator-v2:0';
  const U1 = testEnv().enforcement;
  const U2 = { ...U1, models: { ...U1.models, excluded: [...U1.models.excluded, NEW] } };
  const cfg = (json: Record<string, unknown>, key = 'baseline') =>
    JSON.parse(tf(json).resource!.aws_organizations_policy![key]!.content as string).bedrock.guardrail_inference['us-east-1'].config_1;
  const CTL = '@@operators_allowed_for_child_policies';
  const stacksWith = (enforcement?: Partial<Record<Phase, typeof U1>>) =>
    Object.fromEntries(
      synthStacks({ env: testEnv(), releases: ALL_V2, asOf: ASOF, outdir: tmpOut(), ...(enforcement ? { enforcement } : {}) }).map((a) => [
        a.name,
        readFileSync(a.file, 'utf8'),
      ]),
    );

  test('absent, or every phase holding env.enforcement: byte-identical output', () => {
    const plain = stacksWith();
    expect(stacksWith({ pilot: U1, 'model-rules': U1, ou: U1, enterprise: U1 })).toEqual(plain);
    expect(stacksWith({ ou: U1 })).toEqual(plain);
  });

  test('the enterprise stack, with model-rules holding another excluded list, opens excluded_models (and only it) and keeps its own list', () => {
    const { by: b } = synthWith({ 'model-rules': U2, ou: U1, enterprise: U1 });
    const root = cfg(b.enterprise!);
    // @@assign for the list in flight, beside the @@append the active exception EXC-2026-001 needs.
    expect(root.model_enforcement.excluded_models).toEqual({ '@@assign': U1.models.excluded, [CTL]: ['@@assign', '@@append'] });
    expect(root.model_enforcement.included_models[CTL]).toEqual(['@@none']);
    expect(root.selective_content_guarding.system[CTL]).toEqual(['@@none']);
    expect(root.selective_content_guarding.messages[CTL]).toEqual(['@@none']);
    expect(root.identifier[CTL]).toEqual(['@@assign']);
    // The OU between opens it too; the pilot account's policy carries the new list, locked below it.
    expect(cfg(b.ou!).model_enforcement.excluded_models).toEqual({ '@@assign': U1.models.excluded, [CTL]: ['@@assign', '@@append'] });
    expect(cfg(b['model-rules']!).model_enforcement.excluded_models).toEqual({ '@@assign': U2.models.excluded, [CTL]: ['@@append'] });
    // Without the in-flight change the same stacks carry the exception's @@append only.
    expect(cfg(synthWith({}).by.enterprise!).model_enforcement.excluded_models[CTL]).toEqual(['@@append']);
    // The exception policy is unchanged.
    expect(cfg(b.enterprise!, 'exception_exc_2026_001')).toEqual({
      model_enforcement: { excluded_models: { '@@append': ['cohere.embed-english-v3'] } },
    });
  });

  test('a phase without a release opens nothing; the pilot stack enforces its own unit', () => {
    const { by: b } = synthWith({ pilot: U2, 'model-rules': U2 }, { pilot: V2, enterprise: V2 });
    expect(cfg(b.enterprise!).model_enforcement.excluded_models[CTL]).toEqual(['@@append']);
    expect(b.pilot!.resource!.aws_bedrock_enforced_guardrail_configuration!.account_us_east_1!.model_enforcement).toEqual([
      { included_models: ['ALL'], excluded_models: U2.models.excluded },
    ]);
  });

  test('an unknown phase in enforcement is bad input', () => {
    expect(() => synthWith({ everything: U2 } as never)).toThrow(/enforcement\.everything: expected a phase/);
  });

  function synthWith(enforcement: Partial<Record<Phase, typeof U1>>, releases = ALL_V2) {
    const artifacts = synthStacks({ env: testEnv(), releases, asOf: ASOF, outdir: tmpOut(), enforcement });
    return { by: Object.fromEntries(artifacts.map((a) => [a.name, tf(a.json)])) };
  }
});
