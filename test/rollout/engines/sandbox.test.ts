/**
 * The sandbox engine: reading cdk.tf.json (pure), and plan/apply against a real sandbox —
 * create, no-op re-plan, update, replace, delete, stale plans, and a crash mid-apply that
 * re-converges without doubling anything.
 */
import { join } from 'node:path';
import { ToolingError, UsageError } from '../../../core/errors.js';
import { SandboxEngine } from '../../../rollout/engines/sandbox/engine.js';
import { guardrailApiInput } from '../../../guardrail/wire.js';
import { parseStack, referencesIn, resolveValue, templateParts, topoSort, UNKNOWN } from '../../../rollout/engines/tfjson.js';
import { runPreflight } from '../../../rollout/gates/index.js';
import type { StackArtifact } from '../../../stacks/artifact.js';
import { startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';
import { changeLabel } from '../../../rollout/state/change-action.js';
import { planSummaryLine } from '../../../rollout/ui/plan-summary.js';
import { reportMarkdown } from '../../helpers/plan-report.js';

const artifact = (name: StackArtifact['name'], json: Record<string, unknown>): StackArtifact => ({
  name,
  dir: '/nonexistent',
  file: '/nonexistent/cdk.tf.json',
  json,
});

describe('cdk.tf.json reading (pure)', () => {
  it('splits templates, honours $${ escapes and resolves whole and embedded references', () => {
    expect(templateParts('a $${literal} ${x.y.z} b')).toEqual([{ lit: 'a ${literal} ' }, { expr: 'x.y.z' }, { lit: ' b' }]);
    const lookup = (r: { kind: string; expr: string }) =>
      r.expr === 'aws_x.a.version' ? '3' : r.expr === 'aws_x.a.list' ? ['p', 'q'] : UNKNOWN;
    expect(resolveValue('${aws_x.a.version}', lookup as never)).toBe('3');
    expect(resolveValue('${aws_x.a.list}', lookup as never)).toEqual(['p', 'q']);
    expect(resolveValue({ id: 'arn:g:${aws_x.a.version}' }, lookup as never)).toEqual({ id: 'arn:g:3' });
    expect(resolveValue('pre-${aws_x.b.id}', lookup as never)).toBe(UNKNOWN);
  });

  it('finds resource and remote-state references, refuses expressions it cannot evaluate', () => {
    const refs = referencesIn({
      content: '{"id":"${data.terraform_remote_state.guardrails.outputs.k1}"}',
      arn: '${aws_bedrock_guardrail.g.guardrail_arn}',
    });
    expect(refs.map((r) => r.kind)).toEqual(['remote', 'resource']);
    expect(() => referencesIn('${jsonencode(local.x)}')).toThrow(ToolingError);
  });

  it('orders by dependencies and names a cycle', () => {
    const deps: Record<string, string[]> = { c: ['b'], b: ['a'], a: [] };
    expect(topoSort<string>(['c', 'a', 'b'], (n) => deps[n]!)).toEqual(['a', 'b', 'c']);
    expect(() => topoSort(['x', 'y'], (n) => (n === 'x' ? ['y'] : ['x']))).toThrow(/cycle between: x, y/);
  });

  it('refuses a resource type the modules do not emit, naming it', () => {
    const json = { resource: { aws_s3_bucket: { b: { bucket: 'x' } } } };
    expect(() => parseStack(json, new Set(['aws_bedrock_guardrail']))).toThrow(/does not support resource type "aws_s3_bucket"/);
  });

  it('maps terraform guardrail blocks to the CreateGuardrail input', () => {
    const input = guardrailApiInput({
      name: 'g',
      blocked_input_messaging: 'no',
      blocked_outputs_messaging: 'no',
      kms_key_arn: 'arn:aws:kms:us-east-1:1:key/k',
      content_policy_config: [
        {
          filters_config: [{ type: 'VIOLENCE', input_strength: 'HIGH', output_strength: 'HIGH' }],
          tier_config: [{ tier_name: 'CLASSIC' }],
        },
      ],
      word_policy_config: [{ words_config: [{ text: 'x' }], managed_word_lists_config: [{ type: 'PROFANITY' }] }],
      tags: { team: 'sec' },
      region: 'us-east-1',
    });
    expect(input).toEqual({
      name: 'g',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k',
      contentPolicyConfig: {
        filtersConfig: [{ type: 'VIOLENCE', inputStrength: 'HIGH', outputStrength: 'HIGH' }],
        tierConfig: { tierName: 'CLASSIC' },
      },
      wordPolicyConfig: { wordsConfig: [{ text: 'x' }], managedWordListsConfig: [{ type: 'PROFANITY' }] },
      tags: [{ key: 'team', value: 'sec' }],
    });
  });
});

describe('sandbox engine against the sandbox', () => {
  let fx: Fixture;
  const R1 = 'baseline@2026.11.1';
  const R2 = 'baseline@2026.11.2';
  const count = () => ({
    guardrails: fx.sandbox.state.guardrails.length,
    versions: fx.sandbox.state.guardrails.reduce((n, g) => n + g.versions.length, 0),
    policies: fx.sandbox.state.policies.filter((p) => p.type === 'BEDROCK_POLICY').length,
    attachments: fx.sandbox.state.attachments.length,
    rbps: fx.sandbox.state.resourcePolicies.length,
    enforced: fx.sandbox.state.enforced.length,
  });
  beforeEach(async () => {
    fx = await startFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it("creates, re-plans to no-op, updates a guardrail and publishes a new version, and keeps each version's content", async () => {
    const g1 = fx.synth({ pilot: R1 }).get('guardrails')!;
    const p1 = await fx.engine.plan(g1);
    expect(p1.changes.map((c) => c.action)).toEqual(Array(6).fill('create'));
    // The guardrail comes before the version and the resource policy that reference it.
    const order = p1.changes.filter((c) => c.region === 'us-east-1').map((c) => c.type);
    expect(order.indexOf('aws_bedrock_guardrail')).toBeLessThan(order.indexOf('aws_bedrock_guardrail_version'));
    await fx.engine.apply(g1, p1);
    expect(count()).toMatchObject({ guardrails: 2, versions: 2, rbps: 2 });
    const again = await fx.engine.plan(g1);
    expect(again.changes.every((c) => c.action === 'no-op')).toBe(true);
    expect(again.planHash).not.toBe(p1.planHash);

    const g2 = fx.synth({ pilot: R2, 'model-rules': R1 }).get('guardrails')!;
    const p2 = await fx.engine.plan(g2);
    const by = (a: string) =>
      p2.changes
        .filter((c) => c.action === a)
        .map((c) => c.type)
        .sort();
    expect(by('update')).toEqual(['aws_bedrock_guardrail', 'aws_bedrock_guardrail']);
    expect(by('create')).toEqual(['aws_bedrock_guardrail_version', 'aws_bedrock_guardrail_version']);
    const out = await fx.engine.apply(g2, p2);
    expect(count()).toMatchObject({ guardrails: 2, versions: 4 });
    // Each release's version holds that release's content (the preflight content check agrees).
    for (const rel of [R1, R2]) {
      const published = fx.published(out.outputs, rel, fx.env.managementAccountId);
      const pre = await runPreflight(fx.context('model-rules', rel, { 'model-rules': rel }, published));
      expect(pre.checks.filter((c) => c.id.startsWith('preflight:content')).map((c) => c.status)).toEqual(['passed', 'passed']);
    }
    expect(await fx.engine.outputs('guardrails')).toEqual(out.outputs);
  });

  it('replaces an immutable version (skip_destroy: the old one is kept in AWS) and deletes what leaves the stack, detaching before deleting', async () => {
    const releases = { pilot: R2, 'model-rules': R2 };
    const stacks = fx.synth(releases);
    await fx.apply(stacks.get('guardrails')!);
    await fx.apply(stacks.get('model-rules')!);
    expect(count()).toMatchObject({ versions: 2, policies: 1, attachments: 1 });

    const g = stacks.get('guardrails')!;
    const json = JSON.parse(JSON.stringify(g.json)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const [vname] = Object.keys(json.resource.aws_bedrock_guardrail_version!).filter((n) => n.endsWith('us_east_1'));
    json.resource.aws_bedrock_guardrail_version![vname!]!.description = 'republished';
    const changed = artifact('guardrails', json);
    const plan = await fx.engine.plan(changed);
    const replace = plan.changes.find((c) => c.action !== 'no-op')!;
    expect(replace).toMatchObject({
      type: 'aws_bedrock_guardrail_version',
      address: `aws_bedrock_guardrail_version.${vname}`,
      action: 'replace-forget',
    });
    expect(changeLabel(replace)).toBe('replace (old kept in AWS)');
    expect((replace as { reason?: string }).reason).toMatch(/description/);
    await fx.engine.apply(changed, plan);
    expect(count().versions).toBe(3); // a new version; the old one still exists (skip_destroy)

    const empty = fx.synth({ pilot: R2 }).get('model-rules')!;
    const del = await fx.engine.plan(empty);
    expect(del.changes.map((c) => `${c.action} ${c.type}`)).toEqual([
      'delete aws_organizations_policy_attachment',
      'delete aws_organizations_policy',
    ]);
    await fx.engine.apply(empty, del);
    expect(count()).toMatchObject({ policies: 0, attachments: 0 });
    expect(await fx.engine.outputs('model-rules')).toEqual({});
  });

  it('a skip_destroy version leaving the stack is planned and applied as forget (kept in AWS): the version stays published', async () => {
    await fx.apply(fx.synth({ pilot: R2, 'model-rules': R1 }).get('guardrails')!);
    expect(count().versions).toBe(4);
    const g = fx.synth({ pilot: R2 }).get('guardrails')!;
    const plan = await fx.engine.plan(g);
    const changed = plan.changes.filter((c) => c.action !== 'no-op');
    expect(changed.map((c) => [c.type, changeLabel(c)])).toEqual([
      ['aws_bedrock_guardrail_version', 'forget (kept in AWS)'],
      ['aws_bedrock_guardrail_version', 'forget (kept in AWS)'],
    ]);
    expect(planSummaryLine(plan)).toBe(`guardrails: 2 change(s) (2 forget (kept in AWS)), plan ${plan.planHash.slice(0, 12)}`);
    const md = await reportMarkdown([plan]);
    expect(md).toContain('**guardrails** — 0 to create, 0 to update, 0 to replace, 0 to destroy, 2 to forget (kept in AWS)');
    for (const c of changed) expect(md).toContain(`| forget (kept in AWS) | \`${c.address}\` |`);
    await fx.engine.apply(g, plan);
    expect(count().versions).toBe(4); // nothing deleted in AWS
    const state = await fx.engine.readState();
    for (const c of changed) expect(state.stacks.guardrails?.resources[c.address]).toBeUndefined();
    expect((await fx.engine.plan(g)).changes.every((c) => c.action === 'no-op')).toBe(true);
  });

  it('refuses a stale plan and changes nothing', async () => {
    const g = fx.synth({ pilot: R1 }).get('guardrails')!;
    const plan = await fx.engine.plan(g);
    await fx.engine.apply(g, plan);
    const before = count();
    await expect(fx.engine.apply(g, plan)).rejects.toThrow(UsageError);
    await expect(fx.engine.apply(g, plan)).rejects.toThrow(/stale/);
    expect(count()).toEqual(before);
  });

  it.each([
    ['guardrails stack, killed after publishing a version', 'guardrails', 'aws_bedrock_guardrail_version'],
    ['model-rules stack, killed after creating the policy', 'model-rules', 'aws_organizations_policy'],
    ['model-rules stack, killed after attaching', 'model-rules', 'aws_organizations_policy_attachment'],
    ['pilot stack, killed after the enforced configuration', 'pilot', 'aws_bedrock_enforced_guardrail_configuration'],
  ] as const)('crash mid-apply (%s) → re-plan and apply converge without doubling', async (_label, stackName, crashType) => {
    const releases = { pilot: R2, 'model-rules': R2 };
    const stacks = fx.synth(releases);
    if (stackName !== 'guardrails') await fx.apply(stacks.get('guardrails')!);
    const stack = stacks.get(stackName)!;
    let crashed = false;
    const dying = new SandboxEngine({
      env: fx.env,
      access: fx.access,
      statePath: join(fx.dir, 'sandbox-engine.json'),
      hooks: {
        afterCall: (address) => {
          if (!crashed && address.startsWith(`${crashType}.`)) {
            crashed = true;
            throw new Error('killed');
          }
        },
      },
    });
    await expect(dying.apply(stack, await dying.plan(stack))).rejects.toThrow('killed');
    expect(crashed).toBe(true);
    const replan = await fx.engine.plan(stack);
    expect(replan.changes.some((c) => c.type === crashType && c.action === 'create')).toBe(true);
    await fx.engine.apply(stack, replan);
    expect((await fx.engine.plan(stack)).changes.every((c) => c.action === 'no-op')).toBe(true);

    // A clean deployment in a second sandbox is the reference: same counts, nothing doubled.
    const ref = await startFixture();
    try {
      const refStacks = ref.synth(releases);
      if (stackName !== 'guardrails') await ref.apply(refStacks.get('guardrails')!);
      await ref.apply(refStacks.get(stackName)!);
      const c = count();
      expect({
        guardrails: c.guardrails,
        versions: c.versions,
        policies: c.policies,
        attachments: c.attachments,
        enforced: c.enforced,
      }).toEqual({
        guardrails: ref.sandbox.state.guardrails.length,
        versions: ref.sandbox.state.guardrails.reduce((n, g) => n + g.versions.length, 0),
        policies: ref.sandbox.state.policies.filter((p) => p.type === 'BEDROCK_POLICY').length,
        attachments: ref.sandbox.state.attachments.length,
        enforced: ref.sandbox.state.enforced.length,
      });
    } finally {
      await ref.close();
    }
  });
});
