/**
 * The `team-<id>` stack on its synthesized JSON: the team guardrail, a version and the account-level
 * configuration per region of the addition, all through providers acting in the team account —
 * and nothing at the organization level, so an addition cannot weaken the baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../model/index.js';
import type { Environment, TeamAddition } from '../../model/types.js';
import { synthTeamStack } from '../../stacks/synth.js';
import { GuardrailDefinition } from '../../guardrail/index.js';
import { SANDBOX_FILE } from '../helpers/environment.js';

let env: Environment;
let addition: TeamAddition;
let out: string;
const ACTIVE = new Date('2026-12-01T00:00:00Z');
beforeAll(async () => {
  env = await loadEnvironment(SANDBOX_FILE);
  addition = env.teamAdditions![0]!;
});
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'team-stack-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

const synth = (over: Partial<Parameters<typeof synthTeamStack>[0]> = {}) =>
  synthTeamStack({ env, addition, asOf: ACTIVE, outdir: out, target: 'aws', ...over });

type Json = Record<string, Record<string, Record<string, unknown>>>;

test('per region: guardrail, version and enforced configuration; outputs per region', () => {
  const st = synth();
  expect(st.name).toBe('team-support-bot-strict');
  const res = st.json.resource as Json;
  expect(Object.keys(res).sort()).toEqual([
    'aws_bedrock_enforced_guardrail_configuration',
    'aws_bedrock_guardrail',
    'aws_bedrock_guardrail_version',
  ]);
  expect(Object.keys(res.aws_bedrock_guardrail!).sort()).toEqual(['guardrail_eu_west_1', 'guardrail_us_east_1']);
  const v = `version_${addition.contentHash.slice(0, 16)}_us_east_1`;
  expect(res.aws_bedrock_guardrail_version![v]).toMatchObject({
    description: `release team-support-bot-strict sha256:${addition.contentHash.slice(0, 16)}`,
    skip_destroy: true,
  });
  expect(res.aws_bedrock_enforced_guardrail_configuration!.account_us_east_1).toMatchObject({
    guardrail_identifier: '${aws_bedrock_guardrail.guardrail_us_east_1.guardrail_arn}',
    guardrail_version: `\${aws_bedrock_guardrail_version.${v}.version}`,
    provider: 'aws.us_east_1',
    selective_content_guarding: [{ system: 'COMPREHENSIVE', messages: 'SELECTIVE' }],
  });
  expect(res.aws_bedrock_guardrail!.guardrail_us_east_1).toMatchObject({
    tags: { 'managed-by': 'guardrail-rollout', 'guardrail-rollout:team-addition': 'support-bot-strict' },
  });
  expect(Object.keys(st.json.output as object).sort()).toEqual(
    ['eu_west_1', 'us_east_1'].flatMap((r) => ['arn', 'config_id', 'id', 'version'].map((a) => `team_${r}_${a}`)).sort(),
  );
});

test('nothing at the organization level: no Organizations resource, data source or management-account provider', () => {
  const text = JSON.stringify(synth().json);
  expect(text).not.toMatch(/aws_organizations_/);
  expect(text).not.toMatch(/BEDROCK_POLICY/);
  expect(synth().json.data).toBeUndefined();
  const providers = (synth().json.provider as { aws: { assume_role: { role_arn: string }[] }[] }).aws;
  // Each provider ends in the team account (the management role first only as the hop of the chain).
  for (const p of providers) expect(p.assume_role.at(-1)!.role_arn).toBe('arn:aws:iam::555555555551:role/OrganizationAccountAccessRole');
});

test('only the addition’s regions get providers and resources', () => {
  const st = synth({ addition: { ...addition, regions: ['eu-west-1'] } });
  expect((st.json.provider as { aws: { region: string }[] }).aws.map((p) => p.region)).toEqual(['eu-west-1']);
  expect(Object.keys((st.json.resource as Json).aws_bedrock_guardrail!)).toEqual(['guardrail_eu_west_1']);
});

test('expired (through the end of its day, UTC) or removed: providers and backend only', () => {
  expect(synth({ asOf: new Date('2027-03-31T23:59:59Z') }).json.resource).toBeDefined();
  for (const st of [synth({ asOf: new Date('2027-04-01T00:00:00Z') }), synth({ mode: 'remove' })]) {
    expect(st.json.resource).toBeUndefined();
    expect((st.json.provider as { aws: unknown[] }).aws).toHaveLength(2);
    expect(st.json.terraform).toMatchObject({ backend: { local: expect.anything() } });
  }
});

test('deterministic: the same input gives the same JSON', () => {
  const a = JSON.stringify(synth().json);
  const b = JSON.stringify(synth().json);
  expect(a).toBe(b);
});

test('a definition with Automated Reasoning is refused for account-level enforcement', () => {
  const spec = addition.definition.toSpec();
  const ar = GuardrailDefinition.fromPlain({
    ...spec,
    automatedReasoning: { policies: ['arn:aws:bedrock:us-east-1:555555555551:automated-reasoning-policy/abcdefghijkl:1'] },
  });
  expect(() => synth({ addition: { ...addition, definition: ar } })).toThrow(
    /Automated Reasoning policy and is refused for account-level enforcement/,
  );
});
