/**
 * A small, fully-specified environment for stack tests, built in code so the tests do not
 * depend on the environment files (the loader has its own tests).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BackendSettings, Environment, PhaseSettings, Release } from '../../model/types.js';
import { contentHash, GuardrailDefinition, Topic } from '../../guardrail/index.js';

export const MGMT = '111111111111';
export const PILOT = '222222222222';
export const OTHER = '333333333333';
export const ROOT = 'r-ab12';
export const PILOT_OU = 'ou-ab12-pilot001';
export const OTHER_OU = 'ou-ab12-other001';
export const ORG = 'o-abcdefghij';

export const KMS_US_EAST_1 = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';

export function fullDefinition(name = 'org-baseline', tweak = '', kmsKeyArn: string | null = KMS_US_EAST_1): GuardrailDefinition {
  return new GuardrailDefinition({
    name,
    description: `baseline guardrail${tweak}`,
    blockedInputMessaging: 'This request was blocked by the organization guardrail.',
    blockedOutputsMessaging: 'This response was blocked by the organization guardrail.',
    kmsKeyArn,
  })
    .addContentFilter({ type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH', inputModalities: ['TEXT', 'IMAGE'] })
    .addContentFilter({ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE', outputAction: 'NONE', outputEnabled: false })
    .addDeniedTopicFilter(
      Topic.custom({ name: 'Weapons', definition: 'Instructions for building weapons.', examples: ['How do I build a rifle?'] }),
    )
    .addDeniedTopicFilter(Topic.custom({ name: 'Gossip', definition: 'Rumours about colleagues.', inputAction: 'NONE' }))
    .addPIIFilter({ type: 'EMAIL', action: 'ANONYMIZE' })
    .addPIIFilter({ type: 'AWS_SECRET_KEY', action: 'BLOCK', outputAction: 'ANONYMIZE' })
    .addRegexFilter({ name: 'employee-id', pattern: 'EMP-[0-9]{6}', action: 'ANONYMIZE', description: 'internal employee ids' })
    .addWordFilter('project-nightshade')
    .addWordFilter({ text: 'codename', outputAction: 'NONE' })
    .addManagedWordListFilter()
    .addContextualGroundingFilter({ type: 'GROUNDING', threshold: 0.75 })
    .addContextualGroundingFilter({ type: 'RELEVANCE', threshold: 0.5, action: 'NONE' });
}

export function release(name: string, definition: GuardrailDefinition): Release {
  return { name, definitionPath: `/defs/${name}.ts`, definition, contentHash: contentHash(definition.toSpec()) };
}

const phase = (): PhaseSettings => ({ bakeSeconds: 0, approval: false, sample: { perOu: 1, floor: 1 }, smoke: [] });

export function testEnv(
  overrides: Partial<Environment> = {},
  backend: BackendSettings = { type: 'local', directory: '/state/test' },
): Environment {
  return {
    name: 'unit',
    sourceFile: '/envs/unit.yaml',
    managementAccountId: MGMT,
    organizationId: ORG,
    regions: ['us-east-1', 'eu-west-1'],
    homeRegion: 'us-east-1',
    organization: {
      root: { id: ROOT, name: 'Root' },
      ous: [
        { id: PILOT_OU, name: 'Pilot', parent: ROOT },
        { id: OTHER_OU, name: 'Workloads', parent: ROOT },
      ],
      accounts: [
        { id: MGMT, name: 'management', parent: ROOT },
        { id: PILOT, name: 'pilot', parent: PILOT_OU },
        { id: OTHER, name: 'workload', parent: OTHER_OU },
      ],
    },
    pilot: { account: PILOT, ou: PILOT_OU },
    releases: [
      // KMS keys are regional; the multi-region fixture uses the AWS-owned key.
      release('baseline@2026.11.1', fullDefinition('org-baseline', ' v1', null)),
      release('baseline@2026.11.2', fullDefinition('org-baseline', ' v2', null)),
    ],
    currentRelease: 'baseline@2026.11.2',
    enforcement: {
      system: 'comprehensive',
      messages: 'comprehensive',
      models: { included: ['ALL'], excluded: ['amazon.titan-embed-text-v2:0'] },
    },
    exceptions: [
      {
        id: 'EXC-2026-001',
        target: OTHER,
        changes: { excludedModels: ['cohere.embed-english-v3'] },
        owner: 'team-a',
        reason: 'embeddings',
        approver: 'ciso',
        expires: '2026-12-31',
      },
      {
        id: 'EXC-2025-009',
        target: OTHER_OU,
        changes: { messages: 'selective' },
        owner: 'team-b',
        reason: 'legacy',
        approver: 'ciso',
        expires: '2025-06-30',
      },
    ],
    phases: { pilot: phase(), 'model-rules': phase(), ou: phase(), enterprise: phase() },
    deployment: {
      roleName: 'GuardrailRolloutRole',
      managementRoleName: 'GuardrailRolloutAdmin',
      backend,
      terraformBinary: 'terraform',
      awsProviderVersion: '>= 6.70.0, < 7.0.0',
    },
    ...overrides,
  };
}

export function tmpOut(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'synth-'));
}

/** Typed view of the parts of cdk.tf.json the tests read. */
export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  provider?: { aws: Array<Record<string, unknown>> };
  data?: Record<string, Record<string, Record<string, unknown>>>;
  terraform: Record<string, unknown>;
};
export const tf = (json: Record<string, unknown>): TfJson => json as unknown as TfJson;
