/**
 * The S3 store against the emulator's S3: two "working directories" (separate ROLLOUT_HOME, one
 * bucket) share lock, state and ledger; conditional writes keep concurrent writers from losing
 * changes; a holder killed with SIGKILL is taken over after expiry or broken with `rollout unlock --force`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ToolingError, UsageError } from '../../../core/errors.js';
import { s3ClientConfig, type SandboxHandle } from '../../../sandbox/index.js';
import { verifyChain } from '../../../rollout/state/ledger-chain.js';
import type { LockHolder } from '../../../rollout/state/lock-holder.js';
import { S3Store } from '../../../rollout/state/store/index.js';
import { writeMutated } from '../../helpers/environment.js';
import { runCli } from '../../helpers/run-cli.js';
import { MGMT, start } from '../../helpers/sandbox.js';

const BUCKET = 'rollout-state';
const PREFIX = 'guardrail-rollout';
let sb: SandboxHandle;
let homes: string[] = [];
let envFile: string;

beforeAll(() => {
  envFile = writeMutated((d) => {
    d.setIn(['deployment', 'stateStore'], { type: 's3', bucket: BUCKET });
  });
});
beforeEach(async () => {
  sb = await start({ buckets: [BUCKET] });
  homes = [mkdtempSync(join(tmpdir(), 'runner-a-')), mkdtempSync(join(tmpdir(), 'runner-b-'))];
});
afterEach(async () => {
  await sb.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
  delete process.env.ROLLOUT_HOME;
});

const config = () => s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 });
const newStore = (timing?: { ttlMs: number; renewMs: number }) =>
  new S3Store({ client: new S3Client(config()), bucket: BUCKET, prefix: PREFIX, env: 'sandbox', timing });
const raw = () => new S3Client(config());
const key = (k: string) => `${PREFIX}/sandbox/${k}`;

/** The CLI as run in working directory `i` (its own ROLLOUT_HOME), against the shared emulator. */
async function cli(i: number, args: string[]) {
  process.env.ROLLOUT_HOME = homes[i];
  return runCli([...args, '--env', envFile, '--sandbox-endpoint', sb.endpoint]);
}

