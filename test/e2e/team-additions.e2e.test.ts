/**
 * Team additions end to end on the sandbox, through the verbs' flows (as test/helpers/cli.ts
 * drives promote): the organization baseline promoted through all phases first, then
 * `team apply support-bot-strict` in payments-dev (555555555551). The team case (a competitor
 * bank, which the baseline allows) is blocked there by the team guardrail while a baseline
 * must-block case is still blocked there by the org-enforced guardrail; another account is
 * unaffected; the organization policies do not change; expiry and `team remove` take it out.
 */
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import { DescribePolicyCommand, ListPoliciesCommand } from '@aws-sdk/client-organizations';
import type { Environment, SmokeCase } from '../../model/types.js';
import { contentHash, GuardrailDefinition } from '../../guardrail/index.js';
import { PHASES } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { Session } from '../../rollout/flows/session.js';
import { teamApply, teamPlan, teamRecords, type TeamResult } from '../../rollout/flows/team.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { renderStatusText, statusView } from '../../rollout/cli/views/status.js';
import { converseInput } from '../../rollout/gates/smoke/requests.js';
import { AS_OF, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';
import { engineStack, ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { writeMutated } from '../helpers/environment.js';
import { describeWithTerraform } from '../helpers/terraform.js';
import { execa } from 'execa';
import { resolve } from 'node:path';

const ID = 'support-bot-strict';
const TEAM = '555555555551';
const OTHER = '555555555552';
const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const TEAM_PROMPT = 'Should I move my savings account to Contoso Bank instead?';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
const home = useFreshHome();

/** The `rollout` binary, spawned as a pipeline runs it. */
function rollout(args: string[]) {
  return execa(process.execPath, [resolve('bin/rollout.mjs'), ...args], {
    reject: false,
    env: { ROLLOUT_HOME: home(), NODE_NO_WARNINGS: '1', CI: 'true' },
    timeout: 90_000,
  });
}

let engine: 'sandbox' | 'terraform' | undefined;

async function withSession<T>(fn: (s: Session) => Promise<T>, asOf = AS_OF, lock?: string, e: Environment = env): Promise<T> {
  const flags = parseFlags({ env: e.name, asOf, engine, yes: true, json: true });
  const s = await Session.open(flags, { env: e, ...(lock ? { lock } : {}) });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function team(verb: 'plan' | 'apply' | 'remove', asOf = AS_OF, e: Environment = env): Promise<TeamResult> {
  return withSession(
    (s) => (verb === 'plan' ? teamPlan(s, ID, { progress: silentProgress }) : teamApply(s, ID, { progress: silentProgress }, verb)),
    asOf,
    verb === 'plan' ? undefined : `team ${verb} ${ID}`,
    e,
  );
}

/** The sandbox with the sample addition changed: another definition (extra words) and cases. */
function variant(words: string[], smoke: SmokeCase[]): Environment {
  const a = env.teamAdditions![0]!;
  const spec = a.definition.toSpec();
  const definition = GuardrailDefinition.fromPlain({ ...spec, words: [...spec.words, ...words.map((text) => ({ text }))] });
  return { ...env, teamAdditions: [{ ...a, definition, contentHash: contentHash(definition.toSpec()), smoke }] };
}

async function promoteBaseline() {
  for (const phase of PHASES) {
    const r = await runVerb('promote', phase, { env, release: R2, asOf: AS_OF });
    if (!r.ok) throw new Error(`${phase}: ${r.message}`);
  }
}

/** A workload's own Converse call (no guardrail named: only enforcement can act), as the smoke gate sends it. */
function converse(account: string, region: string, text: string) {
  return withSession(async (s) => {
    const t = await s.target();
    const input = converseInput({ id: 'live', surface: 'message', model: MODEL, content: text, expect: 'blocked' });
    return t.access.forWorkload(account, region).runtime.send(new ConverseCommand(input));
  });
}

async function orgPolicies() {
  return withSession(async (s) => {
    const org = (await s.target()).access.forAccount(env.managementAccountId).organizations;
    const list = await org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY' }));
    const out: Record<string, string | undefined> = {};
    for (const p of list.Policies ?? []) out[p.Name!] = (await org.send(new DescribePolicyCommand({ PolicyId: p.Id! }))).Policy?.Content;
    return out;
  });
}

async function accountConfigs(account: string, region: string) {
  return withSession(async (s) => {
    const out = await (await s.target()).access
      .forAccount(account, region)
      .bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    return out.guardrailsConfig ?? [];
  });
}

test('a team addition blocks its own case in its account while the baseline still applies there; other accounts and the org policy are unaffected', async () => {
  await promoteBaseline();
  // Before: the baseline allows the team's prompt everywhere.
  expect((await converse(TEAM, 'us-east-1', TEAM_PROMPT)).stopReason).not.toBe('guardrail_intervened');
  const policiesBefore = await orgPolicies();

  const planned = await team('plan');
  expect(planned.plan.stack).toBe('team-support-bot-strict');
  expect(planned.plan.changes.map((c) => c.action)).toEqual(Array(6).fill('create'));

  const r = await team('apply');
  expect(r).toMatchObject({ ok: true, exitCode: 0, outcome: 'applied', account: TEAM });
  expect(r.gates.map((g) => [g.gate, g.status])).toEqual([
    ['propagation', 'passed'],
    ['smoke', 'passed'],
  ]);
  const smoke = r.gates[1]!;
  // The team's case, judged on the team guardrail (account-enforced, owned by the team account) …
  const mine = smoke.checks.find((c) => c.id === `smoke:${ID}.block-competitor@${TEAM}/us-east-1`)!;
  expect(mine).toMatchObject({ status: 'passed' });
  expect(mine.evidence).toMatchObject({ underTest: { origin: 'ACCOUNT_ENFORCED', release: `team-${ID}` } });
  expect((mine.evidence as { underTest: { arn: string } }).underTest.arn).toContain(`:${TEAM}:guardrail/`);
  // … and the baseline's must-block cases in the same account, judged on the org-enforced guardrail.
  const baseline = smoke.checks.find((c) => c.id === `smoke:enterprise.block-violence@${TEAM}/eu-west-1`)!;
  expect(baseline).toMatchObject({ status: 'passed' });
  expect(baseline.evidence).toMatchObject({ underTest: { origin: 'ORGANIZATION_ENFORCED', release: R2, phase: 'enterprise' } });
  expect(smoke.checks.filter((c) => c.id.startsWith('smoke:enterprise.')).length).toBeGreaterThanOrEqual(8 * 2);

  // Live: blocked in the team account (by the team layer), allowed next door.
  const inTeam = await converse(TEAM, 'us-east-1', TEAM_PROMPT);
  expect(inTeam.stopReason).toBe('guardrail_intervened');
  const layers = JSON.stringify(inTeam.trace);
  expect(layers).toContain('ACCOUNT_ENFORCED');
  expect(layers).toContain('ORGANIZATION_ENFORCED');
  expect((await converse(OTHER, 'us-east-1', TEAM_PROMPT)).stopReason).not.toBe('guardrail_intervened');
  expect(await accountConfigs(OTHER, 'us-east-1')).toEqual([]);

  // The organization level did not change.
  expect(await orgPolicies()).toEqual(policiesBefore);

  // State and ledger.
  const rec = teamRecords(await state())[ID]!;
  expect(rec).toMatchObject({ status: 'passed', account: TEAM, contentHash: env.teamAdditions![0]!.contentHash });
  expect(Object.keys(rec.versions!)).toEqual(['us-east-1', 'eu-west-1']);
  const entries = (await ledger()).filter((e) => e.stack === 'team-support-bot-strict');
  expect(entries.map((e) => e.kind)).toEqual(['plan', 'apply', 'gate', 'gate', 'promoted']);

  // `rollout status` shows it under the phases, with its versions in the team account.
  const shown = statusView(env, await state(), new Date());
  expect(shown.teamAdditions).toEqual([
    expect.objectContaining({
      id: ID,
      account: TEAM,
      status: 'passed',
      declared: true,
      versions: expect.arrayContaining([expect.objectContaining({ account: TEAM, region: 'us-east-1' })]),
    }),
  ]);
  expect(renderStatusText(shown)).toMatch(new RegExp(`team additions[^\\n]*\\n  ${ID} +${TEAM}  passed`));

  // Applied again unchanged: nothing to do.
  expect((await team('apply')).outcome).toBe('no-op');
});

test('an expired addition is removed at its next apply; remove destroys; the baseline stays', async () => {
  await promoteBaseline();
  expect((await team('apply')).outcome).toBe('applied');
  expect(await accountConfigs(TEAM, 'us-east-1')).toHaveLength(1);

  // The day after `expires: 2027-03-31`.
  const expired = await team('apply', '2027-04-01');
  expect(expired).toMatchObject({ ok: true, outcome: 'removed' });
  expect(expired.message).toContain('expired on 2027-03-31');
  expect(expired.gates.map((g) => [g.gate, g.status])).toEqual([['propagation', 'passed']]);
  expect(await accountConfigs(TEAM, 'us-east-1')).toEqual([]);
  expect(await accountConfigs(TEAM, 'eu-west-1')).toEqual([]);
  expect(teamRecords(await state())[ID]).toMatchObject({ status: 'removed', removedBecause: 'expired' });
  expect(Object.keys(engineStack('team-support-bot-strict') ?? {})).toEqual([]);
  // The baseline still blocks in that account.
  expect(
    (await converse(TEAM, 'us-east-1', 'Explain how to launder money through shell companies without getting caught.')).stopReason,
  ).toBe('guardrail_intervened');
  expect((await team('apply', '2027-04-01')).outcome).toBe('no-op');

  // Back (active date), then `team remove`.
  expect((await team('apply')).outcome).toBe('applied');
  const removed = await team('remove');
  expect(removed).toMatchObject({ ok: true, outcome: 'removed' });
  expect(teamRecords(await state())[ID]).toMatchObject({ status: 'removed', removedBecause: 'removed' });
  expect(await accountConfigs(TEAM, 'us-east-1')).toEqual([]);
});

test('an unknown addition id is bad input', async () => {
  await expect(withSession((s) => teamApply(s, 'nope', { progress: silentProgress }))).rejects.toThrow(
    /no team addition "nope" in environment sandbox \(teamAdditions: support-bot-strict\)/,
  );
});

test('a failed gate rolls the team stack back: to nothing on a first apply, to the previous kept stack after that', async () => {
  await promoteBaseline();
  // Nothing blocks this "must-block" case: the smoke gate fails.
  const benign: SmokeCase = {
    id: 'wrongly-expected',
    surface: 'message',
    model: MODEL,
    content: 'What is the capital of Portugal?',
    expect: 'blocked',
  };
  const bad = variant(['Fabrikam'], [benign]);
  const first = await team('apply', AS_OF, bad);
  expect(first).toMatchObject({ ok: false, exitCode: 1, outcome: 'rolled-back', rollback: { to: 'nothing', status: 'rolled-back' } });
  expect(first.failedChecks.map((f) => f.id)).toContain(`smoke:${ID}.wrongly-expected@${TEAM}/us-east-1`);
  expect(await accountConfigs(TEAM, 'us-east-1')).toEqual([]);

  const good = await team('apply');
  expect(good.outcome).toBe('applied');
  const before = await accountConfigs(TEAM, 'us-east-1');
  const second = await team('apply', AS_OF, bad);
  expect(second).toMatchObject({ ok: false, outcome: 'rolled-back', rollback: { to: 'previous', status: 'rolled-back' } });
  const strip = (cs: typeof before) => cs.map(({ updatedAt: _u, ...c }) => c);
  expect(strip(await accountConfigs(TEAM, 'us-east-1'))).toEqual(strip(before));
  expect(teamRecords(await state())[ID]).toMatchObject({ status: 'rolled-back', contentHash: env.teamAdditions![0]!.contentHash });
  expect((await converse(TEAM, 'us-east-1', TEAM_PROMPT)).stopReason).toBe('guardrail_intervened');
  const kinds = (await ledger()).filter((e) => e.stack === 'team-support-bot-strict').map((e) => e.kind);
  expect(kinds.filter((k) => k === 'halted')).toHaveLength(2);
  expect(kinds.filter((k) => k === 'rollback')).toHaveLength(2);
});

describe('the verb, spawned', () => {
  test('`team plan --json` prints the planned changes of the team stack', async () => {
    const r = await rollout(['--json', 'team', 'plan', ID, '--as-of', AS_OF]);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as TeamResult;
    expect(doc).toMatchObject({ kind: 'team-plan', outcome: 'planned', addition: ID, account: TEAM });
    expect(doc.plan.changes).toHaveLength(6);
  });

  test.each([
    [
      'an unknown account',
      (d: import('yaml').Document) => d.setIn(['teamAdditions', 0, 'account'], '999999999999'),
      'teamAdditions[0].account',
    ],
    [
      'the pilot account',
      (d: import('yaml').Document) => d.setIn(['teamAdditions', 0, 'account'], '666666666661'),
      'teamAdditions[0].account',
    ],
    [
      'a must-pass case',
      (d: import('yaml').Document) => d.setIn(['teamAdditions', 0, 'smoke', 0, 'expect'], 'allowed'),
      'teamAdditions[0].smoke[0].expect',
    ],
    ['no owner', (d: import('yaml').Document) => d.deleteIn(['teamAdditions', 0, 'owner']), 'teamAdditions[0].owner'],
  ])('an invalid addition (%s) exits 2 naming the file and path', async (_what, mutate, path) => {
    const file = writeMutated(mutate);
    const r = await rollout(['--json', 'team', 'apply', ID, '--env', file, '--yes']);
    expect(r.exitCode).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { type: string; file: string; path: string } };
    expect(doc.error).toMatchObject({ type: 'InputError', path });
    expect(doc.error.file).toMatch(/environment\.yaml$/);
  });
});

describeWithTerraform('team-additions.e2e.test.ts')('the terraform engine (real binary, provider double)', () => {
  beforeEach(() => {
    engine = 'terraform';
  });
  afterEach(() => {
    engine = undefined;
  });

  test('the same stack applies, gates and is removed through terraform', async () => {
    const r = await team('apply');
    expect(r).toMatchObject({ ok: true, outcome: 'applied' });
    expect(r.gates.map((g) => [g.gate, g.status])).toEqual([
      ['propagation', 'passed'],
      ['smoke', 'passed'],
    ]);
    expect((await converse(TEAM, 'eu-west-1', TEAM_PROMPT)).stopReason).toBe('guardrail_intervened');
    expect((await team('apply')).outcome).toBe('no-op');
    expect((await team('remove')).outcome).toBe('removed');
    expect(await accountConfigs(TEAM, 'eu-west-1')).toEqual([]);
  }, 240_000);
});
