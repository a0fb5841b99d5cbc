/**
 * The sandbox engine refreshes before it diffs: objects deleted out of band (through the SDK,
 * as an operator would) are planned as creates and re-created by apply; a plan never writes the
 * engine state; a failed read (throttling) is a ToolingError, never "gone".
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteEnforcedGuardrailConfigurationCommand, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import { DetachPolicyCommand } from '@aws-sdk/client-organizations';
import { ToolingError } from '../../../core/errors.js';
import { R2, startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';

const slug = (region: string) => region.replace(/-/g, '_');

describe('sandbox engine refresh', () => {
  let fx: Fixture;
  const statePath = () => join(fx.dir, 'sandbox-engine.json');
  beforeEach(async () => {
    fx = await startFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  /** What an operator does: DeleteEnforcedGuardrailConfiguration on the pilot account's configuration in `region`. */
  async function deleteEnforced(region: string): Promise<void> {
    const bedrock = fx.access.forAccount(fx.env.pilot.account, region).bedrock;
    const listed = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    const configId = listed.guardrailsConfig?.[0]?.configId;
    expect(configId).toBeDefined();
    await bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId }));
  }

  it('an enforced configuration deleted out of band is planned as a create, re-created by apply, then no-op', async () => {
    const stacks = fx.synth({ pilot: R2 });
    await fx.apply(stacks.get('guardrails')!);
    const pilot = stacks.get('pilot')!;
    await fx.apply(pilot);
    const [region, other] = fx.env.regions;
    await deleteEnforced(region!);
    expect(fx.sandbox.state.enforced.filter((e) => e.region === region)).toHaveLength(0);

    const recorded = await readFile(statePath(), 'utf8');
    const plan = await fx.engine.plan(pilot);
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.action, c.address, c.reason])).toEqual([
      [
        'create',
        `aws_bedrock_enforced_guardrail_configuration.account_${slug(region!)}`,
        'not found in AWS (deleted outside rollout): re-created',
      ],
    ]);
    // The other region's configuration still exists: no change there.
    expect(plan.changes.find((c) => c.address === `aws_bedrock_enforced_guardrail_configuration.account_${slug(other!)}`)?.action).toBe(
      'no-op',
    );
    // A plan writes nothing: the state file is byte for byte what the last apply wrote.
    expect(await readFile(statePath(), 'utf8')).toBe(recorded);

    await fx.engine.apply(pilot, plan);
    expect(
      fx.sandbox.state.enforced
        .filter((e) => e.account === fx.env.pilot.account)
        .map((e) => e.region)
        .sort(),
    ).toEqual([...fx.env.regions].sort());
    expect((await fx.engine.plan(pilot)).changes.every((c) => c.action === 'no-op')).toBe(true);
  });

  it('an organizations policy detached out of band is planned as a re-attach', async () => {
    const stacks = fx.synth({ pilot: R2, 'model-rules': R2 });
    await fx.apply(stacks.get('guardrails')!);
    const rules = stacks.get('model-rules')!;
    await fx.apply(rules);
    const attachment = Object.entries((await fx.engine.readState()).stacks['model-rules']!.resources).find(
      ([, r]) => r.type === 'aws_organizations_policy_attachment',
    )!;
    const [address, r] = attachment;
    await fx.access
      .forAccount(fx.env.managementAccountId)
      .organizations.send(new DetachPolicyCommand({ PolicyId: String(r.attrs.policy_id), TargetId: String(r.attrs.target_id) }));

    const plan = await fx.engine.plan(rules);
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.action, c.address])).toEqual([['create', address]]);
    await fx.engine.apply(rules, plan);
    expect(fx.sandbox.state.attachments.some((a) => a.policyId === r.attrs.policy_id && a.targetId === r.attrs.target_id)).toBe(true);
    expect((await fx.engine.plan(rules)).changes.every((c) => c.action === 'no-op')).toBe(true);
  });

  it('a plan made before an out-of-band deletion is stale at apply: nothing is changed', async () => {
    const stacks = fx.synth({ pilot: R2 });
    await fx.apply(stacks.get('guardrails')!);
    const pilot = stacks.get('pilot')!;
    await fx.apply(pilot);
    const before = await fx.engine.plan(pilot);
    await deleteEnforced(fx.env.regions[0]!);
    await expect(fx.engine.apply(pilot, before)).rejects.toThrow(/is stale/);
    expect(fx.sandbox.state.enforced.filter((e) => e.account === fx.env.pilot.account)).toHaveLength(fx.env.regions.length - 1);
  });

  it('a read that is throttled to the last attempt fails the plan (ToolingError), it is never taken for a deletion', async () => {
    const stacks = fx.synth({ pilot: R2 });
    await fx.apply(stacks.get('guardrails')!);
    const pilot = stacks.get('pilot')!;
    await fx.apply(pilot);
    const recorded = await readFile(statePath(), 'utf8');
    fx.sandbox.setFaults({ ListEnforcedGuardrailsConfiguration: { throttleRate: 1 } });
    const err = await fx.engine.plan(pilot).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolingError);
    expect((err as Error).message).toMatch(
      /^refresh aws_bedrock_enforced_guardrail_configuration\.account_\w+ failed: ThrottlingException/,
    );
    expect(await readFile(statePath(), 'utf8')).toBe(recorded);
    fx.sandbox.setFaults({});
    expect((await fx.engine.plan(pilot)).changes.every((c) => c.action === 'no-op')).toBe(true);
  });
});
