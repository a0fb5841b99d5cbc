import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePreview, nextPhaseFor, releasesAfter } from '../../policy/index.js';
import { loadRecordedPhases, loadRecordedRollout } from '../../rollout/state/recorded-phases.js';
import { MGMT, OTHER_OU, PILOT_ACCOUNT, arn, exception, testEnv } from '../helpers/policy.js';
import { runCli } from '../helpers/run-cli.js';
import { fromText, renderPreviewMarkdown, renderPreviewText } from '../../rollout/cli/views/preview.js';
import { loadEnvironment } from '../../model/load.js';

const asOf = new Date('2026-05-01T00:00:00Z');
const published = {
  'baseline@1.0.0': {
    'us-east-1': { guardrailArn: arn('us-east-1'), version: '3' },
    'eu-west-1': { guardrailArn: arn('eu-west-1'), version: '2' },
  },
  'baseline@1.1.0': { 'us-east-1': { guardrailArn: arn('us-east-1'), version: '4' } },
};
const rowsOf = (r: ReturnType<typeof computePreview>, account: string) => r.accounts.find((a) => a.account === account)!.enforcement;

describe('phase stacking', () => {
  test('after phase X every phase up to X runs the release; later phases keep what is recorded', () => {
    const recorded = { pilot: { release: 'a' }, 'model-rules': { release: 'a' }, ou: { release: 'a' }, enterprise: { release: 'a' } };
    expect(releasesAfter(recorded, 'model-rules', 'b')).toEqual({ pilot: 'b', 'model-rules': 'b', ou: 'a', enterprise: 'a' });
    expect(releasesAfter({}, 'ou', 'b')).toEqual({ pilot: 'b', 'model-rules': 'b', ou: 'b' });
    expect(nextPhaseFor({ pilot: { release: 'b' } }, 'b')).toBe('model-rules');
    expect(nextPhaseFor(recorded, 'a')).toBe('enterprise');
  });
});

