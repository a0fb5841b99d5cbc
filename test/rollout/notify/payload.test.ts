/** Pure parts: the generic payload, the Slack message, the events built from results and exceptions. */
import type { EnforcementException } from '../../../model/types.js';
import {
  buildPayload,
  exceptionsExpiringEvent,
  gateFailedEvent,
  MAX_PAYLOAD_CHECKS,
  resultEvents,
  SLACK_LIST_CAP,
  slackMessage,
  type NotificationEvent,
} from '../../../rollout/notify/index.js';

const ctx = { env: 'acme', at: new Date('2026-12-01T10:00:00Z'), toolVersion: '0.1.0' };
const checks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    gate: 'smoke',
    id: `smoke:case-${i}@1111111111${String(i).padStart(2, '0')}/us-east-1`,
    status: 'failed',
    detail: `<b>${i}</b> & more`,
  }));

describe('generic payload', () => {
  test('versioned, documented key order, absent fields left out', () => {
    const p = buildPayload({ event: 'promotion-started', phase: 'pilot', summary: 'promoting' }, ctx);
    expect(Object.keys(p)).toEqual(['schemaVersion', 'event', 'env', 'phase', 'summary', 'at', 'toolVersion']);
    expect(p).toEqual({
      schemaVersion: 1,
      event: 'promotion-started',
      env: 'acme',
      phase: 'pilot',
      summary: 'promoting',
      at: '2026-12-01T10:00:00.000Z',
      toolVersion: '0.1.0',
    });
  });

  test('checks are capped with a count of the rest', () => {
    const p = buildPayload({ event: 'gate-failed', summary: 's', checks: checks(MAX_PAYLOAD_CHECKS + 7) }, ctx);
    expect(p.checks).toHaveLength(MAX_PAYLOAD_CHECKS);
    expect(p.omittedChecks).toBe(7);
  });
});

describe('slack message', () => {
  const event: NotificationEvent = {
    event: 'promotion-halted',
    phase: 'ou',
    release: 'baseline@2026.11.2',
    unit: 'f'.repeat(64),
    attemptId: 'att-9',
    summary: 'baseline@2026.11.2 halted at ou <!channel>',
    checks: checks(SLACK_LIST_CAP + 3),
  };
  const msg = slackMessage(buildPayload(event, ctx));

  test('a readable text fallback', () => {
    expect(msg.text).toBe('[acme / ou] promotion-halted: baseline@2026.11.2 halted at ou &lt;!channel&gt; (13 failed checks)');
  });

  test('header, a section with fields, the failed checks capped with "and N more", a context line', () => {
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    const [header, main, failed] = msg.blocks as any[];
    expect(header.text).toEqual({ type: 'plain_text', text: '🛑 Promotion halted — acme / ou', emoji: true });
    expect(main.text.text).toContain('&lt;!channel&gt;'); // no mention smuggled in through a summary
    expect(main.fields.map((f: { text: string }) => f.text.split('\n')[0])).toEqual([
      '*Environment*',
      '*Phase*',
      '*Release*',
      '*Unit*',
      '*Attempt*',
      '*Event*',
    ]);
    const lines = failed.text.text.split('\n');
    expect(lines[0]).toBe('*Failed checks (13)*');
    expect(lines.filter((l: string) => l.startsWith('• '))).toHaveLength(SLACK_LIST_CAP);
    expect(lines.at(-1)).toBe('_and 3 more_');
    expect(failed.text.text).toContain('&lt;b&gt;0&lt;/b&gt; &amp; more');
  });

  test('the omitted checks of a capped payload count toward "and N more"', () => {
    const p = buildPayload({ event: 'gate-failed', summary: 's', checks: checks(MAX_PAYLOAD_CHECKS + 5) }, ctx);
    const failed = slackMessage(p).blocks[2] as any;
    expect(failed.text.text).toContain(`*Failed checks (${MAX_PAYLOAD_CHECKS + 5})*`);
    expect(failed.text.text).toContain(`_and ${MAX_PAYLOAD_CHECKS + 5 - SLACK_LIST_CAP} more_`);
  });

  test('expiring exceptions are listed', () => {
    const p = buildPayload(
      {
        event: 'exceptions-expiring',
        summary: '1 exception expires',
        exceptions: [{ id: 'EXC-1', target: '111111111111', expires: '2026-12-05', daysLeft: 4, owner: 'team-a' }],
      },
      ctx,
    );
    const m = slackMessage(p);
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect((m.blocks[2] as any).text.text).toContain('`EXC-1` on `111111111111` expires 2026-12-05 (4 days left), owner team-a');
  });
});

