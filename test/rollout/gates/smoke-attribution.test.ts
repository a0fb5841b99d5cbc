/**
 * Issue 9, item 4: smoke judges the layer under test. Every intervention in the trace is
 * attributed to its guardrail (ARN, version, origin); a must-block case counts only when the
 * guardrail of the release being promoted blocked it; cases that cannot apply to an account
 * (its effective settings, exceptions included) are skipped there with the reason recorded.
 * Pure verdicts first, then the failure stories on the sandbox through real SDK calls.
 */
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type { Environment, Phase, SmokeCase } from '../../../model/types.js';
import { runSmoke } from '../../../rollout/gates/index.js';
import { isSkipped } from '../../../rollout/gates/smoke/index.js';
import { judge, type LayerEvidence, type UnderTest } from '../../../rollout/gates/smoke/attribution.js';
import { classifyConverse, invokeTrace, layersOf, type ConverseEvidence } from '../../../rollout/gates/smoke/outcome.js';
import { converseInput } from '../../../rollout/gates/smoke/requests.js';
import { governedByOtherRelease, settingsFor, skipReason } from '../../../rollout/gates/smoke/settings.js';
import type { CheckResult, GateResult } from '../../../rollout/state/contracts.js';
import {
  EXPIRING_EXCEPTION,
  NO_SSN_RELEASE,
  sandboxEnvironment,
  startFixture,
  withExpiringException,
  withoutSsnFilter,
} from '../../helpers/sandbox-fixture.js';

const R1 = 'baseline@2026.11.1';
const R2 = 'baseline@2026.11.2';
const failed = (r: GateResult) => r.checks.filter((c) => c.status === 'failed');
const show = (r: GateResult) =>
  `${r.summary}\n${r.checks
    .filter((c) => c.status !== 'passed')
    .map((c) => `  ${c.status} ${c.id}: ${c.detail}`)
    .join('\n')}`;
const caseChecks = (r: GateResult, id: string) => r.checks.filter((c) => c.id.startsWith(`smoke:${id}@`));
const layersOfCheck = (c: CheckResult) => (c.evidence as { layers: LayerEvidence[] }).layers;

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});

// ─────────────── pure: reading the trace and judging a case ───────────────

