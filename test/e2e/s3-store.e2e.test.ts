/**
 * A pipeline whose phases run on different runners: two working directories (separate
 * ROLLOUT_HOME, nothing shared on disk) against one `rollout sandbox`-style emulator with
 * `deployment.stateStore: s3`. What runner A promotes, runner B sees (status, verify, ledger
 * verify); the lock one holds refuses the other. (The sandbox engine's own resource records,
 * sandbox-engine.json, stay in each working directory: see docs/rollout.md#state-store.)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadEnvironment } from '../../model/index.js';
import { s3ClientConfig, startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { S3Store } from '../../rollout/state/store/index.js';
import { writeMutated } from '../helpers/environment.js';
import { runCli } from '../helpers/run-cli.js';
import { AS_OF } from '../helpers/sandbox-fixture.js';

const BUCKET = 'rollout-state';
let sb: SandboxHandle;
let homes: string[];
let envFile: string;

beforeAll(async () => {
  envFile = writeMutated((d) => {
    d.setIn(['deployment', 'stateStore'], { type: 's3', bucket: BUCKET, prefix: 'ci/guardrails' });
  });
  sb = await startSandbox({ env: await loadEnvironment(envFile), buckets: [BUCKET] });
  homes = [mkdtempSync(join(tmpdir(), 'runner-a-')), mkdtempSync(join(tmpdir(), 'runner-b-'))];
});
afterAll(async () => {
  await sb.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
  delete process.env.ROLLOUT_HOME;
});

async function on(runner: number, args: string[]) {
  process.env.ROLLOUT_HOME = homes[runner];
  const r = await runCli(['--json', ...args, '--env', envFile, '--sandbox-endpoint', sb.endpoint]);
  return { ...r, doc: JSON.parse(r.out) };
}

test('runner A promotes pilot; runner B, on a fresh disk, sees it, verifies it, is refused while A holds the lock; the ledger chain spans both', async () => {
  const a = await on(0, ['promote', 'pilot', '--yes', '--as-of', AS_OF]);
  expect(a.doc).toMatchObject({ ok: true, outcome: expect.stringMatching(/promoted|baking/) });

  const status = await on(1, ['status']);
  expect(status.doc).toMatchObject({ store: `s3://${BUCKET}/ci/guardrails/sandbox/`, lock: null });
  expect(status.doc.phases[0]).toMatchObject({ phase: 'pilot', release: a.doc.release, status: expect.stringMatching(/passed|gated/) });

  // The gates judge what the shared state records: B needs nothing of A's disk.
  const verify = await on(1, ['verify', 'pilot', '--as-of', AS_OF]);
  expect(verify.doc).toMatchObject({ ok: true, outcome: 'verified' });

  // A run holding the lock (runner A mid-promote): B is refused, exit 2, naming it; nothing changes.
  const before = (await on(1, ['status'])).doc.phases;
  const store = new S3Store({
    client: new S3Client(s3ClientConfig(sb, sb.managementAccountId)),
    bucket: BUCKET,
    prefix: 'ci/guardrails',
    env: 'sandbox',
  });
  const held = await store.acquireLock('promote model-rules');
  try {
    const refused = await on(1, ['promote', 'model-rules', '--yes', '--as-of', AS_OF]);
    expect(refused.code).toBe(2);
    expect(refused.doc.error.message).toMatch(
      new RegExp(`environment is locked by pid ${process.pid} .*running "promote model-rules"\\) since .* \\(lock id ${held.holder.id}\\)`),
    );
    expect((await on(1, ['status'])).doc.lock).toMatchObject({ id: held.holder.id });
  } finally {
    await held.release();
    store.close();
  }
  expect((await on(1, ['status'])).doc.phases).toEqual(before);

  // A rolls pilot back (its engine records are on A's disk; the state is the bucket's).
  const back = await on(0, ['rollback', 'pilot']);
  expect(back.doc).toMatchObject({ ok: true, outcome: 'rolled-back' });
  expect((await on(1, ['status'])).doc.phases[0]).toMatchObject({ status: 'rolled-back' });

  const chain = await on(1, ['ledger', 'verify']);
  expect(chain.code).toBe(0);
  expect(chain.doc).toMatchObject({ ok: true, unchained: 0 });
  expect(chain.doc.entries).toBeGreaterThan(10);

  // Nothing of state, ledger or lock on either disk: it is all in the bucket.
  for (const h of homes) {
    const dir = join(h, 'sandbox');
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
    expect(files.filter((f) => f === 'state.json' || f.startsWith('ledger') || f.includes('lock') || f.startsWith('stacks/'))).toEqual([]);
  }
  const s3 = new S3Client(s3ClientConfig(sb, sb.managementAccountId));
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ci/guardrails/sandbox/' }))).Contents ?? []).map(
    (c) => c.Key,
  );
  s3.destroy();
  expect(keys).toEqual(expect.arrayContaining(['ci/guardrails/sandbox/state.json', 'ci/guardrails/sandbox/ledger/0000000001.json']));
  expect(keys.some((k) => k?.startsWith('ci/guardrails/sandbox/stacks/'))).toBe(true);
  expect(keys).not.toContain('ci/guardrails/sandbox/lock.json');
}, 240_000);