describe('computePreview', () => {
  test('the pilot account runs the newer release while the rest keeps the recorded one; diff counts changed accounts', () => {
    const recorded = {
      pilot: { release: 'baseline@1.0.0' },
      'model-rules': { release: 'baseline@1.0.0' },
      ou: { release: 'baseline@1.0.0' },
      enterprise: { release: 'baseline@1.0.0' },
    };
    const r = computePreview({ env: testEnv(), phase: 'model-rules', release: 'baseline@1.1.0', asOf, recorded, published, diff: true });
    const pilotUs = rowsOf(r, PILOT_ACCOUNT).filter((x) => x.region === 'us-east-1');
    expect(pilotUs.map((x) => [x.level, x.version, x.release, x.published])).toEqual([
      ['organization', '4', 'baseline@1.1.0', true],
      // The pilot stack publishes 1.1.0 in the pilot account only when it is applied.
      ['account', undefined, 'baseline@1.1.0', false],
    ]);
    expect(pilotUs[0].identifier).toBe(`${arn('us-east-1')}:4`);
    expect(pilotUs[1].identifier).toBe(`arn:aws:bedrock:us-east-1:${PILOT_ACCOUNT}:guardrail/<unpublished:baseline@1.1.0>`);
    expect(r.warnings.join('\n')).toMatch(new RegExp(`pilot account ${PILOT_ACCOUNT}: baseline@1.1.0 is not yet published there`));
    // 1.1.0 is not published in eu-west-1 yet: shown as a placeholder and warned about.
    const pilotEu = rowsOf(r, PILOT_ACCOUNT).find((x) => x.region === 'eu-west-1' && x.level === 'organization')!;
    expect(pilotEu).toMatchObject({
      published: false,
      identifier: `arn:aws:bedrock:eu-west-1:${MGMT}:guardrail/<unpublished:baseline@1.1.0>`,
    });
    expect(r.warnings.join('\n')).toMatch(/not yet published in every region: baseline@1.1.0/);
    expect(rowsOf(r, '444444444444').map((x) => x.version)).toEqual(['2', '3']);
    expect(r.diff).toMatchObject({ totalAccounts: 4, changedAccounts: 1 });
    expect(r.diff!.changes[0].account).toBe(PILOT_ACCOUNT);
  });

  test("the pilot's account-level enforcement names the pilot account's own guardrail (as status shows it), never the management account's", () => {
    const pilotVersions = {
      'us-east-1': { guardrailArn: arn('us-east-1', 'pilotg1', PILOT_ACCOUNT), version: '7' },
      'eu-west-1': { guardrailArn: arn('eu-west-1', 'pilotg2', PILOT_ACCOUNT), version: '5' },
    };
    const recorded = { pilot: { release: 'baseline@1.0.0', versions: pilotVersions } };
    const r = computePreview({ env: testEnv(), phase: 'pilot', release: 'baseline@1.0.0', asOf, recorded, published, diff: true });
    const account = rowsOf(r, PILOT_ACCOUNT).filter((x) => x.level === 'account');
    expect(account.map((x) => [x.region, x.guardrailArn, x.version, x.identifier, x.published])).toEqual([
      ['eu-west-1', pilotVersions['eu-west-1'].guardrailArn, '5', `${pilotVersions['eu-west-1'].guardrailArn}:5`, true],
      ['us-east-1', pilotVersions['us-east-1'].guardrailArn, '7', `${pilotVersions['us-east-1'].guardrailArn}:7`, true],
    ]);
    for (const x of account) expect(x.guardrailArn).toContain(`:${PILOT_ACCOUNT}:guardrail/`);
    // Re-applying what is recorded changes nothing, and nothing is reported unpublished.
    expect(r.diff).toMatchObject({ changedAccounts: 0 });
    expect(r.warnings.join('\n')).not.toMatch(/pilot account/);

    // A pilot that now runs another release: that release is not yet in the pilot account.
    const next = computePreview({ env: testEnv(), phase: 'pilot', release: 'baseline@1.1.0', asOf, recorded, published, diff: true });
    const nextRows = rowsOf(next, PILOT_ACCOUNT).filter((x) => x.level === 'account');
    expect(nextRows.map((x) => x.identifier)).toEqual(
      ['eu-west-1', 'us-east-1'].map((g) => `arn:aws:bedrock:${g}:${PILOT_ACCOUNT}:guardrail/<unpublished:baseline@1.1.0>`),
    );
    const before = next.diff!.before.find((a) => a.account === PILOT_ACCOUNT)!.enforcement.find((x) => x.region === 'us-east-1')!;
    expect(before).toMatchObject({ level: 'account', guardrailArn: pilotVersions['us-east-1'].guardrailArn, version: '7' });
  });

  test('from an empty organization, enterprise shows every account, with exceptions only while unexpired', () => {
    const env = testEnv({
      exceptions: [
        exception({ id: 'EXC-1', target: OTHER_OU, changes: { excludedModels: ['cohere.embed-english-v3'] }, expires: '2026-05-01' }),
        exception({ id: 'EXC-2', target: '555555555555', changes: { messages: 'selective' }, expires: '2026-04-30' }),
      ],
    });
    const r = computePreview({ env, phase: 'enterprise', release: 'baseline@1.0.0', asOf, recorded: {}, published, diff: true });
    expect(r.accounts.map((a) => a.enforcement.length)).toEqual([4, 2, 2, 2]); // pilot: org + account level, 2 regions
    expect(rowsOf(r, '444444444444')[0]).toMatchObject({
      exceptions: ['EXC-1'],
      excludedModels: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'],
    });
    expect(rowsOf(r, '555555555555')[0]).toMatchObject({ exceptions: [], messages: 'comprehensive' });
    expect(r.exceptions.map((e) => [e.id, e.active])).toEqual([
      ['EXC-1', true],
      ['EXC-2', false],
    ]);
    expect(r.childControl.excludedModels).toEqual(['@@append']);
    expect(r.diff).toMatchObject({ changedAccounts: 4, totalAccounts: 4 });
    // A day later EXC-1 has expired as well.
    const later = computePreview({
      env,
      phase: 'enterprise',
      release: 'baseline@1.0.0',
      asOf: new Date('2026-05-02T00:00:00Z'),
      recorded: {},
      published,
    });
    expect(rowsOf(later, '444444444444')[0].exceptions).toEqual([]);
  });

  test('an exception changing a mode on the node that carries a phase baseline is flagged (attachment order decides in AWS)', () => {
    const env = testEnv({ exceptions: [exception({ id: 'EXC-9', target: PILOT_ACCOUNT, changes: { system: 'selective' } })] });
    const r = computePreview({ env, phase: 'enterprise', release: 'baseline@1.0.0', asOf, recorded: {}, published });
    expect(r.warnings.join('\n')).toMatch(/EXC-9 changes a guarding mode on 222222222222, which also carries the model-rules baseline/);
  });
});

