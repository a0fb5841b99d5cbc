import type { Environment, EnforcementException, PhaseSettings } from '../../model/types.js';

export const MGMT = '111111111111';
export const PILOT_ACCOUNT = '222222222222';
export const PILOT_OU = 'ou-ab12-11111111';
export const OTHER_OU = 'ou-ab12-22222222';
export const ROOT = 'r-ab12';

const phase: PhaseSettings = { bakeSeconds: 0, approval: false, sample: { perOu: 1, floor: 1 }, smoke: [] };

export function arn(region: string, id = 'abc123def456', account = MGMT) {
  return `arn:aws:bedrock:${region}:${account}:guardrail/${id}`;
}

/** A small organization: root → pilot OU (pilot account, 333…) and other OU (444…), 555… under the root. */
export function testEnv(over: Partial<Environment> = {}): Environment {
  return {
    name: 'test',
    sourceFile: '/tmp/test/environment.yaml',
    managementAccountId: MGMT,
    organizationId: 'o-abcdefghij',
    regions: ['us-east-1', 'eu-west-1'],
    homeRegion: 'us-east-1',
    organization: {
      root: { id: ROOT, name: 'Root' },
      ous: [
        { id: PILOT_OU, name: 'Pilot', parent: ROOT },
        { id: OTHER_OU, name: 'Workloads', parent: ROOT },
      ],
      accounts: [
        { id: PILOT_ACCOUNT, name: 'pilot', parent: PILOT_OU },
        { id: '333333333333', name: 'pilot-two', parent: PILOT_OU },
        { id: '444444444444', name: 'workload', parent: OTHER_OU },
        { id: '555555555555', name: 'shared', parent: ROOT },
      ],
    },
    pilot: { account: PILOT_ACCOUNT, ou: PILOT_OU },
    releases: [
      { name: 'baseline@1.0.0', definitionPath: '/tmp/a.ts', definition: {} as never, contentHash: 'a' },
      { name: 'baseline@1.1.0', definitionPath: '/tmp/b.ts', definition: {} as never, contentHash: 'b' },
    ],
    currentRelease: 'baseline@1.1.0',
    enforcement: {
      system: 'comprehensive',
      messages: 'comprehensive',
      models: { included: ['ALL'], excluded: ['amazon.titan-embed-text-v2:0'] },
    },
    exceptions: [],
    phases: { pilot: phase, 'model-rules': phase, ou: phase, enterprise: phase },
    deployment: {
      roleName: 'OrganizationAccountAccessRole',
      backend: { type: 'local' },
      terraformBinary: 'terraform',
      awsProviderVersion: '>= 6.70.0',
    },
    ...over,
  };
}

export function exception(over: Partial<EnforcementException> & Pick<EnforcementException, 'id' | 'target'>): EnforcementException {
  return { changes: {}, owner: 'team-a', reason: 'needed', approver: 'ciso', expires: '2026-06-30', ...over };
}

export function ids(version: number | Record<string, number>, env = testEnv()): Record<string, string> {
  return Object.fromEntries(env.regions.map((r) => [r, `${arn(r)}:${typeof version === 'number' ? version : version[r]}`]));
}

/** Wraps a config in the BEDROCK_POLICY skeleton for one region. */
export function bedrock(config: Record<string, unknown>, region = 'us-east-1') {
  return { bedrock: { guardrail_inference: { [region]: { config_1: config } } } };
}
