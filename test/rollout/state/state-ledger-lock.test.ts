import { mkdtemp, readFile, writeFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { loadState, saveState, updateState, emptyState, publishedVersions } from '../../../rollout/state/store.js';
import { Ledger, currentActor } from '../../../rollout/state/ledger.js';
import { acquireLock } from '../../../rollout/state/lock.js';
import { UsageError, ToolingError } from '../../../core/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollout-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('state', () => {
  test('missing file reads as empty; saved state round-trips in the shape preview/effective read', async () => {
    const file = join(dir, 'sandbox', 'state.json');
    expect(await loadState(file, 'sandbox')).toMatchObject({ schemaVersion: 1, phases: {}, published: {} });
    await updateState(file, 'sandbox', (s) => {
      s.phases.pilot = { release: 'r1', status: 'passed', attemptRelease: 'r1', attemptId: 'a', previousRelease: null, gates: [] };
      s.published.r1 = {
        'us-east-1': {
          account: '111111111111',
          guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc',
          guardrailId: 'abc',
          version: '2',
        },
      };
    });
    const raw = JSON.parse(await readFile(file, 'utf8'));
    expect(raw.phases.pilot.release).toBe('r1');
    expect(raw.published.r1['us-east-1']).toMatchObject({ guardrailArn: expect.stringContaining('guardrail/abc'), version: '2' });
    expect(publishedVersions(await loadState(file, 'sandbox'), 'r1')).toEqual([
      expect.objectContaining({ region: 'us-east-1', version: '2' }),
    ]);
  });

  test('a corrupt or foreign state file is a tooling error naming the file', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, '{"schemaVersion":1,');
    await expect(loadState(file, 'x')).rejects.toThrow(ToolingError);
    await writeFile(file, JSON.stringify({ ...emptyState('x'), phases: { pilot: { status: 'weird' } } }));
    await expect(loadState(file, 'x')).rejects.toThrow(/state\.json at phases\.pilot/);
  });

  test('saves are atomic: no temp files are left beside the state', async () => {
    const file = join(dir, 'state.json');
    for (let i = 0; i < 5; i++) await saveState(file, emptyState('x'));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('ledger', () => {
  test('appends who/when/env and keeps earlier lines; appendOnce does not double a keyed entry', async () => {
    const ledger = new Ledger(join(dir, 'ledger.jsonl'), 'sandbox');
    process.env.ROLLOUT_ACTOR = 'ci-bot';
    try {
      await ledger.append({
        env: 'sandbox',
        kind: 'plan',
        attemptId: 'a1',
        phase: 'pilot',
        release: 'r1',
        planHash: 'h',
        key: 'a1:plan:pilot:h',
      });
      expect(
        await ledger.appendOnce({ env: 'sandbox', kind: 'plan', attemptId: 'a1', phase: 'pilot', key: 'a1:plan:pilot:h' }),
      ).toBeUndefined();
      // a fresh reader (another process) also sees the key
      const other = new Ledger(ledger.file, 'sandbox');
      expect(await other.appendOnce({ env: 'sandbox', kind: 'plan', attemptId: 'a1', key: 'a1:plan:pilot:h' })).toBeUndefined();
      await other.appendOnce({ env: 'sandbox', kind: 'apply', attemptId: 'a1', key: 'a1:apply:pilot:h' });
    } finally {
      delete process.env.ROLLOUT_ACTOR;
    }
    const entries = await ledger.read();
    expect(entries.map((e) => e.kind)).toEqual(['plan', 'apply']);
    expect(entries[0]).toMatchObject({ who: 'ci-bot', host: hostname(), env: 'sandbox', release: 'r1', planHash: 'h', schemaVersion: 2 });
    expect(Date.parse(entries[0].at)).not.toBeNaN();
  });

  test('a torn last line (crash mid-write) is skipped, not fatal', async () => {
    const file = join(dir, 'ledger.jsonl');
    await writeFile(file, '{"kind":"plan","attemptId":"a"}\n{"kind":"app');
    expect((await new Ledger(file, 'x').read()).map((e) => e.kind)).toEqual(['plan']);
  });

  test('actor comes from CI variables before the OS user', () => {
    expect(currentActor({ GITHUB_ACTOR: 'octocat' })).toBe('octocat');
    expect(currentActor({ ROLLOUT_ACTOR: 'me', GITHUB_ACTOR: 'octocat' })).toBe('me');
  });
});

describe('lock', () => {
  test('a second holder is refused with a message naming the first; released lock can be taken again', async () => {
    const first = await acquireLock(dir, 'promote pilot');
    const err = await acquireLock(dir, 'promote ou').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(new RegExp(`locked by pid ${process.pid} on ${hostname()} .*"promote pilot".* since `));
    await first.release();
    const second = await acquireLock(dir, 'promote ou');
    await second.release();
  });

  test('a lock left by a process that died on this host is taken over', async () => {
    await mkdir(dir, { recursive: true });
    const child = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 10)']);
    const deadPid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    await mkdir(join(dir, 'promote.lock'));
    await writeFile(
      join(dir, 'promote.lock.holder.json'),
      JSON.stringify({ pid: deadPid, host: hostname(), since: 'x', who: 'y', command: 'promote pilot' }),
    );
    const held = await acquireLock(dir, 'promote pilot');
    expect(held.holder.pid).toBe(process.pid);
    await held.release();
  });
});
