/**
 * What exists in the organization (I/O only): every BEDROCK_POLICY with its content and targets
 * (ListPolicies filter BEDROCK_POLICY, DescribePolicy, ListTargetsForPolicy), and the
 * account-level enforced configurations (ListEnforcedGuardrailsConfiguration) of the management
 * account and every account of the environment's organization, in every Region of the
 * environment. An account that cannot be read is listed as such, not fatal: the rest is still
 * worth showing.
 */
import pLimit from 'p-limit';
import type { Environment } from '../../../model/types.js';
import type { AwsAccess } from '../../aws/clients.js';
import { describeError } from '../../aws/clients.js';
import {
  type RecordedAccountConfig,
  type RecordedPolicy,
  readAccountConfigs,
  readBedrockPolicies,
} from '../../gates/preflight/recorded.js';

export interface Inventory {
  policies: RecordedPolicy[];
  accountConfigs: RecordedAccountConfig[];
  /** Account/Region pairs whose configurations could not be read (e.g. the role cannot be assumed). */
  unreadable: { account: string; region: string; error: string }[];
}

export async function readInventory(access: AwsAccess, env: Environment, concurrency = 16): Promise<Inventory> {
  const accounts = [...new Set([env.managementAccountId, ...env.organization.accounts.map((a) => a.id)])];
  const limit = pLimit(Math.max(1, concurrency));
  const unreadable: Inventory['unreadable'] = [];
  const [policies, configs] = await Promise.all([
    readBedrockPolicies(access.forAccount(env.managementAccountId).organizations, concurrency),
    Promise.all(
      accounts.flatMap((account) =>
        env.regions.map((region) =>
          limit(async () => {
            try {
              return await readAccountConfigs(access.forAccount(account, region).bedrock, account, region);
            } catch (err) {
              unreadable.push({ account, region, error: describeError(err) });
              return [];
            }
          }),
        ),
      ),
    ),
  ]);
  return { policies, accountConfigs: configs.flat(), unreadable };
}
