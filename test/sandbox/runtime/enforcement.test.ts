/**
 * Enforcement rules, driven through handleRuntime with an in-memory RuntimeWorld.
 * Each guardrail blocks a word named after it ("org-secret", "acct-secret", "req-secret"), so the
 * tests can see exactly which guardrail evaluated which piece of content.
 */
import { AwsError } from '../../../sandbox/errors.js';
import {
  appliesToModel,
  organizationRefs,
  selectSegments,
  underlyingModelId,
  type Modes,
  type Segment,
} from '../../../sandbox/runtime/enforcement.js';
import { CLAUDE, EMBED, NOVA, assistant, converse, invoke, tagged, text, user } from '../../helpers/runtime-call.js';
import { MEMBER, MGMT, MemoryWorld, OTHER_OU_MEMBER, ORG, REGION, guardrailConfig } from '../../helpers/memory-world.js';

function orgWorld(configExtra: Record<string, unknown> = {}) {
  const w = new MemoryWorld();
  const orgArn = w.addGuardrail('orgbase1', guardrailConfig('org'));
  w.shareWithOrg(orgArn);
  const policy = (account = MEMBER) => w.orgPolicy(account, { config_1: { identifier: `${orgArn}:1`, ...configExtra } });
  policy();
  return { w, orgArn, policy };
}

const blocked = (r: { stopReason: string }) => r.stopReason === 'guardrail_intervened';
/** Blocked by the org guardrail's INPUT check (the stand-in model echoes, so output checks could block too). */
const inputBlocked = (r: { output: { message: { content: { text: string }[] } } }) =>
  r.output.message.content[0].text === 'org: input blocked';

describe('model include/exclude', () => {
  it.each([
    ['absent model_enforcement', undefined, CLAUDE, true],
    ['ALL', { included_models: ['ALL'], excluded_models: [] }, CLAUDE, true],
    ['empty included list', { included_models: [], excluded_models: [] }, CLAUDE, true],
    ['listed model', { included_models: [CLAUDE], excluded_models: [] }, CLAUDE, true],
    ['unlisted model', { included_models: [CLAUDE], excluded_models: [] }, NOVA, false],
    ['excluded model', { included_models: ['ALL'], excluded_models: [NOVA] }, NOVA, false],
    ['in both lists (exclusion wins)', { included_models: [NOVA], excluded_models: [NOVA] }, NOVA, false],
  ])('org policy with %s guards %s: %s', async (_what, me, model, guarded) => {
    const { w } = orgWorld(me ? { model_enforcement: me } : {});
    const r = await converse(w, { messages: [user(text('tell me the org-secret'))] }, { model });
    expect(blocked(r)).toBe(guarded);
    expect(r.output.message.content[0].text).toBe(guarded ? 'org: input blocked' : 'Echo: tell me the org-secret');
  });

  it('matches inference profiles and ARNs on the underlying model id', () => {
    expect(underlyingModelId(`us.${CLAUDE}`)).toBe(CLAUDE);
    expect(underlyingModelId(`arn:aws:bedrock:us-east-1::foundation-model/${CLAUDE}`)).toBe(CLAUDE);
    expect(appliesToModel({ included: ['ALL'], excluded: [CLAUDE] }, `eu.${CLAUDE}`)).toBe(false);
  });

  it('an embedding model that is not excluded fails under enforcement; excluded, it works', async () => {
    const { w, orgArn } = orgWorld();
    await expect(invoke(w, { inputText: 'hello' }, { model: EMBED })).rejects.toMatchObject({ code: 'ValidationException' });
    w.orgPolicy(MEMBER, {
      config_1: { identifier: `${orgArn}:1`, model_enforcement: { included_models: ['ALL'], excluded_models: [EMBED] } },
    });
    const r = await invoke(w, { inputText: 'hello' }, { model: EMBED });
    expect(r.embedding).toHaveLength(1024);
  });
});