describe('computePreview: an enforcement change in flight', () => {
  const NEW = 'amazon.titan-image-generator-v2:0';
  const U1 = testEnv().enforcement;
  const U2 = { ...U1, models: { ...U1.models, excluded: [...U1.models.excluded, NEW] } };
  // The file now holds U2; every phase recorded at U1.
  const env = testEnv({ enforcement: U2 });
  const recorded = {
    pilot: { release: 'baseline@1.0.0', enforcement: U1 },
    'model-rules': { release: 'baseline@1.0.0', enforcement: U1 },
    ou: { release: 'baseline@1.0.0', enforcement: U1 },
    enterprise: { release: 'baseline@1.0.0', enforcement: U1 },
  };
  const orgUs = (r: ReturnType<typeof computePreview>, account: string) =>
    rowsOf(r, account).find((x) => x.region === 'us-east-1' && x.level === 'organization')!;

  test('model-rules: the pilot account takes the new list from its own policy; the root and the pilot OU open excluded_models only', () => {
    const r = computePreview({ env, phase: 'model-rules', release: 'baseline@1.0.0', asOf, recorded, published, diff: true });
    expect(r.enforcementByPhase).toEqual({ pilot: U2, 'model-rules': U2, ou: U1, enterprise: U1 });
    expect(orgUs(r, PILOT_ACCOUNT).excludedModels).toEqual(U2.models.excluded);
    expect(orgUs(r, PILOT_ACCOUNT).from).toEqual({
      identifier: ['guardrail-rollout-model-rules'],
      system: ['guardrail-rollout-enterprise'],
      messages: ['guardrail-rollout-enterprise'],
      includedModels: ['guardrail-rollout-enterprise'],
      excludedModels: ['guardrail-rollout-model-rules'],
    });
    // The pilot's account-level configuration is the pilot's unit too.
    expect(rowsOf(r, PILOT_ACCOUNT).find((x) => x.level === 'account')!.excludedModels).toEqual(U2.models.excluded);
    // Another account of the pilot OU: the OU's own (U1) list, now that the root lets it assign.
    expect(orgUs(r, '333333333333')).toMatchObject({ excludedModels: U1.models.excluded });
    expect(orgUs(r, '333333333333').from!.excludedModels).toEqual(['guardrail-rollout-ou']);
    expect(orgUs(r, '444444444444').from!.excludedModels).toEqual(['guardrail-rollout-enterprise']);
    // Which settings are open above each account, and why.
    const pilot = r.accounts.find((a) => a.account === PILOT_ACCOUNT)!.locks;
    expect(pilot).toEqual({
      above: ['enterprise', 'ou'],
      open: [
        {
          setting: 'excluded_models',
          allowed: ['@@assign'],
          why: ['in flight: model-rules (enterprise opens it)', 'in flight: model-rules (ou opens it)'],
        },
      ],
    });
    expect(r.accounts.find((a) => a.account === '555555555555')!.locks).toMatchObject({ above: ['enterprise'] });
    expect(r.childControl.excludedModels).toEqual(['@@assign']);
    expect(r.childControlByPhase.ou!.excludedModels).toEqual(['@@assign']);
    expect(r.childControlByPhase['model-rules']!.excludedModels).toEqual(['@@none']);
    expect(r.childControl.system).toEqual(['@@none']);
    expect(r.warnings.join('\n')).not.toMatch(/blocked/);
    // Only the pilot account's enforcement changes; the locks open above every account.
    expect(r.diff!.changes.map((c) => c.account)).toEqual([PILOT_ACCOUNT]);
    expect(r.diff!.locks.map((l) => [l.account, l.before, l.after])).toEqual(
      ['222222222222', '333333333333', '444444444444', '555555555555'].map((a) => [a, '-', 'excluded_models:@@assign']),
    );
  });

  test('enterprise: every account has the new list and every lock is closed again', () => {
    const r = computePreview({ env, phase: 'enterprise', release: 'baseline@1.0.0', asOf, recorded, published, diff: true });
    for (const a of ['222222222222', '333333333333', '444444444444', '555555555555']) {
      expect({ a, x: orgUs(r, a).excludedModels }).toEqual({ a, x: U2.models.excluded });
      expect({ a, open: r.accounts.find((x) => x.account === a)!.locks.open }).toEqual({ a, open: [] });
    }
    for (const plan of Object.values(r.childControlByPhase)) expect(plan!.inFlight).toEqual([]);
    expect(r.diff!.changedAccounts).toBe(4);
    expect(r.diff!.locks).toEqual([]);
  });

  test('the text and markdown views show where each setting comes from and what is open', () => {
    const r = computePreview({ env, phase: 'model-rules', release: 'baseline@1.0.0', asOf, recorded, published, diff: true });
    const text = renderPreviewText(r);
    expect(text).toMatch(
      /enterprise: identifier @@assign · system @@none · messages @@none · included_models @@none · excluded_models @@assign/,
    );
    expect(text).toMatch(/excluded_models: @@assign — in flight: model-rules holds another value than enterprise/);
    expect(text).toContain('model-rules: identifier,excluded · enterprise: system,messages,included');
    expect(text).toContain('excluded_models:@@assign');
    expect(text).toMatch(/Locks that open or close above 4 account\(s\)/);
    expect(fromText(orgUs(r, '444444444444').from)).toBe('enterprise: all');
    expect(renderPreviewMarkdown(r)).toMatch(/\| excluded_models \| @@assign \| @@assign \| @@none \|/);
  });
});