describe('S3 store on the emulator', () => {
  test('two working directories: one holds the lock, the other is refused (exit 2) naming the holder', async () => {
    const a = newStore();
    const held = await a.acquireLock('promote ou');
    try {
      const r = await cli(1, ['unlock', '--force', 'lk-000000000000']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        new RegExp(`the environment is locked by pid ${process.pid} on .*running "promote ou"\\) since .* \\(lock id ${held.holder.id}\\)`),
      );
      const refused = (await newStore()
        .acquireLock('promote pilot')
        .catch((e: unknown) => e)) as Error;
      expect(refused).toBeInstanceOf(UsageError);
      expect(refused.message).toMatch(
        /^environment is locked by pid \d+ on .* \(.*, running "promote ou"\) since .*, expires .* unless renewed/,
      );
      expect(refused.message).toContain(`rollout unlock --force ${held.holder.id}`);
      const status = await cli(1, ['status', '--json']);
      expect(JSON.parse(status.out)).toMatchObject({ store: `s3://${BUCKET}/${PREFIX}/sandbox/`, lock: { id: held.holder.id } });
    } finally {
      await held.release();
      a.close();
    }
    // Released: the object is gone and the other directory takes it.
    const b = newStore();
    await (await b.acquireLock('promote pilot')).release();
    b.close();
  });

  test('the holder renews its lock: still refused well past the TTL, free at once after release', async () => {
    const timing = { ttlMs: 400, renewMs: 100 };
    const a = newStore(timing);
    const held = await a.acquireLock('promote ou');
    const first = held.holder.expires;
    await new Promise((r) => setTimeout(r, 1200));
    expect(Date.parse(held.holder.expires!)).toBeGreaterThan(Date.parse(first!));
    await expect(newStore(timing).acquireLock('promote pilot')).rejects.toBeInstanceOf(UsageError);
    expect(held.lost).toBeUndefined();
    await held.release();
    const b = newStore(timing);
    await (await b.acquireLock('promote pilot')).release();
    a.close();
    b.close();
  });

  test('state: two updates started from the same ETag — one loses (412), re-reads, re-applies: both changes survive', async () => {
    const a = newStore();
    const b = newStore();
    await a.updateState((s) => {
      s.published.r0 = {};
    });
    // Hold both writers' PutObject until both have read: they start from the same ETag.
    let reads = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => {
      release = r;
    });
    for (const st of [a, b]) {
      const client = (st as unknown as { p: { client: S3Client } }).p.client;
      client.middlewareStack.add(
        (next, ctx) => async (args) => {
          const r = await next(args);
          if (ctx.commandName === 'GetObjectCommand' && ++reads === 2) release();
          return r;
        },
        { step: 'initialize', name: 'countReads' },
      );
      client.middlewareStack.add(
        (next, ctx) => async (args) => {
          if (ctx.commandName === 'PutObjectCommand') await bothRead;
          return next(args);
        },
        { step: 'initialize', name: 'holdWrites' },
      );
    }
    await Promise.all([
      a.updateState((s) => {
        s.published.fromA = {};
      }),
      b.updateState((s) => {
        s.published.fromB = {};
      }),
    ]);
    expect(a.stats.conflicts + b.stats.conflicts).toBe(1);
    expect(Object.keys((await newStore().loadState()).published).sort()).toEqual(['fromA', 'fromB', 'r0']);
    a.close();
    b.close();
  });

  test('a writer that keeps losing gives up with a ToolingError (exit 3) and overwrites nothing', async () => {
    // Every conditional write of this writer loses (an If-Match that can never hold).
    const c = newStore();
    await c.updateState((s) => {
      s.published.first = {};
    });
    const client = (c as unknown as { p: { client: S3Client } }).p.client;
    client.middlewareStack.add(
      (next, ctx) => async (args) => {
        if (ctx.commandName === 'PutObjectCommand') (args.input as { IfMatch?: string }).IfMatch = '"never"';
        return next(args);
      },
      { step: 'initialize', name: 'staleEtag' },
    );
    const err = await c
      .updateState((s) => {
        s.published.lost = {};
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolingError);
    expect((err as Error).message).toMatch(
      /state\.json kept changing under this update \(8 conditional writes lost\); nothing was overwritten/,
    );
    expect(Object.keys((await newStore().loadState()).published)).toEqual(['first']);
    c.close();
  });

  test('kill -9 while holding the lock: refused while it is live, taken over after expiry; or broken by unlock --force and recorded', async () => {
    const holdOnce = async (): Promise<{ holder: LockHolder; kill: () => Promise<void> }> => {
      const child = spawn(process.execPath, [resolve('test/helpers/hold-s3-lock.mjs')], {
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ROLLOUT_LOCK_TTL_MS: '1500',
          HOLD_S3_CONFIG: JSON.stringify({ ...config(), credentials: sb.accounts[MGMT] }),
          HOLD_BUCKET: BUCKET,
          HOLD_PREFIX: PREFIX,
          HOLD_ENV: 'sandbox',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout! }).once('line', res);
        child.once('exit', (code) => rej(new Error(`holder exited ${code}`)));
      });
      return {
        holder: JSON.parse(line) as LockHolder,
        kill: () =>
          new Promise((res) => {
            child.once('exit', () => res());
            child.kill('SIGKILL');
          }),
      };
    };

    // 1. Takeover after expiry.
    const first = await holdOnce();
    await first.kill();
    const b = newStore();
    const refused = (await b.acquireLock('promote pilot').catch((e: unknown) => e)) as Error;
    expect(refused.message).toContain(`(lock id ${first.holder.id})`);
    const t0 = Date.now();
    let held: Awaited<ReturnType<S3Store['acquireLock']>> | undefined;
    while (!held && Date.now() - t0 < 10_000) {
      held = await b.acquireLock('promote pilot').catch(() => undefined);
      if (!held) await new Promise((r) => setTimeout(r, 100));
    }
    expect(held?.holder.command).toBe('promote pilot');
    expect(Date.parse(first.holder.expires!)).toBeLessThanOrEqual(Date.now());
    await held!.release();

    // 2. Broken by id from the other working directory, and recorded in the shared ledger.
    const second = await holdOnce();
    await second.kill();
    const r = await cli(1, ['unlock', '--force', second.holder.id!, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ kind: 'unlock', broken: { id: second.holder.id, command: 'promote ou' } });
    await (await b.acquireLock('promote pilot')).release();
    const entries = await b.ledger().read();
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'unlock', seq: 1, detail: { broken: expect.objectContaining({ id: second.holder.id }) } }),
    ]);
    b.close();
  }, 30_000);

  test('a lock broken while held: the holder sees it lost at its next renewal and writes no more state', async () => {
    const timing = { ttlMs: 400, renewMs: 100 };
    const a = newStore(timing);
    const held = await a.acquireLock('promote ou');
    await newStore(timing).breakLock(held.holder.id!);
    await new Promise((r) => setTimeout(r, 300));
    expect(held.lost).toMatch(/taken over or broken/);
    await expect(a.updateState(() => undefined)).rejects.toThrow(/not writing the state: the lock lk-\w+ was taken over or broken/);
    await held.release();
    a.close();
  });

  test('ledger: one object per entry, concurrent appenders chain in turn; verify catches an edited and a deleted object', async () => {
    const a = newStore().ledger();
    const b = newStore().ledger();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).append({ env: 'sandbox', kind: 'gate', attemptId: `x${i}`, summary: `s${i}` })),
    );
    const stored = await a.readStored();
    expect(stored.map((s) => s.storedSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(verifyChain(stored)).toMatchObject({ ok: true, entries: 8 });
    expect((await cli(0, ['ledger', 'verify'])).out).toMatch(/^8 entries, chain intact, last \w{12}/);

    const s3 = raw();
    const obj = key('ledger/0000000003.json');
    const text = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: obj }))).Body!.transformToString();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: obj, Body: text.replace(/"summary":"s\d"/, '"summary":"fine"') }));
    const edited = await cli(1, ['ledger', 'verify', '--json']);
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.out).problem).toMatchObject({ kind: 'edited', seq: 3, where: `s3://${BUCKET}/${obj}` });

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: obj, Body: text }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key('ledger/0000000005.json') }));
    const missing = await cli(1, ['ledger', 'verify', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out).problem).toMatchObject({ kind: 'missing', seq: 6 });
    s3.destroy();
  });

  test('kept stacks are shared: kept on one runner, read (and checked) on the other', async () => {
    const a = newStore();
    const hash = await a.keepStack({ resource: { x: 1 } });
    expect(await a.keepStack({ resource: { x: 1 } })).toBe(hash);
    expect(await newStore().keptStack(hash)).toEqual({ resource: { x: 1 } });
    const s3 = raw();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key(`stacks/${hash}.json`), Body: '{"resource":{"x":2}}' }));
    await expect(newStore().keptStack(hash)).rejects.toThrow(/does not match its hash/);
    await expect(newStore().keptStack('0'.repeat(64))).rejects.toThrow(/does not exist/);
    s3.destroy();
    a.close();
  });

  test('an S3 store on the in-process sandbox is refused (exit 2) before anything is written', async () => {
    process.env.ROLLOUT_HOME = homes[0];
    const r = await runCli(['status', '--env', envFile]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/deployment\.stateStore is s3 \(bucket rollout-state\) and the target is the sandbox: pass --sandbox-endpoint/);
  });
});