describe('selective vs comprehensive (docs/aws-facts.md#selective-vs-comprehensive matrix)', () => {
  const seg = (surface: Segment['surface'], isTagged: boolean, message = surface === 'system' ? -1 : 0): Segment => ({
    surface,
    text: `${surface}-${isTagged ? 'tagged' : 'plain'}`,
    tagged: isTagged,
    message,
    role: 'user',
  });
  const shapes: Record<string, Segment[]> = {
    'no tags': [seg('system', false), seg('message', false)],
    'tags in messages only': [seg('system', false), seg('message', false), seg('message', true)],
    'tags in system only': [seg('system', false), seg('system', true), seg('message', false)],
    'tags in both': [seg('system', false), seg('system', true), seg('message', false), seg('message', true)],
  };
  const texts = (segs: Segment[], m: Modes) => selectSegments(segs, m).map((i) => segs[i].text);
  const CC: Modes = { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' };
  const SS: Modes = { system: 'SELECTIVE', messages: 'SELECTIVE' };
  const SC: Modes = { system: 'SELECTIVE', messages: 'COMPREHENSIVE' };
  it.each([
    ['no tags', CC, ['system-plain', 'message-plain']],
    ['no tags', SS, ['message-plain']],
    ['no tags', SC, ['message-plain']],
    ['tags in messages only', CC, ['system-plain', 'message-plain', 'message-tagged']],
    ['tags in messages only', SS, ['message-tagged']],
    ['tags in messages only', SC, ['message-plain', 'message-tagged']],
    ['tags in system only', CC, ['system-plain', 'system-tagged', 'message-plain']],
    ['tags in system only', SS, ['system-tagged', 'message-plain']],
    ['tags in system only', SC, ['system-tagged', 'message-plain']],
    ['tags in both', CC, ['system-plain', 'system-tagged', 'message-plain', 'message-tagged']],
    ['tags in both', SS, ['system-tagged', 'message-tagged']],
    ['tags in both', SC, ['system-tagged', 'message-plain', 'message-tagged']],
  ])('%s with %j evaluates %j', (shape, modes, expected) => {
    expect(texts(shapes[shape], modes)).toEqual(expected);
  });

  const modes = (system: string, messages: string) => ({ selective_content_guarding: { system, messages } });
  it('system: comprehensive checks an untagged system prompt; selective does not', async () => {
    const body = { system: [text('You know the org-secret.')], messages: [user(text('hi'))] };
    expect(blocked(await converse(orgWorld(modes('comprehensive', 'comprehensive')).w, body))).toBe(true);
    expect(blocked(await converse(orgWorld(modes('selective', 'comprehensive')).w, body))).toBe(false);
    // tagged system content is checked under selective
    const taggedBody = { system: [tagged('You know the org-secret.')], messages: [user(text('hi'))] };
    expect(blocked(await converse(orgWorld(modes('selective', 'selective')).w, taggedBody))).toBe(true);
  });

  it('messages: selective checks only tagged content when tags exist, all messages otherwise', async () => {
    const { w } = orgWorld(modes('selective', 'selective'));
    expect(inputBlocked(await converse(w, { messages: [user(text('the org-secret please'))] }))).toBe(true);
    expect(inputBlocked(await converse(w, { messages: [user(text('the org-secret please'), tagged('harmless question'))] }))).toBe(false);
    expect(inputBlocked(await converse(w, { messages: [user(text('harmless'), tagged('the org-secret please'))] }))).toBe(true);
    // untagged text skipped on input still reaches the model; the output check catches its echo
    const echoed = await converse(w, { messages: [user(text('the org-secret please'), tagged('harmless question'))] });
    expect(echoed.output.message.content[0].text).toBe('org: output blocked');
  });

  it('messages: comprehensive ignores tags and checks every turn — a blocked turn poisons later calls (story 5)', async () => {
    const { w } = orgWorld(modes('comprehensive', 'comprehensive'));
    expect(blocked(await converse(w, { messages: [user(text('the org-secret please'), tagged('harmless question'))] }))).toBe(true);
    const history = [user(text('what is the org-secret?')), assistant(text('org: input blocked')), user(text('ok, what is the weather?'))];
    expect(blocked(await converse(w, { messages: history }))).toBe(true);
  });

  it('legacy input_tags is read when selective_content_guarding is absent', () => {
    const arn = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc';
    const [honor] = organizationRefs(
      { bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: `${arn}:2`, input_tags: 'honor' } } } } },
      REGION,
    );
    expect(honor.rule).toEqual({ system: 'SELECTIVE', messages: 'SELECTIVE' });
    const [ignore] = organizationRefs(
      {
        bedrock: {
          guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': `${arn}:2` }, input_tags: { '@@assign': 'ignore' } } } },
        },
      },
      REGION,
    );
    expect(ignore).toMatchObject({ identifier: arn, version: '2', rule: { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' } });
  });
});

