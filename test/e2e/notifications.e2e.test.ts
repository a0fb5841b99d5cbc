/**
 * Notifications from real verbs: `promote` delivers promotion-started / gate-failed / halted /
 * rolled-back to a local receiver, each attempt recorded in the ledger; a dead receiver and one
 * that never answers neither fail a promotion nor hold it beyond the budget.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFICATION_EVENTS, type Environment } from '../../model/types.js';
import { AS_OF, R1, sandboxEnvironment, withOverblockingRelease } from '../helpers/sandbox-fixture.js';
import { ledger, runVerb, useFreshHome } from '../helpers/cli.js';

useFreshHome();

interface Receiver {
  url: string;
  bodies: { event: string; phase?: string; checks?: { id: string }[] }[];
  close(): Promise<void>;
}

async function receiver(answer: 'ok' | 'never'): Promise<Receiver> {
  const bodies: Receiver['bodies'] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      if (answer === 'ok') res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const withSinks = (env: Environment, urls: string[], timeoutSeconds = 2): Environment => ({
  ...env,
  notifications: {
    sinks: urls.map((url, i) => ({ name: `sink-${i + 1}`, type: 'webhook' as const, url, events: [...NOTIFICATION_EVENTS] })),
    timeoutSeconds,
    retries: 2,
    exceptionsExpiringWithinDays: 14,
  },
});

test('a promotion notifies started and passed; a halted one gate-failed, halted and rolled back; every attempt is in the ledger', async () => {
  const rx = await receiver('ok');
  try {
    const base = await sandboxEnvironment();
    const env = withSinks(base, [rx.url]);
    const ok = await runVerb('promote', 'pilot', { env, release: R1, asOf: AS_OF });
    expect(ok.outcome).toBe('promoted');
    expect(rx.bodies.map((b) => b.event)).toEqual(expect.arrayContaining(['promotion-started', 'promotion-passed']));

    rx.bodies.length = 0;
    const bad = await runVerb('promote', 'pilot', { env: withSinks(withOverblockingRelease(base), [rx.url]), asOf: AS_OF });
    expect(bad.outcome).toBe('rolled-back');
    const events = rx.bodies.map((b) => b.event);
    expect(events).toEqual(expect.arrayContaining(['promotion-started', 'gate-failed', 'promotion-halted', 'rolled-back']));
    const gateFailed = rx.bodies.find((b) => b.event === 'gate-failed')!;
    expect(gateFailed.phase).toBe('pilot');
    expect(gateFailed.checks?.some((c) => c.id.startsWith('smoke:pass-benign-question'))).toBe(true);

    const recorded = (await ledger()).filter((e) => e.kind === 'notification');
    expect(recorded.length).toBeGreaterThanOrEqual(rx.bodies.length);
    expect(recorded.every((e) => e.notification?.sink === 'sink-1')).toBe(true);
    expect(JSON.stringify(recorded)).not.toContain(rx.url);
  } finally {
    await rx.close();
  }
});

test('a dead receiver and one that never answers: the promotion passes, within the budget, the attempts recorded as failed', async () => {
  const hang = await receiver('never');
  const dead = await receiver('ok');
  await dead.close(); // nothing listens on its port any more
  try {
    const env = withSinks(await sandboxEnvironment(), [dead.url, hang.url], 1);
    const r = await runVerb('promote', 'pilot', { env, release: R1, asOf: AS_OF });
    expect(r.outcome).toBe('promoted');
    expect(r.exitCode).toBe(0);
    const recorded = (await ledger()).filter((e) => e.kind === 'notification');
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.some((e) => e.notification?.outcome === 'delivered')).toBe(false);
    expect(new Set(recorded.map((e) => e.notification?.sink))).toEqual(new Set(['sink-1', 'sink-2']));
  } finally {
    await hang.close();
  }
});