describe('events', () => {
  const exc = (id: string, expires: string): EnforcementException => ({
    id,
    target: '111111111111',
    changes: { excludedModels: ['amazon.titan-embed-text-v2:0'] },
    owner: `owner-${id}`,
    reason: 'r',
    approver: 'a',
    expires,
  });
  const env = { exceptions: [exc('LATER', '2026-12-31'), exc('SOON', '2026-12-05'), exc('GONE', '2026-11-30'), exc('EDGE', '2026-12-15')] };

  test('exceptionsExpiringEvent picks the active exceptions within N days, soonest first', () => {
    const e = exceptionsExpiringEvent(env, new Date('2026-12-01T12:00:00Z'), 14);
    expect(e?.event).toBe('exceptions-expiring');
    expect(e?.exceptions).toEqual([
      { id: 'SOON', target: '111111111111', expires: '2026-12-05', daysLeft: 4, owner: 'owner-SOON' },
      { id: 'EDGE', target: '111111111111', expires: '2026-12-15', daysLeft: 14, owner: 'owner-EDGE' },
    ]);
    expect(e?.summary).toBe('2 exceptions expire within 14 days (first: SOON, 4 days left)');
  });

  test('exceptionsExpiringEvent is undefined when none is within N days', () => {
    expect(exceptionsExpiringEvent(env, new Date('2026-12-01T12:00:00Z'), 3)).toBeUndefined();
    expect(exceptionsExpiringEvent({ exceptions: [] }, new Date(), 14)).toBeUndefined();
  });

  test('gateFailedEvent: failed checks, or the gate itself when it failed without any', () => {
    const base = { phase: 'pilot' as const, release: 'r@1', attemptId: 'a1' };
    const g = {
      gate: 'smoke' as const,
      status: 'failed' as const,
      summary: '1 of 2 failed',
      checks: [
        { id: 'x', status: 'passed' as const, detail: 'ok' },
        { id: 'y', status: 'failed' as const, detail: 'bad' },
      ],
    };
    expect(gateFailedEvent(g, base)).toEqual({
      event: 'gate-failed',
      ...base,
      summary: 'gate smoke failed: 1 of 2 failed',
      checks: [{ gate: 'smoke', id: 'y', status: 'failed', detail: 'bad' }],
    });
    expect(gateFailedEvent({ ...g, status: 'inconclusive', checks: [] }, base)?.checks).toEqual([
      { gate: 'smoke', id: 'smoke', status: 'inconclusive', detail: '1 of 2 failed' },
    ]);
    expect(gateFailedEvent({ ...g, status: 'passed' }, base)).toBeUndefined();
  });

  test('resultEvents maps a flow result to its events', () => {
    const r = {
      kind: 'promote' as const,
      phase: 'pilot' as const,
      release: 'r@1',
      unit: { hash: 'h' },
      attemptId: 'a1',
      message: 'first line\nmore',
      failedChecks: [],
    };
    expect(resultEvents({ ...r, outcome: 'promoted' }).map((e) => e.event)).toEqual(['promotion-passed']);
    expect(resultEvents({ ...r, outcome: 'baking' }).map((e) => e.event)).toEqual(['promotion-passed']);
    expect(resultEvents({ ...r, outcome: 'no-op' })).toEqual([]);
    const rb = resultEvents({ ...r, outcome: 'rolled-back', rollback: { to: null, status: 'rolled-back' } });
    expect(rb.map((e) => [e.event, e.summary])).toEqual([
      ['promotion-halted', 'first line'],
      ['rolled-back', 'pilot rolled back to nothing (rolled-back)'],
    ]);
    expect(rb[0]).toMatchObject({ phase: 'pilot', release: 'r@1', unit: 'h', attemptId: 'a1' });
    expect(resultEvents({ ...r, kind: 'rollback', outcome: 'rolled-back', release: null }).map((e) => e.event)).toEqual(['rolled-back']);
  });
});
