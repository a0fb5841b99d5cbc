/** The local store keeps today's files and behaviour; lock ids, `rollout unlock --force` and the holder in `rollout status`. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import { Ledger } from '../../../rollout/state/ledger.js';
import { envPaths } from '../../../rollout/state/paths.js';
import { LocalStore } from '../../../rollout/state/store/index.js';
import { runCli } from '../../helpers/run-cli.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'store-local-'));
  process.env.ROLLOUT_HOME = home;
});
afterEach(() => {
  delete process.env.ROLLOUT_HOME;
  rmSync(home, { recursive: true, force: true });
});

const store = () => new LocalStore(envPaths('sandbox'), 'sandbox');

describe('local store', () => {
  test('state, ledger and kept stacks are the files of .rollout/<env>/', async () => {
    const s = store();
    expect((await s.loadState()).phases).toEqual({});
    await s.updateState((st) => {
      st.phases.pilot = { release: 'r1', status: 'passed', attemptRelease: 'r1', attemptId: 'a', previousRelease: null, gates: [] };
    });
    expect(JSON.parse(readFileSync(envPaths('sandbox').state, 'utf8')).phases.pilot.release).toBe('r1');
    await s.ledger('2026-11-25').append({ env: 'sandbox', kind: 'plan', attemptId: 'a' });
    expect((await new Ledger(envPaths('sandbox').ledger, 'sandbox').read())[0]).toMatchObject({ kind: 'plan', asOf: '2026-11-25', seq: 1 });
    const hash = await s.keepStack({ resource: { a: 1 } });
    expect(existsSync(join(envPaths('sandbox').keptStacks, `${hash}.json`))).toBe(true);
    expect(await s.keptStack(hash)).toEqual({ resource: { a: 1 } });
  });

  test('the lock: a second taker is refused naming the holder and its lock id; unlock --force needs that id', async () => {
    const held = await store().acquireLock('promote ou');
    try {
      expect(held.holder).toMatchObject({
        id: expect.stringMatching(/^lk-[0-9a-f]{12}$/),
        pid: process.pid,
        host: hostname(),
        command: 'promote ou',
      });
      const err = (await store()
        .acquireLock('promote pilot')
        .catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toMatch(
        new RegExp(
          `^environment is locked by pid ${process.pid} on ${hostname()} \\(.*, running "promote ou"\\) since \\S+ \\(lock id ${held.holder.id}\\)`,
        ),
      );
      expect(err.message).toContain(`rollout unlock --force ${held.holder.id}`);

      const status = await runCli(['status', '--json']);
      expect(JSON.parse(status.out).lock).toMatchObject({ id: held.holder.id, command: 'promote ou' });
      expect((await runCli(['status'])).out).toContain(`locked by pid ${process.pid}`);

      const wrong = await runCli(['unlock', '--force', 'lk-000000000000']);
      expect(wrong.code).toBe(2);
      expect(wrong.err).toMatch(
        new RegExp(`lock id lk-000000000000 does not match: the environment is locked by pid ${process.pid} .*"promote ou"`),
      );
      const ok = await runCli(['unlock', '--force', held.holder.id!, '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out)).toMatchObject({ kind: 'unlock', broken: { id: held.holder.id } });
    } finally {
      await held.release();
    }
    const again = await store().acquireLock('promote pilot');
    await again.release();
    const entries = await new Ledger(envPaths('sandbox').ledger, 'sandbox').read();
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'unlock', detail: { broken: expect.objectContaining({ command: 'promote ou' }) } }),
    ]);
    expect((await runCli(['unlock', '--force', 'lk-000000000000'])).err).toMatch(/not locked/);
    expect((await runCli(['unlock', '--force', 'nope'])).code).toBe(2);
  });
});
