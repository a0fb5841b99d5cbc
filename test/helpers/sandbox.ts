/** A small organization for the sandbox tests (independent of environments/sandbox). */
import type { SandboxEnv } from '../../sandbox/index.js';
import { clientConfig, startSandbox, type SandboxHandle, type StartSandboxOptions } from '../../sandbox/index.js';

export const MGMT = '111111111111';
export const PILOT = '222222222222';
export const PROD = '333333333333';
export const NESTED = '444444444444';
export const ROOT = 'r-ab12';
export const OU_WORK = 'ou-ab12-workload';
export const OU_PROD = 'ou-ab12-prodprod';
export const OU_DEEP = 'ou-ab12-deepdeep';
export const ORG = 'o-exampleorg1';
export const REGION = 'us-east-1';

export function testEnv(overrides: Partial<SandboxEnv> = {}): SandboxEnv {
  return {
    name: 'test',
    managementAccountId: MGMT,
    organizationId: ORG,
    regions: [REGION, 'eu-west-1'],
    homeRegion: REGION,
    organization: {
      root: { id: ROOT, name: 'Root' },
      ous: [
        { id: OU_WORK, name: 'Workloads', parent: ROOT },
        { id: OU_PROD, name: 'Prod', parent: OU_WORK },
        { id: OU_DEEP, name: 'Deep', parent: OU_PROD },
      ],
      accounts: [
        { id: MGMT, name: 'management', parent: ROOT },
        { id: PILOT, name: 'pilot', parent: OU_WORK },
        { id: PROD, name: 'prod', parent: OU_PROD },
        { id: NESTED, name: 'nested', parent: OU_DEEP },
      ],
    },
    deployment: { roleName: 'GuardrailRolloutRole', managementRoleName: 'GuardrailAdminRole' },
    ...overrides,
  };
}

export async function start(opts: Partial<StartSandboxOptions> = {}): Promise<SandboxHandle> {
  return startSandbox({
    env: testEnv(),
    onInternalError: (e) => {
      throw e;
    },
    ...opts,
  });
}

/** Client config with retries off, so error tests are fast and exact. */
export function cfg(sb: SandboxHandle, account: string, region?: string) {
  return clientConfig(sb, account, region, { maxAttempts: 1 });
}
