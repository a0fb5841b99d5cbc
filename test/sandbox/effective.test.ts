/**
 * The emulator's validation of effective BEDROCK_POLICY documents (sandbox/effective.ts): the
 * identifier checks against the world, and the form checks it does itself (no policy/ code).
 */
import { validateEffective } from '../../sandbox/effective.js';
import { seedState } from '../../sandbox/seed.js';
import type { GuardrailRecord, SandboxState } from '../../sandbox/state.js';
import { MGMT, PILOT, PROD, REGION, ROOT, testEnv } from '../helpers/sandbox.js';

const GID = 'abcdefabcdef';
const ARN = `arn:aws:bedrock:${REGION}:${MGMT}:guardrail/${GID}`;
const AT = `bedrock.guardrail_inference.${REGION}.config_1`;

function world(configAtRoot: Record<string, unknown>, configAtPilot?: Record<string, unknown>): SandboxState {
  const state = seedState(testEnv());
  state.guardrails.push({ id: GID, arn: ARN, owner: MGMT, region: REGION, versions: [{ version: '1' }] } as unknown as GuardrailRecord);
  const attach = (id: string, target: string, config: Record<string, unknown>) => {
    state.policies.push({
      id,
      name: id,
      description: '',
      type: 'BEDROCK_POLICY',
      content: JSON.stringify({ bedrock: { guardrail_inference: { [REGION]: { config_1: config } } } }),
      awsManaged: false,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    state.attachments.push({ policyId: id, targetId: target, attachedAt: '2026-01-01T00:00:00.000Z' });
  };
  attach('p-00000001', ROOT, configAtRoot);
  if (configAtPilot) attach('p-00000002', PILOT, configAtPilot);
  return state;
}

const errors = (state: SandboxState, account: string) =>
  validateEffective(state, account).map((e) => [e.ErrorCode, e.PathToError, e.ContributingPolicies.length] as const);

test('a complete configuration naming an existing published version is valid', () => {
  const state = world({
    identifier: { '@@assign': `${ARN}:1` },
    selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'selective' } },
    model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': ['amazon.nova-lite-v1:0'] } },
  });
  expect(validateEffective(state, PROD)).toEqual([]);
});

test('identifier problems are reported once each, with the policies on the path', () => {
  const state = world({ identifier: { '@@assign': `${ARN}:1` } }, { identifier: { '@@assign': `${ARN}:DRAFT` } });
  expect(errors(state, PILOT)).toEqual([['INVALID_GUARDRAIL_VERSION', `${AT}.identifier`, 2]]);
  expect(errors(world({ identifier: { '@@assign': `${ARN}:7` } }), PROD)).toEqual([['GUARDRAIL_VERSION_NOT_FOUND', `${AT}.identifier`, 1]]);
  expect(errors(world({ identifier: { '@@assign': `${ARN.replace(MGMT, PILOT)}:1` } }), PROD)).toEqual([
    ['GUARDRAIL_NOT_OWNED_BY_MANAGEMENT_ACCOUNT', `${AT}.identifier`, 1],
  ]);
  expect(errors(world({ selective_content_guarding: { system: { '@@assign': 'selective' } } }), PROD)).toEqual([
    ['MISSING_IDENTIFIER', `${AT}.identifier`, 1],
  ]);
});

test('the form of the effective document: guarding modes, both model lists, model ids, ALL only in included_models', () => {
  const state = world({
    identifier: { '@@assign': `${ARN}:1` },
    selective_content_guarding: { system: { '@@assign': 'COMPREHENSIVE' } },
    model_enforcement: { excluded_models: { '@@assign': ['ALL', 'us.anthropic.claude-3-haiku-20240307-v1:0'] } },
  });
  expect(errors(state, PROD)).toEqual([
    ['INVALID_POLICY', `${AT}.selective_content_guarding.system`, 1],
    ['INVALID_POLICY', `${AT}.model_enforcement`, 1],
    ['INVALID_POLICY', `${AT}.model_enforcement.excluded_models[0]`, 1],
    ['INVALID_POLICY', `${AT}.model_enforcement.excluded_models[1]`, 1],
  ]);
  expect(validateEffective(state, PROD)[1].ErrorMessage).toMatch(/missing included_models/);
});

test('an @@assign of a whole object is checked too; policies that leave nothing are an invalid (empty) policy', () => {
  const whole = world({ identifier: { '@@assign': `${ARN}:1` }, model_enforcement: { '@@assign': { included: ['ALL'] } } });
  expect(errors(whole, PROD).map(([, path]) => path)).toEqual([
    `${AT}.model_enforcement.included`,
    `${AT}.model_enforcement`,
    `${AT}.model_enforcement`,
  ]);
  const empty = world({ model_enforcement: { excluded_models: { '@@remove': ['amazon.nova-lite-v1:0'] } } });
  expect(errors(empty, PROD)).toEqual([['INVALID_POLICY', 'bedrock', 1]]);
  // No policy on the path: no effective policy, nothing to validate.
  expect(validateEffective(seedState(testEnv()), PROD)).toEqual([]);
});