describe('recorded rollout state', () => {
  test('missing state → nothing recorded; state.json phases and published versions are read', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    expect(await loadRecordedPhases({ name: 'test' }, home)).toEqual({});
    mkdirSync(join(home, 'test'));
    const pilotArn = arn('us-east-1', 'pilotg1', PILOT_ACCOUNT);
    writeFileSync(
      join(home, 'test', 'state.json'),
      JSON.stringify({
        schemaVersion: 1,
        env: 'test',
        phases: {
          pilot: {
            release: 'baseline@1.0.0',
            status: 'passed',
            appliedAt: '2026-04-01T00:00:00Z',
            versions: { 'us-east-1': { account: PILOT_ACCOUNT, guardrailArn: pilotArn, guardrailId: 'pilotg1', version: '2' } },
          },
          ou: { release: null },
        },
        published: { 'baseline@1.0.0': { 'us-east-1': { guardrailArn: arn('us-east-1'), version: '3', account: MGMT } } },
      }),
    );
    const rec = await loadRecordedRollout({ name: 'test' }, home);
    expect(rec.phases).toEqual({
      pilot: {
        release: 'baseline@1.0.0',
        appliedAt: '2026-04-01T00:00:00Z',
        versions: { 'us-east-1': { guardrailArn: pilotArn, version: '2' } },
      },
    });
    expect(rec.published['baseline@1.0.0']['us-east-1']).toEqual({ guardrailArn: arn('us-east-1'), version: '3' });
  });
});

