import path from 'node:path';
import { activeExceptions, loadEnvironment } from '../../model/index.js';
import { PHASES, type Phase } from '../../model/types.js';
import { synthStacks } from '../../stacks/synth.js';
import { tf, tmpOut } from '../helpers/stacks.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('the shipped sandbox environment synthesizes', () => {
  test("five stacks with the sandbox organization's accounts, roles and active exceptions", async () => {
    const env = await loadEnvironment(path.join(ROOT, 'environments/sandbox'));
    const asOf = new Date('2026-11-25T00:00:00Z');
    const releases = Object.fromEntries(PHASES.map((p) => [p, env.currentRelease])) as Record<Phase, string>;
    const by = Object.fromEntries(synthStacks({ env, releases, asOf, outdir: tmpOut() }).map((a) => [a.name, tf(a.json)]));
    expect(Object.keys(by)).toEqual(['guardrails', 'pilot', 'model-rules', 'ou', 'enterprise']);

    // The sandbox runs the real chain (environments/sandbox sets managementRoleName): management
    // stacks assume the management role; the pilot stack assumes the member role from it.
    expect(env.deployment.managementRoleName).toBe('GuardrailRolloutAdmin');
    const mgmtRole = `arn:aws:iam::${env.managementAccountId}:role/${env.deployment.managementRoleName}`;
    const chain = (p: Record<string, unknown>) => (p.assume_role as Array<{ role_arn: string }>).map((a) => a.role_arn);
    expect(by.guardrails!.provider!.aws.map((p) => p.region)).toEqual(env.regions);
    for (const s of ['guardrails', 'model-rules', 'ou', 'enterprise']) {
      for (const p of by[s]!.provider!.aws) expect(chain(p)).toEqual([mgmtRole]);
    }
    for (const p of by.pilot!.provider!.aws) {
      expect(chain(p)).toEqual([mgmtRole, `arn:aws:iam::${env.pilot.account}:role/${env.deployment.roleName}`]);
    }
    expect(Object.keys(by.pilot!.resource!.aws_bedrock_enforced_guardrail_configuration!)).toHaveLength(env.regions.length);

    const targets = (s: string) =>
      Object.values(by[s]!.resource!.aws_organizations_policy_attachment!)
        .map((a) => a.target_id)
        .sort();
    expect(targets('model-rules')).toEqual([env.pilot.account]);
    expect(targets('ou')).toEqual([env.pilot.ou]);
    const active = activeExceptions(env, asOf).filter((e) => e.changes.excludedModels?.length || e.changes.system || e.changes.messages);
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(env.exceptions.length); // the sandbox ships an expired one too
    expect(targets('enterprise')).toEqual([env.organization.root.id, ...active.map((e) => e.target)].sort());
    for (const s of Object.values(by))
      expect(s.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: env.deployment.awsProviderVersion } });
  });
});
