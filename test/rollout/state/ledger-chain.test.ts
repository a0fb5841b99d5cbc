/** The ledger's hash chain (schema 2) on the local ledger: `rollout ledger verify` names the first edited, missing or reordered entry. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ledger } from '../../../rollout/state/ledger.js';
import { entryHash, verifyChain } from '../../../rollout/state/ledger-chain.js';
import { envPaths } from '../../../rollout/state/paths.js';
import { toolVersion } from '../../../rollout/state/tool-version.js';
import { runCli } from '../../helpers/run-cli.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ledger-chain-'));
  process.env.ROLLOUT_HOME = home;
});
afterEach(() => {
  delete process.env.ROLLOUT_HOME;
  rmSync(home, { recursive: true, force: true });
});

const file = () => envPaths('sandbox').ledger;
const lines = () => readFileSync(file(), 'utf8').split('\n').filter(Boolean);
const write = (ls: string[]) => {
  mkdirSync(dirname(file()), { recursive: true });
  writeFileSync(file(), `${ls.join('\n')}\n`);
};

async function appendN(n: number): Promise<void> {
  const ledger = new Ledger(file(), 'sandbox', '2026-11-25');
  for (let i = 0; i < n; i++)
    await ledger.append({ env: 'sandbox', kind: 'gate', attemptId: 'a1', phase: 'pilot', summary: `check ${i + 1}` });
}

const verifyCli = async () => {
  const r = await runCli(['ledger', 'verify', '--env', 'sandbox', '--json']);
  return { code: r.code, doc: JSON.parse(r.out) as Record<string, unknown> & { problem?: { message: string; kind: string } }, err: r.err };
};

describe('ledger hash chain (local)', () => {
  test('entries carry seq, prev, hash, the tool version and the actor; verify: exit 0 with a summary', async () => {
    process.env.ROLLOUT_ACTOR = 'ci-bot';
    try {
      await appendN(5);
    } finally {
      delete process.env.ROLLOUT_ACTOR;
    }
    const entries = await new Ledger(file(), 'sandbox').read();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prev).toBeNull();
    for (const [i, e] of entries.entries()) {
      expect(e).toMatchObject({ schemaVersion: 2, who: 'ci-bot', toolVersion: toolVersion(), asOf: '2026-11-25' });
      expect(e.hash).toBe(entryHash(e));
      if (i > 0) expect(e.prev).toBe(entries[i - 1].hash);
    }
    const text = await runCli(['ledger', 'verify', '--env', 'sandbox']);
    expect(text.code).toBe(0);
    expect(text.out.trim()).toBe(`5 entries, chain intact, last ${entries[4].hash!.slice(0, 12)}`);
    const { code, doc } = await verifyCli();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ kind: 'ledger-verify', env: 'sandbox', ok: true, entries: 5, unchained: 0, last: entries[4].hash });
  });

  test('an edited field of an entry: exit 1 naming its line and seq', async () => {
    await appendN(5);
    const ls = lines();
    write(ls.map((l, i) => (i === 2 ? l.replace('check 3', 'check 3 (all fine)') : l)));
    const { code, doc } = await verifyCli();
    expect(code).toBe(1);
    expect(doc.problem).toMatchObject({ kind: 'edited', where: 'line 3', seq: 3 });
    expect(doc.problem!.message).toMatch(/^line 3: entry seq 3 \(gate pilot at .*\) was edited: its content no longer matches its hash/);
  });

  test('an edit that re-computes the hash breaks the next entry’s link', async () => {
    await appendN(4);
    const ls = lines();
    const e = JSON.parse(ls[1]);
    e.summary = 'forged';
    e.hash = entryHash(e);
    ls[1] = JSON.stringify(e);
    write(ls);
    const { code, doc } = await verifyCli();
    expect(code).toBe(1);
    expect(doc.problem).toMatchObject({ kind: 'broken-link', where: 'line 3', seq: 3 });
  });

  test('a deleted middle entry: exit 1, missing before the entry that follows it', async () => {
    await appendN(5);
    write(lines().filter((_, i) => i !== 2));
    const { code, doc } = await verifyCli();
    expect(code).toBe(1);
    expect(doc.problem).toMatchObject({ kind: 'missing', where: 'line 3', seq: 4 });
    expect(doc.problem!.message).toContain('expected entry seq 3 here, found seq 4');
    expect(doc.problem!.message).toContain('1 entry is missing before it');
  });

  test('a deleted last entry is not detectable from the chain, but the summary names the last hash to compare', async () => {
    await appendN(3);
    const last = JSON.parse(lines()[2]).hash as string;
    write(lines().slice(0, 2));
    const { code, doc } = await verifyCli();
    expect(code).toBe(0);
    expect(doc.last).not.toBe(last);
  });

  test('swapped entries: exit 1, reordered', async () => {
    await appendN(4);
    const ls = lines();
    write([ls[0], ls[2], ls[1], ls[3]]);
    const { code, doc } = await verifyCli();
    expect(code).toBe(1);
    expect(doc.problem).toMatchObject({ kind: 'reordered', where: 'line 2' });
  });

  test('a schema-1 prefix is accepted and chained from; a schema-1 entry after the chain started is refused', async () => {
    const legacy = [1, 2].map((i) =>
      JSON.stringify({
        schemaVersion: 1,
        at: `2026-01-0${i}T00:00:00.000Z`,
        who: 'old',
        host: 'h',
        env: 'sandbox',
        kind: 'plan',
        attemptId: `o${i}`,
      }),
    );
    write(legacy);
    await appendN(2);
    const entries = await new Ledger(file(), 'sandbox').read();
    expect(entries.map((e) => e.seq)).toEqual([undefined, undefined, 3, 4]);
    expect(entries[2].prev).toBe(entryHash(entries[1]));
    const { code, doc } = await verifyCli();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ ok: true, entries: 4, unchained: 2 });
    expect((await runCli(['ledger', 'verify'])).out).toMatch(
      /^4 entries, chain intact, last \w{12} \(the first 2 written before schema 2 are unchained/,
    );
    // The last legacy entry is pinned by the first chained entry's prev.
    write(lines().map((l, i) => (i === 1 ? l.replace('"o2"', '"o2x"') : l)));
    expect((await verifyCli()).doc.problem).toMatchObject({ kind: 'broken-link', where: 'line 3' });
    write([...legacy, ...lines().slice(2), legacy[0]]);
    expect((await verifyCli()).doc.problem).toMatchObject({ kind: 'unchained', where: 'line 5' });
  });

  test('concurrent appenders in one directory never fork the chain (the append lock)', async () => {
    const a = new Ledger(file(), 'sandbox');
    const b = new Ledger(file(), 'sandbox');
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).append({ env: 'sandbox', kind: 'gate', attemptId: `x${i}` })));
    const report = verifyChain(await a.readStored());
    expect(report).toMatchObject({ ok: true, entries: 10 });
  });

  test('an empty ledger verifies', async () => {
    const { code, doc } = await verifyCli();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ ok: true, entries: 0, last: null });
  });
});
