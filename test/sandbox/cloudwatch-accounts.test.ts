/**
 * Where evaluations of enforced guardrails publish (AWS does not document it):
 * enforcedMetricsAccount 'member' (default), 'management', 'none'.
 */
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { dims, enforceFromOrganization, MGMT, rig, sum, T0 } from './metrics-setup.js';

const END = T0 + 3600_000;

async function run(mode?: 'member' | 'management' | 'none') {
  const r = await rig(mode ? { enforcedMetricsAccount: mode } : {});
  try {
    const orgArn = await enforceFromOrganization(r.sb);
    r.clock.now = T0 + 1000;
    await r.converse('hello');
    return { r, orgArn };
  } catch (err) {
    await r.close();
    throw err;
  }
}

test("default 'member': both the organization's and the account's guardrail publish in the evaluating account", async () => {
  const { r, orgArn } = await run();
  try {
    expect(await sum(r.cw(), 'Invocations', dims(orgArn), T0, END)).toBe(2);
    expect(await sum(r.cw(), 'Invocations', dims(r.arn), T0, END)).toBe(2);
    expect((await r.cw(MGMT).send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  } finally {
    await r.close();
  }
});

test("'management': organization-enforced metrics move to the management account, account-enforced stay with the owner", async () => {
  const { r, orgArn } = await run('management');
  try {
    expect(await sum(r.cw(MGMT), 'Invocations', dims(orgArn), T0, END)).toBe(2);
    expect(await sum(r.cw(), 'Invocations', dims(orgArn), T0, END)).toBeUndefined();
    expect(await sum(r.cw(), 'Invocations', dims(r.arn), T0, END)).toBe(2);
  } finally {
    await r.close();
  }
});

test("'none': enforced guardrails publish nowhere", async () => {
  const { r, orgArn } = await run('none');
  try {
    expect(await sum(r.cw(MGMT), 'Invocations', dims(orgArn), T0, END)).toBeUndefined();
    expect((await r.cw().send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  } finally {
    await r.close();
  }
});
