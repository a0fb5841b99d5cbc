/**
 * Delivery against a real local HTTP receiver: payloads arrive and parse, 5xx is retried, 4xx is
 * not, dead and silent receivers end within the budget as recorded outcomes, `${env:VAR}` URLs
 * resolve at send time and no URL ever reaches the ledger.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotificationSettings, NotificationSink } from '../../../model/types.js';
import { createNotifier, type NotificationEvent } from '../../../rollout/notify/index.js';
import { Ledger, type LedgerEntry } from '../../../rollout/state/ledger.js';
import { deadPort, startReceiver, type Receiver } from './receiver.js';

let home: string;
let receivers: Receiver[];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'notify-'));
  receivers = [];
});
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(home, { recursive: true, force: true });
});

const ALL = [
  'promotion-started',
  'promotion-passed',
  'promotion-halted',
  'rolled-back',
  'gate-failed',
  'exceptions-expiring',
] as NotificationSink['events'];

function settings(sinks: Partial<NotificationSink>[], over: Partial<NotificationSettings> = {}): NotificationSettings {
  return {
    sinks: sinks.map((s, i) => ({ name: `sink-${i}`, type: 'webhook', url: 'http://127.0.0.1:9/', events: ALL, ...s })),
    timeoutSeconds: 5,
    retries: 3,
    exceptionsExpiringWithinDays: 14,
    ...over,
  };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

function notifierFor(
  notifications: NotificationSettings,
  extra: { envVars?: NodeJS.ProcessEnv; sleep?: (ms: number) => Promise<void> } = {},
) {
  const ledger = new Ledger(join(home, 'ledger.jsonl'), 'acme', '2026-12-01');
  const notifier = createNotifier({
    env: { name: 'acme', notifications },
    ledger,
    now: () => new Date('2026-12-01T10:00:00.000Z'),
    sleep: async () => undefined, // back-off is instant here; the budget still runs on real time
    random: () => 0.5,
    ...extra,
  });
  return { notifier, ledger };
}

const halted: NotificationEvent = {
  event: 'promotion-halted',
  phase: 'pilot',
  release: 'baseline@2026.11.2',
  unit: 'a'.repeat(64),
  attemptId: 'att-1',
  summary: 'baseline@2026.11.2 halted at pilot',
  checks: [{ gate: 'smoke', id: 'smoke:must-block@222222222222/us-east-1', status: 'failed', detail: 'was allowed' }],
};

const notifications = (entries: LedgerEntry[]) => entries.filter((e) => e.kind === 'notification').map((e) => e.notification);

test('the generic JSON payload is POSTed, parses, and the delivery is recorded', async () => {
  const r = await receiver();
  const { notifier, ledger } = notifierFor(settings([{ name: 'ops-hook', url: r.url }]));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary).toMatchObject({ delivered: 1, failed: 0, abandoned: 0, recorded: 1 });
  expect(r.received).toHaveLength(1);
  expect(r.received[0].method).toBe('POST');
  expect(r.received[0].headers['content-type']).toBe('application/json');
  expect(r.received[0].json).toEqual({
    schemaVersion: 1,
    event: 'promotion-halted',
    env: 'acme',
    phase: 'pilot',
    release: 'baseline@2026.11.2',
    unit: 'a'.repeat(64),
    attemptId: 'att-1',
    summary: 'baseline@2026.11.2 halted at pilot',
    checks: [{ gate: 'smoke', id: 'smoke:must-block@222222222222/us-east-1', status: 'failed', detail: 'was allowed' }],
    at: '2026-12-01T10:00:00.000Z',
    toolVersion: expect.any(String),
  });
  const entries = await ledger.read();
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    kind: 'notification',
    env: 'acme',
    attemptId: 'att-1',
    phase: 'pilot',
    release: 'baseline@2026.11.2',
  });
  expect(entries[0].notification).toEqual({
    sink: 'ops-hook',
    event: 'promotion-halted',
    attempt: 1,
    outcome: 'delivered',
    durationMs: expect.any(Number),
  });
});

test('a slack sink receives text and blocks; only subscribed events are sent', async () => {
  const r = await receiver();
  const { notifier } = notifierFor(settings([{ name: 'platform-slack', type: 'slack', url: r.url, events: ['promotion-halted'] }]));
  notifier.emit({ event: 'promotion-started', phase: 'pilot', summary: 'promoting' });
  notifier.emit(halted);
  await notifier.settle();
  expect(r.received).toHaveLength(1);
  const msg = r.received[0].json as { text: string; blocks: { type: string }[] };
  expect(msg.text).toContain('promotion-halted');
  expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
});

test('500 then 200: retried and delivered, both attempts recorded', async () => {
  const r = await receiver((n) => (n === 0 ? 500 : 200));
  const { notifier, ledger } = notifierFor(settings([{ url: r.url }]));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.delivered).toBe(1);
  expect(summary.deliveries[0].attempts.map((a) => a.outcome)).toEqual(['http-500', 'delivered']);
  expect(r.received).toHaveLength(2);
  // The same idempotency key on the retry, so the receiver can drop a duplicate.
  expect(r.received[1].headers['idempotency-key']).toBe(r.received[0].headers['idempotency-key']);
  expect(notifications(await ledger.read()).map((n) => [n?.attempt, n?.outcome])).toEqual([
    [1, 'http-500'],
    [2, 'delivered'],
  ]);
});

test('429 and 5xx are retried up to `retries` times, then failed', async () => {
  const r = await receiver((n) => (n % 2 ? 503 : 429));
  const { notifier } = notifierFor(settings([{ url: r.url }], { retries: 2 }));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.deliveries[0]).toMatchObject({ status: 'failed' });
  expect(summary.deliveries[0].attempts.map((a) => a.outcome)).toEqual(['http-429', 'http-503', 'http-429']);
});

test('a 400 is not retried', async () => {
  const r = await receiver(() => 400);
  const { notifier, ledger } = notifierFor(settings([{ url: r.url }]));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary).toMatchObject({ delivered: 0, failed: 1, recorded: 1 });
  expect(r.received).toHaveLength(1);
  expect(notifications(await ledger.read())).toEqual([expect.objectContaining({ attempt: 1, outcome: 'http-400' })]);
});

test('a dead receiver: network errors retried with real back-off, settle() ends within the budget, outcomes recorded', async () => {
  const port = await deadPort();
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const { notifier, ledger } = notifierFor(settings([{ url: `http://127.0.0.1:${port}/hook` }], { timeoutSeconds: 0.4, retries: 5 }), {
    sleep,
  });
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.delivered).toBe(0);
  // 5 retries do not fit in 0.4 s of back-off (≥ 125 + 250 + 500 ms): the budget ends the delivery.
  expect(summary.deliveries[0].status).toBe('abandoned');
  const outcomes = summary.deliveries[0].attempts.map((a) => a.outcome);
  expect(outcomes.length).toBeGreaterThanOrEqual(2);
  expect(outcomes.length).toBeLessThan(6);
  for (const o of outcomes) expect(o).toMatch(/^error: .*ECONNREFUSED/);
  expect(notifications(await ledger.read()).map((n) => n?.outcome)).toEqual(outcomes);
});

test('a receiver that accepts but never answers: the attempt is abandoned at the budget', async () => {
  const r = await receiver(() => 'hang');
  const { notifier, ledger } = notifierFor(settings([{ url: r.url }], { timeoutSeconds: 0.3 }));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary).toMatchObject({ delivered: 0, abandoned: 1, recorded: 1 });
  expect(r.received).toHaveLength(1);
  expect(notifications(await ledger.read())).toEqual([expect.objectContaining({ attempt: 1, outcome: 'abandoned' })]);
});

test('several sinks deliver concurrently; the ledger chain stays intact', async () => {
  const a = await receiver();
  const b = await receiver((n) => (n === 0 ? 502 : 204));
  const { notifier, ledger } = notifierFor(
    settings([
      { name: 'a', url: a.url },
      { name: 'b', url: b.url, type: 'slack' },
    ]),
  );
  notifier.emit(halted);
  notifier.emit({ event: 'rolled-back', phase: 'pilot', attemptId: 'att-1', summary: 'pilot rolled back to nothing' });
  const summary = await notifier.settle();
  expect(summary).toMatchObject({ delivered: 4, recorded: 5 });
  const entries = await ledger.read();
  expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  for (const [i, e] of entries.entries()) if (i > 0) expect(e.prev).toBe(entries[i - 1].hash);
});

test('${env:VAR} is read at send time, and no URL or token reaches the ledger', async () => {
  const r = await receiver((n) => (n === 0 ? 500 : 200));
  const envVars: NodeJS.ProcessEnv = {};
  const { notifier, ledger } = notifierFor(settings([{ name: 'slack', type: 'slack', url: '${env:SLACK_HOOK}' }]), { envVars });
  envVars.SLACK_HOOK = r.url; // set after the notifier was made: resolution happens at send time
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.delivered).toBe(1);
  expect(r.received[0].path).toBe('/services/T000/B000/s3cr3t-token');
  const text = readFileSync(join(home, 'ledger.jsonl'), 'utf8');
  expect(text).not.toContain('s3cr3t-token');
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toContain('SLACK_HOOK}');
  expect(notifications(await ledger.read()).map((x) => x?.outcome)).toEqual(['http-500', 'delivered']);
});

test('${env:VAR} unset: one attempt recorded as an error naming the variable, not retried', async () => {
  const { notifier, ledger } = notifierFor(settings([{ url: '${env:MISSING_HOOK}' }]), { envVars: {} });
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.failed).toBe(1);
  expect(notifications(await ledger.read())).toEqual([
    expect.objectContaining({ attempt: 1, outcome: 'error: environment variable MISSING_HOOK is not set' }),
  ]);
});

test('a network error quoting the URL is scrubbed before it is recorded', async () => {
  const url = 'https://hooks.example.com/services/T1/B2/s3cr3t-token?sig=abc';
  const fetch = (async (u: string | URL | Request) => {
    throw new TypeError(`request to ${String(u)} failed`);
  }) as typeof globalThis.fetch;
  const ledger = new Ledger(join(home, 'ledger.jsonl'), 'acme');
  const notifier = createNotifier({ env: { name: 'acme', notifications: settings([{ url }], { retries: 0 }) }, ledger, fetch });
  notifier.emit(halted);
  await notifier.settle();
  const text = readFileSync(join(home, 'ledger.jsonl'), 'utf8');
  expect(text).toContain('error: request to <url> failed');
  expect(text).not.toContain('s3cr3t');
});

test('no sinks (or no notifications key): a no-op that never calls fetch or the ledger', async () => {
  let calls = 0;
  const fetch = (async () => {
    calls += 1;
    return new Response('ok');
  }) as typeof globalThis.fetch;
  const ledger = {
    append: async (): Promise<LedgerEntry> => {
      calls += 1;
      throw new Error('unexpected');
    },
  };
  for (const n of [undefined, settings([])]) {
    const notifier = createNotifier({ env: { name: 'acme', notifications: n }, ledger, fetch });
    expect(notifier.enabled).toBe(false);
    notifier.emit(halted);
    expect(await notifier.settle()).toMatchObject({ deliveries: [], recorded: 0 });
  }
  expect(calls).toBe(0);
});

test('emit never throws and settle never throws, even when the ledger fails', async () => {
  const r = await receiver();
  const ledger = {
    append: async () => {
      throw new Error('disk full');
    },
  };
  const notifier = createNotifier({ env: { name: 'acme', notifications: settings([{ url: r.url }, { url: r.url }]) }, ledger });
  expect(() => notifier.emit(halted)).not.toThrow();
  expect(() => notifier.emit(null as unknown as NotificationEvent)).not.toThrow();
  const summary = await notifier.settle();
  expect(summary).toMatchObject({ delivered: 2, recorded: 0, ledgerError: 'disk full' });
  expect(summary.emitErrors).toHaveLength(1);
});

test('a slow receiver: an attempt over 2 s is a timeout and retried; the one cut by the budget is abandoned', async () => {
  const r = await receiver(() => 'hang');
  const { notifier } = notifierFor(settings([{ url: r.url }], { timeoutSeconds: 2.4 }));
  notifier.emit(halted);
  const summary = await notifier.settle();
  expect(summary.deliveries[0].attempts.map((a) => a.outcome)).toEqual(['timeout', 'abandoned']);
  expect(r.received).toHaveLength(2);
});
