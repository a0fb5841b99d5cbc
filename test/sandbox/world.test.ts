import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand, UpdateGuardrailCommand } from '@aws-sdk/client-bedrock';
import { OrganizationsClient, CreatePolicyCommand, AttachPolicyCommand } from '@aws-sdk/client-organizations';
import type { SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, NESTED, ORG, OU_DEEP, OU_PROD, OU_WORK, PILOT, REGION, ROOT, start } from '../helpers/sandbox.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

test('RuntimeWorld resolves guardrails as the caller sees them and snapshots are immutable', async () => {
  const br = new BedrockClient(cfg(sb, MGMT));
  const g = await br.send(new CreateGuardrailCommand({ name: 'world', blockedInputMessaging: 'v1 in', blockedOutputsMessaging: 'out' }));
  await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
  await br.send(
    new UpdateGuardrailCommand({
      guardrailIdentifier: g.guardrailId,
      name: 'world',
      blockedInputMessaging: 'draft in',
      blockedOutputsMessaging: 'out',
    }),
  );

  const w = sb.world;
  expect(w.findGuardrail(g.guardrailId!, '1', MGMT, REGION)).toMatchObject({
    guardrailArn: g.guardrailArn,
    ownerAccount: MGMT,
    version: '1',
    config: { blockedInputMessaging: 'v1 in' },
  });
  expect(w.findGuardrail(g.guardrailId!, 'DRAFT', MGMT, REGION)?.config.blockedInputMessaging).toBe('draft in');
  // A bare id resolves only in the caller's own account and region; an ARN resolves across accounts.
  expect(w.findGuardrail(g.guardrailId!, '1', PILOT, REGION)).toBeUndefined();
  expect(w.findGuardrail(g.guardrailId!, '1', MGMT, 'eu-west-1')).toBeUndefined();
  expect(w.findGuardrail(g.guardrailArn!, '1', PILOT, REGION)?.guardrailId).toBe(g.guardrailId);
  expect(w.findGuardrail(g.guardrailArn!, '9', PILOT, REGION)).toBeUndefined();
  // Snapshots are copies: changing one does not change the world.
  const snap = w.findGuardrail(g.guardrailArn!, '1', MGMT, REGION)!;
  (snap.config as { blockedInputMessaging: string }).blockedInputMessaging = 'tampered';
  expect(w.findGuardrail(g.guardrailArn!, '1', MGMT, REGION)?.config.blockedInputMessaging).toBe('v1 in');
});

test('RuntimeWorld reports org membership, paths and effective policies', async () => {
  const w = sb.world;
  expect(w.organizationId()).toBe(ORG);
  expect(w.isOrgMember(NESTED)).toBe(true);
  expect(w.isOrgMember('999999999999')).toBe(false);
  expect(w.orgPathOf(NESTED)).toBe(`${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/${OU_DEEP}/`);
  expect(w.orgPathOf(MGMT)).toBe(`${ORG}/${ROOT}/`);
  expect(w.orgPathOf('999999999999')).toBeUndefined();
  expect(w.effectivePolicy(PILOT)).toBeNull();

  const org = new OrganizationsClient(cfg(sb, MGMT));
  const arn = `arn:aws:bedrock:${REGION}:${MGMT}:guardrail/abcdefabcdef:1`;
  const id = (
    await org.send(
      new CreatePolicyCommand({
        Name: 'world-ou',
        Description: '',
        Type: 'BEDROCK_POLICY',
        Content: JSON.stringify({ bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': arn } } } } } }),
      }),
    )
  ).Policy!.PolicySummary!.Id!;
  await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: OU_PROD }));
  expect(w.effectivePolicy(NESTED)).toEqual({ bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: arn } } } } });
  expect(w.effectivePolicy(PILOT)).toBeNull();
  expect(w.accountEnforcement(PILOT, REGION)).toBeUndefined();
});