describe('rollout preview (CLI, sandbox environment)', () => {
  // Expected values come from environments/sandbox/environment.yaml: baseline system comprehensive,
  // messages selective, excluded as the file lists them; EXC-2026-001
  // (444444444443, +cohere.embed-multilingual-v3) runs to 2027-06-30; EXC-2026-002 (Dev OU,
  // system selective) ended 2026-10-31; EXC-2026-003 (555555555552, +titan-image-generator-v2)
  // runs to 2026-12-15.
  test('--phase enterprise shows every sandbox account in every region with the expected enforcement, exceptions only while unexpired', async () => {
    const env = await loadEnvironment('sandbox');
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    const prev = process.env.ROLLOUT_HOME;
    process.env.ROLLOUT_HOME = home;
    // The baseline list is the file's (an exception's @@append skips a model already in it).
    const BASE_EXCLUDED = env.enforcement.models.excluded;
    type Row = {
      region: string;
      level: string;
      system: string;
      messages: string;
      includedModels: string[];
      excludedModels: string[];
      exceptions: string[];
      release: string;
    };
    const preview = async (asOf: string) => {
      const r = await runCli(['preview', '--env', 'sandbox', '--phase', 'enterprise', '--as-of', asOf, '--json']);
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as { accounts: { account: string; enforcement: Row[] }[] };
    };
    const orgRows = (out: Awaited<ReturnType<typeof preview>>, account: string) =>
      out.accounts.find((a) => a.account === account)!.enforcement.filter((e) => e.level === 'organization');
    try {
      const nov = await preview('2026-11-25');
      expect(nov.accounts.map((a) => a.account).sort()).toEqual(env.organization.accounts.map((a) => a.id).sort());
      const extra: Record<string, [string, string]> = {
        '444444444443': ['EXC-2026-001', 'cohere.embed-multilingual-v3'],
        '555555555552': ['EXC-2026-003', 'amazon.titan-image-generator-v2:0'],
      };
      for (const a of env.organization.accounts) {
        const rows = orgRows(nov, a.id);
        expect(rows.map((x) => x.region).sort()).toEqual([...env.regions].sort());
        for (const row of rows) {
          const x = extra[a.id];
          expect({ account: a.id, ...row }).toMatchObject({
            account: a.id,
            release: env.currentRelease,
            // EXC-2026-002 has expired: the Dev OU accounts are back to a comprehensive system prompt.
            system: 'comprehensive',
            messages: 'selective',
            includedModels: ['ALL'],
            excludedModels: x ? [...new Set([...BASE_EXCLUDED, x[1]])] : BASE_EXCLUDED,
            // An exception is in effect where its @@append adds a model the baseline list lacks.
            exceptions: x && !BASE_EXCLUDED.includes(x[1]) ? [x[0]] : [],
          });
        }
      }
      // While EXC-2026-002 was valid, the Dev OU's system prompts were selective.
      const oct = await preview('2026-10-15');
      for (const id of ['555555555551', '555555555552', '555555555553']) {
        for (const row of orgRows(oct, id))
          expect(row).toMatchObject({ system: 'selective', exceptions: expect.arrayContaining(['EXC-2026-002']) });
      }
      expect(orgRows(oct, '444444444441').every((row) => row.system === 'comprehensive')).toBe(true);
      // The day after EXC-2026-003 ends, 555555555552 is back to the baseline.
      const dec = await preview('2026-12-16');
      for (const row of orgRows(dec, '555555555552')) expect(row).toMatchObject({ excludedModels: BASE_EXCLUDED, exceptions: [] });
      const multilingualInBase = BASE_EXCLUDED.includes('cohere.embed-multilingual-v3');
      for (const row of orgRows(dec, '444444444443')) expect(row.exceptions).toEqual(multilingualInBase ? [] : ['EXC-2026-001']);
    } finally {
      if (prev === undefined) delete process.env.ROLLOUT_HOME;
      else process.env.ROLLOUT_HOME = prev;
    }
  });

  test('--phase enterprise --json lists every sandbox account; bad flags exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    const prev = process.env.ROLLOUT_HOME;
    process.env.ROLLOUT_HOME = home;
    try {
      const r = await runCli(['preview', '--env', 'sandbox', '--phase', 'enterprise', '--as-of', '2026-05-01', '--json', '--diff']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.out);
      // Same envelope as the other verbs' documents (docs/policy-engine.md), existing fields kept.
      expect(out).toMatchObject({
        schemaVersion: 1,
        kind: 'preview',
        env: 'sandbox',
        phase: 'enterprise',
        release: expect.any(String),
        asOf: expect.any(String),
      });
      expect(Object.keys(out).slice(0, 2)).toEqual(['schemaVersion', 'kind']);
      expect(out.phase).toBe('enterprise');
      expect(out.accounts.length).toBeGreaterThan(1);
      expect(out.accounts.every((a: { enforcement: unknown[] }) => a.enforcement.length > 0)).toBe(true);
      expect(out.diff.changedAccounts).toBe(out.accounts.length);
      const md = await runCli(['preview', '--env', 'sandbox', '--phase', 'ou', '--markdown']);
      expect(md.out).toMatch(/^## Effective enforcement preview/);
      expect(md.out).toMatch(/### Child control of the baseline/);
      expect((await runCli(['preview', '--env', 'sandbox', '--as-of', '2026-02-30'])).code).toBe(2);
      expect((await runCli(['preview', '--env', 'sandbox', '--phase', 'everything'])).code).toBe(2);
      expect((await runCli(['preview', '--env', 'sandbox', '--release', 'nope@1'])).code).toBe(2);
    } finally {
      if (prev === undefined) delete process.env.ROLLOUT_HOME;
      else process.env.ROLLOUT_HOME = prev;
    }
  });
});