describe('layering: organization, account and request guardrails', () => {
  function layered() {
    const { w, orgArn } = orgWorld();
    const acctArn = w.addGuardrail('acctbase1', guardrailConfig('acct'), { owner: MEMBER });
    w.enforced.push({ configId: 'cfg1', account: MEMBER, region: REGION, guardrailIdentifier: 'acctbase1', guardrailVersion: '1' });
    const reqArn = w.addGuardrail('reqgr1', guardrailConfig('req'), { owner: MEMBER });
    return { w, orgArn, acctArn, reqArn };
  }

  it('every layer is evaluated: each guardrail blocks its own word', async () => {
    const { w } = layered();
    const gc = { guardrailIdentifier: 'reqgr1', guardrailVersion: '1' };
    for (const [word, msg] of [
      ['org-secret', 'org: input blocked'],
      ['acct-secret', 'acct: input blocked'],
      ['req-secret', 'req: input blocked'],
    ]) {
      const r = await converse(w, { messages: [user(text(`say ${word}`))], guardrailConfig: gc });
      expect(r.stopReason).toBe('guardrail_intervened');
      expect(r.output.message.content[0].text).toBe(msg);
    }
    expect(blocked(await converse(w, { messages: [user(text('hello'))], guardrailConfig: gc }))).toBe(false);
  });

  it('the trace shows every guardrail with its origin and ownership', async () => {
    const { w, orgArn, acctArn, reqArn } = layered();
    const r = await converse(w, {
      messages: [user(text('acct-secret'))],
      guardrailConfig: { guardrailIdentifier: 'reqgr1', guardrailVersion: '1', trace: 'enabled' },
    });
    const a = r.trace.guardrail.inputAssessment;
    expect(Object.keys(a).sort()).toEqual(['acctbase1', 'orgbase1', 'reqgr1']);
    expect(a.orgbase1.appliedGuardrailDetails).toEqual({
      guardrailId: 'orgbase1',
      guardrailVersion: '1',
      guardrailArn: orgArn,
      guardrailOrigin: ['ORGANIZATION_ENFORCED'],
      guardrailOwnership: 'CROSS_ACCOUNT',
    });
    expect(a.acctbase1.appliedGuardrailDetails).toMatchObject({
      guardrailArn: acctArn,
      guardrailOrigin: ['ACCOUNT_ENFORCED'],
      guardrailOwnership: 'SELF',
    });
    expect(a.reqgr1.appliedGuardrailDetails).toMatchObject({
      guardrailArn: reqArn,
      guardrailOrigin: ['REQUEST'],
      guardrailOwnership: 'SELF',
    });
    expect(a.acctbase1.wordPolicy.customWords).toEqual([{ match: 'acct-secret', action: 'BLOCKED', detected: true }]);
    expect(a.orgbase1.wordPolicy).toBeUndefined();
    expect(r.trace.guardrail.outputAssessments).toBeUndefined(); // blocked on input: the model never ran
  });

  it('the same guardrail through two origins is one entry listing both', async () => {
    const { w, orgArn } = orgWorld();
    w.enforced.push({ configId: 'cfg1', account: MEMBER, region: REGION, guardrailIdentifier: orgArn, guardrailVersion: '1' });
    const r = await converse(w, {
      messages: [user(text('hello'))],
      guardrailConfig: { guardrailIdentifier: orgArn, guardrailVersion: '1', trace: 'enabled' },
    });
    expect(Object.keys(r.trace.guardrail.inputAssessment)).toEqual(['orgbase1']);
    expect(r.trace.guardrail.inputAssessment.orgbase1.appliedGuardrailDetails.guardrailOrigin).toEqual([
      'ORGANIZATION_ENFORCED',
      'ACCOUNT_ENFORCED',
      'REQUEST',
    ]);
    expect(r.trace.guardrail.outputAssessments.orgbase1).toHaveLength(1);
  });

  it('a request guardrail cannot weaken an enforced one; trace without identifiers shows enforced guardrails', async () => {
    const { w } = layered();
    const r = await converse(w, {
      messages: [user(text('org-secret'))],
      guardrailConfig: { guardrailIdentifier: '', guardrailVersion: '', trace: 'enabled' },
    });
    expect(r.stopReason).toBe('guardrail_intervened');
    expect(Object.keys(r.trace.guardrail.inputAssessment).sort()).toEqual(['acctbase1', 'orgbase1']);
    const noTrace = await converse(w, { messages: [user(text('org-secret'))] });
    expect(noTrace.trace).toBeUndefined();
  });

  it('the request guardrail follows the classic Converse rule: system only via guardContent', async () => {
    const w = new MemoryWorld();
    w.addGuardrail('reqgr1', guardrailConfig('req'), { owner: MEMBER });
    const gc = { guardrailIdentifier: 'reqgr1', guardrailVersion: 'DRAFT' };
    expect(blocked(await converse(w, { system: [text('req-secret')], messages: [user(text('hi'))], guardrailConfig: gc }))).toBe(false);
    expect(blocked(await converse(w, { system: [tagged('req-secret')], messages: [user(text('hi'))], guardrailConfig: gc }))).toBe(true);
  });

  it('output guarding: repeated PII is masked on output, and blocked output uses blockedOutputsMessaging', async () => {
    const w = new MemoryWorld();
    w.addGuardrail(
      'reqgr1',
      guardrailConfig('req', {
        sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE', inputAction: 'NONE' }] },
        wordPolicyConfig: { wordsConfig: [{ text: 'forbidden', inputEnabled: false }] },
      }),
      { owner: MEMBER },
    );
    const gc = { guardrailIdentifier: 'reqgr1', guardrailVersion: 'DRAFT', trace: 'enabled' };
    const masked = await converse(w, { messages: [user(text('Repeat: contact bob@example.com'))], guardrailConfig: gc });
    expect(masked.output.message.content[0].text).toBe('contact {EMAIL}');
    expect(masked.stopReason).toBe('guardrail_intervened');
    expect(masked.trace.guardrail.inputAssessment.reqgr1.sensitiveInformationPolicy.piiEntities[0]).toMatchObject({
      type: 'EMAIL',
      action: 'NONE',
      detected: true,
    });
    expect(masked.trace.guardrail.modelOutput).toEqual(['contact bob@example.com']);
    const out = await converse(w, { messages: [user(text('echo the forbidden word'))], guardrailConfig: gc });
    expect(out.output.message.content[0].text).toBe('req: output blocked');
    expect(out.trace.guardrail.outputAssessments.reqgr1[0].wordPolicy.customWords[0].match).toBe('forbidden');
  });
});