const ORG = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/org1';
const ACCT = 'arn:aws:bedrock:us-east-1:666666666661:guardrail/acct1';
const pilotUnderTest: UnderTest = {
  phase: 'pilot',
  release: 'r-new',
  origin: 'ACCOUNT_ENFORCED',
  arn: ACCT,
  guardrailId: 'acct1',
  version: '2',
};
const assessment = (arn: string, version: string, origin: string, policies: Record<string, unknown> = {}) => ({
  ...policies,
  appliedGuardrailDetails: { guardrailArn: arn, guardrailId: arn.split('/')[1], guardrailVersion: version, guardrailOrigin: [origin] },
});
const ssnBlock = {
  sensitiveInformationPolicy: { piiEntities: [{ type: 'US_SOCIAL_SECURITY_NUMBER', action: 'BLOCKED', detected: true }] },
};
const emailMask = { sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZED', detected: true }] } };
const kase = (expect: SmokeCase['expect'], extra: Partial<SmokeCase> = {}): SmokeCase => ({
  id: 'x',
  surface: 'message',
  model: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  content: 'c',
  expect,
  ...extra,
});
/** The judge's input from a trace, as cases.ts builds it (release names given for the other layers). */
function verdictOf(c: SmokeCase, ev: ConverseEvidence, ut: UnderTest, names: Record<string, string> = {}) {
  const layers: LayerEvidence[] = layersOf(ev).map((l) => {
    const underTest = l.arn === ut.arn && l.version === ut.version && l.origin.includes(ut.origin);
    return { ...l, release: underTest ? ut.release : names[`${l.arn}:${l.version}`], underTest };
  });
  return judge(c, classifyConverse(ev), layers, ut, ev.stopReason);
}

describe('attribution: every intervention belongs to a guardrail', () => {
  it('layersOf merges input and output assessments per guardrail ARN + version, with origins and findings', () => {
    const layers = layersOf({
      stopReason: 'guardrail_intervened',
      trace: {
        guardrail: {
          inputAssessment: {
            org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', ssnBlock),
            acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED'),
          },
          outputAssessments: { acct1: [assessment(ACCT, '2', 'ACCOUNT_ENFORCED', emailMask)] },
        },
      },
    });
    expect(layers).toEqual([
      expect.objectContaining({
        arn: ORG,
        version: '1',
        origin: ['ORGANIZATION_ENFORCED'],
        blocked: ['sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED'],
        anonymized: [],
      }),
      expect.objectContaining({
        arn: ACCT,
        version: '2',
        origin: ['ACCOUNT_ENFORCED'],
        blocked: [],
        anonymized: ['sensitiveInformationPolicy:EMAIL=ANONYMIZED'],
      }),
    ]);
  });

  it('reads the InvokeModel trace (input map, outputs list) in the same shape', () => {
    const body = JSON.stringify({
      outputText: 'x',
      'amazon-bedrock-guardrailAction': 'INTERVENED',
      'amazon-bedrock-trace': {
        guardrail: {
          input: { org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', ssnBlock) },
          outputs: [{ org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED') }],
        },
      },
    });
    const trace = invokeTrace(body);
    expect(Object.keys(trace!.guardrail!.outputAssessments!)).toEqual(['org1']);
    expect(layersOf({ trace })).toEqual([
      expect.objectContaining({ arn: ORG, blocked: ['sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED'] }),
    ]);
    expect(invokeTrace(JSON.stringify({ embedding: [1] }))).toBeUndefined();
  });

  it('a must-block case blocked only by another layer fails, naming that layer and the guardrail under test', () => {
    const v = verdictOf(
      kase('blocked'),
      {
        stopReason: 'guardrail_intervened',
        trace: {
          guardrail: {
            inputAssessment: {
              org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', ssnBlock),
              acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED'),
            },
          },
        },
      },
      pilotUnderTest,
      { [`${ORG}:1`]: 'r-old' },
    );
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(
      /^expected blocked by the guardrail under test \(account-enforced .*acct1:2 \(release r-new\)\) .* but it assessed the call and did not block it; blocked only by organization-enforced .*org1:1 \(release r-old\)/,
    );
    expect(v.attribution.counted).toBe(false);
  });

  it('a must-block case passes when the guardrail under test blocked it; other layers are reported beside it', () => {
    const v = verdictOf(
      kase('blocked'),
      {
        stopReason: 'guardrail_intervened',
        trace: {
          guardrail: {
            inputAssessment: {
              org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', ssnBlock),
              acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED', ssnBlock),
            },
          },
        },
      },
      pilotUnderTest,
    );
    expect(v).toMatchObject({ status: 'passed', attribution: { counted: true } });
    expect(v.detail).toMatch(
      /^blocked as expected by the guardrail under test, account-enforced .*acct1:2 .*; also blocked by organization-enforced .*org1:1.*\(not counted\)$/,
    );
  });

  it('the same guardrail version through another origin is not the layer under test', () => {
    const v = verdictOf(
      kase('blocked'),
      {
        stopReason: 'guardrail_intervened',
        trace: { guardrail: { inputAssessment: { acct1: assessment(ACCT, '2', 'ORGANIZATION_ENFORCED', ssnBlock) } } },
      },
      pilotUnderTest,
    );
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(/but it did not assess the call; blocked only by organization-enforced/);
  });

  it('blocked with no guardrail named in the response is missing evidence (inconclusive), never a pass', () => {
    expect(verdictOf(kase('blocked'), { stopReason: 'guardrail_intervened' }, pilotUnderTest).status).toBe('inconclusive');
    // No published version of the release under test for the region: cannot attribute.
    const { arn: _a, guardrailId: _g, version: _v, ...unknown } = pilotUnderTest;
    expect(verdictOf(kase('blocked'), { stopReason: 'guardrail_intervened' }, unknown).status).toBe('inconclusive');
  });

  it('a must-pass case fails when any layer blocks it, naming the layer', () => {
    const v = verdictOf(
      kase('allowed'),
      {
        stopReason: 'guardrail_intervened',
        trace: {
          guardrail: {
            inputAssessment: {
              org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', ssnBlock),
              acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED'),
            },
          },
        },
      },
      pilotUnderTest,
    );
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(
      /^OVERBLOCKING: a must-pass case was blocked on \S+ \(message\) .* — blocked by organization-enforced .*org1:1$/,
    );
  });

  it('must-anonymize: counted when the guardrail under test masked it; a mask by an earlier layer is said, not counted', () => {
    const mine = verdictOf(
      kase('anonymized'),
      {
        stopReason: 'guardrail_intervened',
        trace: { guardrail: { inputAssessment: { acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED', emailMask) } } },
      },
      pilotUnderTest,
    );
    expect(mine).toMatchObject({ status: 'passed', attribution: { counted: true } });
    const earlier = verdictOf(
      kase('anonymized'),
      {
        stopReason: 'guardrail_intervened',
        trace: {
          guardrail: {
            inputAssessment: {
              org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', emailMask),
              acct1: assessment(ACCT, '2', 'ACCOUNT_ENFORCED'),
            },
          },
        },
      },
      pilotUnderTest,
    );
    expect(earlier).toMatchObject({ status: 'passed', attribution: { counted: false } });
    expect(earlier.detail).toMatch(/not evidence about it$/);
    // The guardrail under test absent from the trace: failed.
    const absent = verdictOf(
      kase('anonymized'),
      {
        stopReason: 'guardrail_intervened',
        trace: { guardrail: { inputAssessment: { org1: assessment(ORG, '1', 'ORGANIZATION_ENFORCED', emailMask) } } },
      },
      pilotUnderTest,
    );
    expect(absent.status).toBe('failed');
  });
});

describe('effective settings per account and skips', () => {
  const ctxOf = (phase: Phase, asOf: string, phaseStacks: Partial<Record<Phase, { release: string }>> = {}) => ({
    env,
    phase,
    release: R2,
    asOf: new Date(asOf),
    phaseStacks,
  });

  it('enterprise: an active `system: selective` exception changes the mode for accounts under its target only, and only in enterprise', () => {
    const dev = '555555555551';
    expect(settingsFor(env, 'enterprise', dev, new Date('2026-10-15'))).toMatchObject({
      system: 'selective',
      systemFrom: expect.stringMatching(/EXC-2026-002/),
    });
    expect(settingsFor(env, 'enterprise', dev, new Date('2026-11-25')).system).toBe('comprehensive'); // expired
    expect(settingsFor(env, 'enterprise', '444444444441', new Date('2026-10-15')).system).toBe('comprehensive');
    expect(settingsFor(env, 'ou', dev, new Date('2026-10-15')).system).toBe('comprehensive');
  });

  it('skips an untagged system-prompt must-block case under `system: selective`, never a must-pass case or a tagged one', () => {
    const c = env.phases.enterprise.smoke.find((x) => x.id === 'block-system-violence')!;
    const ctx = ctxOf('enterprise', '2026-10-15');
    expect(skipReason(ctx, c, '555555555551', true)).toMatch(/^system prompts are guarded selectively in this account .*EXC-2026-002/);
    expect(skipReason(ctx, { ...c, tagged: true }, '555555555551', true)).toBeUndefined();
    expect(skipReason(ctx, { ...c, expect: 'allowed' }, '555555555551', true)).toBeUndefined();
    expect(skipReason(ctx, c, '444444444441', true)).toBeUndefined();
  });

  it('skips a must-block case on a model an active exception excludes for the account', () => {
    // EXPIRING_EXCEPTION excludes a chat model for one account; active on 2026-10-15.
    const ctx = { ...ctxOf('enterprise', '2026-10-15'), env: withExpiringException(env) };
    const c = kase('blocked', { model: EXPIRING_EXCEPTION.changes.excludedModels![0]! });
    expect(skipReason(ctx, c, EXPIRING_EXCEPTION.target, true)).toMatch(
      new RegExp(`excluded from enforcement in this account \\(exception ${EXPIRING_EXCEPTION.id}\\)`),
    );
    expect(skipReason(ctx, c, '444444444441', true)).toBeUndefined();
    expect(skipReason(ctx, { ...c, expect: 'allowed' }, EXPIRING_EXCEPTION.target, true)).toBeUndefined();
    // Exception exclusions attach with the enterprise stack only.
    expect(skipReason({ ...ctx, phase: 'ou' }, c, EXPIRING_EXCEPTION.target, true)).toBeUndefined();
  });

  it('org phases: an account whose identifier a narrower phase assigns with another release is not guarded by the release under test', () => {
    const stacks = { pilot: { release: R2 }, 'model-rules': { release: R1 }, ou: { release: R2 }, enterprise: { release: R2 } };
    expect(governedByOtherRelease(ctxOf('enterprise', '2026-11-25', stacks), env.pilot.account)).toEqual({
      phase: 'model-rules',
      release: R1,
    });
    expect(governedByOtherRelease(ctxOf('enterprise', '2026-11-25', stacks), '666666666663')).toBeUndefined();
    expect(governedByOtherRelease(ctxOf('model-rules', '2026-11-25', stacks), env.pilot.account)).toBeUndefined();
    expect(governedByOtherRelease(ctxOf('pilot', '2026-11-25', stacks), env.pilot.account)).toBeUndefined();
  });
});

// ─────────────── on the sandbox, through real SDK calls ───────────────

describe('smoke on the sandbox: the layer under test', () => {
  it('issue example 5: a release that drops the SSN filter halts at pilot — the SSN case is blocked only by the organization-enforced previous release', async () => {
    const fx = await startFixture({ env: withoutSsnFilter(await sandboxEnvironment()) });
    try {
      // Baseline through all four phases: every phase's smoke passes, the SSN case counted for its own guardrail.
      const releases: Partial<Record<Phase, string>> = {};
      for (const phase of ['pilot', 'model-rules', 'ou', 'enterprise'] as const) {
        releases[phase] = R2;
        const out = await fx.deploy(releases);
        const published =
          phase === 'pilot'
            ? fx.published(out.pilot!.outputs, R2, fx.env.pilot.account)
            : fx.published(out.guardrails!.outputs, R2, fx.env.managementAccountId);
        const smoke = await runSmoke(fx.context(phase, R2, releases, published));
        expect({ phase, status: smoke.status, detail: show(smoke) }).toEqual({ phase, status: 'passed', detail: show(smoke) });
        for (const c of caseChecks(smoke, 'block-pii-ssn')) {
          expect(c.evidence).toMatchObject({
            counted: true,
            underTest: { phase, release: R2, origin: phase === 'pilot' ? 'ACCOUNT_ENFORCED' : 'ORGANIZATION_ENFORCED' },
          });
          const mine = layersOfCheck(c).find((l) => l.underTest)!;
          expect(mine.arn).toBe(published[c.region!]!.guardrailArn);
          expect(mine.blocked).toContain('sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED');
        }
      }

      // The release without the SSN filter, promoted to pilot.
      const next = { ...releases, pilot: NO_SSN_RELEASE };
      const out = await fx.deploy(next);
      const published = fx.published(out.pilot!.outputs, NO_SSN_RELEASE, fx.env.pilot.account);
      const smoke = await runSmoke(fx.context('pilot', NO_SSN_RELEASE, next, published));
      expect(smoke.status).toBe('failed');
      const bad = failed(smoke);
      // Only the SSN case fails, in every region; every other case still holds.
      expect(bad.map((c) => c.id).sort()).toEqual(fx.env.regions.map((r) => `smoke:block-pii-ssn@${fx.env.pilot.account}/${r}`).sort());
      expect(smoke.summary).toMatch(/failed: block-pii-ssn$/);
      for (const c of bad) {
        const pilotArn = published[c.region!]!.guardrailArn;
        const pilotVersion = published[c.region!]!.version;
        expect(c.detail).toContain(
          `expected blocked by the guardrail under test (account-enforced ${pilotArn}:${pilotVersion} (release ${NO_SSN_RELEASE}))`,
        );
        expect(c.detail).toMatch(
          /but it assessed the call and did not block it; blocked only by organization-enforced arn:aws:bedrock:[a-z0-9-]+:111111111111:guardrail\/\w+:\d+ \(release baseline@2026\.11\.2\) \(sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED\) — a block by another layer does not count$/,
        );
        expect(c.evidence).toMatchObject({
          outcome: 'blocked',
          counted: false,
          underTest: { phase: 'pilot', release: NO_SSN_RELEASE, origin: 'ACCOUNT_ENFORCED', arn: pilotArn },
        });
        const layers = layersOfCheck(c);
        expect(layers.find((l) => l.underTest)).toMatchObject({ arn: pilotArn, origin: ['ACCOUNT_ENFORCED'], blocked: [] });
        expect(layers.find((l) => !l.underTest)).toMatchObject({
          origin: ['ORGANIZATION_ENFORCED'],
          release: R2,
          blocked: ['sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED'],
        });
      }
      // The cases the new release still blocks are counted for it.
      for (const c of caseChecks(smoke, 'block-violence')) expect(c).toMatchObject({ status: 'passed', evidence: { counted: true } });
    } finally {
      await fx.close();
    }
  }, 60_000);

  it('issue example 4: enterprise as of 2026-10-15 skips block-system-violence where `system: selective` is in force, with the reason; must-pass still runs there', async () => {
    const asOf = new Date('2026-10-15T12:00:00Z');
    const fx = await startFixture({ asOf });
    try {
      const releases = { pilot: R2, 'model-rules': R2, ou: R2, enterprise: R2 };
      const out = await fx.deploy(releases);
      const published = fx.published(out.guardrails!.outputs, R2, fx.env.managementAccountId);
      const smoke = await runSmoke(fx.context('enterprise', R2, releases, published));
      expect({ status: smoke.status, detail: show(smoke) }).toEqual({ status: 'passed', detail: show(smoke) });

      const devOu = new Set(fx.env.organization.accounts.filter((a) => a.parent === 'ou-sb01-dev00001').map((a) => a.id));
      const system = caseChecks(smoke, 'block-system-violence');
      const skipped = system.filter(isSkipped);
      expect(skipped.length).toBeGreaterThan(0);
      for (const c of skipped) {
        expect(devOu.has(c.account!)).toBe(true);
        expect(c.status).toBe('passed');
        expect(c.detail).toMatch(
          /^skipped: system prompts are guarded selectively in this account \(system: selective, exception EXC-2026-002 on ou-sb01-dev00001/,
        );
        expect(c.evidence).toEqual({ skipped: true, reason: c.detail.replace(/^skipped: /, ''), expect: 'blocked' });
      }
      // Everywhere else the case ran and was blocked by the organization-enforced release under test.
      for (const c of system.filter((x) => !isSkipped(x))) {
        expect(devOu.has(c.account!)).toBe(false);
        expect(c.evidence).toMatchObject({ counted: true, underTest: { origin: 'ORGANIZATION_ENFORCED', release: R2 } });
      }
      expect(smoke.summary).toMatch(/of the passed are skipped \(case cannot apply to the account\): block-system-violence@555555555551/);

      // The skip hides no block: from that account the untagged system prompt is indeed not evaluated
      // (the old rule failed the case here), while the must-pass system-prompt case ran and passed.
      const account = skipped[0]!.account!;
      const region = skipped[0]!.region!;
      const c = fx.env.phases.enterprise.smoke.find((x) => x.id === 'block-system-violence')!;
      const direct = await fx.access.forAccount(account, region).runtime.send(new ConverseCommand(converseInput(c)));
      expect(classifyConverse({ stopReason: direct.stopReason, trace: direct.trace as ConverseEvidence['trace'] }).outcome).toBe('allowed');
      const longPrompt = smoke.checks.find((x) => x.id === `smoke:pass-long-system-prompt@${account}/${region}`)!;
      expect(longPrompt).toMatchObject({ status: 'passed', detail: 'allowed as expected' });
      expect(isSkipped(longPrompt)).toBe(false);
    } finally {
      await fx.close();
    }
  }, 60_000);

  it('enterprise while model-rules runs another release: the pilot account is not judged against the release under test (no false failure)', async () => {
    const fx = await startFixture();
    try {
      const releases = { pilot: R2, 'model-rules': R2, ou: R1, enterprise: R1 };
      const out = await fx.deploy(releases);
      const published = fx.published(out.guardrails!.outputs, R1, fx.env.managementAccountId);
      const smoke = await runSmoke(fx.context('enterprise', R1, releases, published));
      expect({ status: smoke.status, detail: show(smoke) }).toEqual({ status: 'passed', detail: show(smoke) });
      const pilot = smoke.checks.filter((c) => c.account === fx.env.pilot.account && c.id.startsWith('smoke:block-'));
      expect(pilot.length).toBeGreaterThan(0);
      for (const c of pilot) {
        expect(isSkipped(c)).toBe(true);
        expect(c.detail).toMatch(/assigned by the model-rules phase's policy, which runs release baseline@2026\.11\.2/);
      }
      // The other pilot-OU accounts (ou runs R1) and the rest of the organization are judged on R1's guardrail.
      const judged = smoke.checks.filter((c) => c.account !== fx.env.pilot.account && c.id.startsWith('smoke:block-violence@'));
      expect(judged.length).toBeGreaterThan(0);
      for (const c of judged) expect(c.evidence).toMatchObject({ counted: true, underTest: { release: R1 } });
    } finally {
      await fx.close();
    }
  }, 60_000);
});