describe('resource-based policy (failure story 1)', () => {
  it('a missing RBP denies the inference call of every member in scope', async () => {
    const { w, orgArn } = orgWorld();
    w.policies.delete(orgArn);
    await expect(converse(w, { messages: [user(text('hello'))] })).rejects.toMatchObject({ code: 'AccessDeniedException', status: 403 });
    await expect(
      invoke(w, { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hello' }] }),
    ).rejects.toBeInstanceOf(AwsError);
  });

  it('an OU-scoped RBP allows accounts in that OU and denies others', async () => {
    const { w, orgArn, policy } = orgWorld();
    w.shareWithOrg(orgArn, [`${ORG}/*/ou-ab12-pilot111/*`]);
    policy(OTHER_OU_MEMBER);
    expect(blocked(await converse(w, { messages: [user(text('hello'))] }))).toBe(false);
    await expect(converse(w, { messages: [user(text('hello'))] }, { caller: OTHER_OU_MEMBER })).rejects.toMatchObject({
      code: 'AccessDeniedException',
    });
  });

  it('the owning account needs no RBP', async () => {
    const { w, orgArn, policy } = orgWorld();
    w.policies.delete(orgArn);
    policy(MGMT);
    const r = await converse(w, { messages: [user(text('hello'))], guardrailConfig: { trace: 'enabled' } }, { caller: MGMT });
    expect(r.trace.guardrail.inputAssessment.orgbase1.appliedGuardrailDetails.guardrailOwnership).toBe('SELF');
  });

  it('a model excluded from enforcement is not affected by a missing RBP', async () => {
    const { w, orgArn } = orgWorld({ model_enforcement: { included_models: ['ALL'], excluded_models: [NOVA] } });
    w.policies.delete(orgArn);
    expect((await converse(w, { messages: [user(text('hello'))] }, { model: NOVA })).stopReason).toBe('end_turn');
  });
});

describe('bad enforced identifier fails every call in scope (stories 2 and 6)', () => {
  const arn = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/orgbase1';
  it.each([
    ['a typo in the id', `arn:aws:bedrock:us-east-1:111111111111:guardrail/orgbaseX:1`],
    ['a DRAFT version', `${arn}:DRAFT`],
    ['a deleted version', `${arn}:7`],
    ['no version', arn],
    ['another region', 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/orgbase1:1'],
  ])('%s', async (_what, identifier) => {
    const { w } = orgWorld();
    w.addGuardrail('orgbase1', guardrailConfig('eu'), { region: 'eu-west-1' });
    w.orgPolicy(MEMBER, { config_1: { identifier, model_enforcement: { included_models: ['ALL'], excluded_models: [NOVA] } } });
    for (const model of [CLAUDE, NOVA]) {
      await expect(converse(w, { messages: [user(text('hello'))] }, { model })).rejects.toMatchObject({
        code: 'ValidationException',
        message: expect.stringContaining('does not exist'),
      });
    }
    await expect(invoke(w, { inputText: 'hello' }, { model: 'amazon.titan-text-express-v1' })).rejects.toMatchObject({
      code: 'ValidationException',
    });
  });

  it('an organization policy naming a guardrail the management account does not own fails closed, even with an RBP', async () => {
    // AWS: the guardrail "must be owned by the management account"; any other is an incorrect identifier.
    const { w } = orgWorld();
    const memberArn = w.addGuardrail('membergr1', guardrailConfig('member'), { owner: OTHER_OU_MEMBER });
    w.shareWithOrg(memberArn);
    w.orgPolicy(MEMBER, { config_1: { identifier: `${memberArn}:1` } });
    for (const model of [CLAUDE, NOVA]) {
      await expect(converse(w, { messages: [user(text('hello'))] }, { model })).rejects.toMatchObject({
        code: 'ValidationException',
        message: expect.stringContaining(`not the management account ${MGMT}`),
      });
    }
    // The same guardrail as the member's own account-level configuration is not an organization reference: allowed.
    const w2 = new MemoryWorld();
    w2.addGuardrail('acctbase1', guardrailConfig('acct'), { owner: MEMBER });
    w2.enforced.push({ configId: 'c', account: MEMBER, region: REGION, guardrailIdentifier: 'acctbase1', guardrailVersion: '1' });
    expect(blocked(await converse(w2, { messages: [user(text('acct-secret'))] }))).toBe(true);
  });

  it('an account-level configuration pointing at a deleted version fails too', async () => {
    const w = new MemoryWorld();
    w.addGuardrail('acctbase1', guardrailConfig('acct'), { owner: MEMBER });
    w.enforced.push({ configId: 'c', account: MEMBER, region: REGION, guardrailIdentifier: 'acctbase1', guardrailVersion: '3' });
    await expect(converse(w, { messages: [user(text('hello'))] })).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('an enforced guardrail with an Automated Reasoning policy fails the call', async () => {
    const w = new MemoryWorld();
    const a = w.addGuardrail(
      'argr1',
      guardrailConfig('ar', {
        automatedReasoningPolicyConfig: { policies: ['arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/p1'] },
      }),
    );
    w.shareWithOrg(a);
    w.orgPolicy(MEMBER, { config_1: { identifier: `${a}:1` } });
    await expect(converse(w, { messages: [user(text('hello'))] })).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('Automated Reasoning'),
    });
  });
});
