/** A damaged ledger (issue 10, item 9): corruption is a ToolingError naming file and line; a torn tail is repaired before the next append. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, ToolingError, exitCodeOf } from '../../../core/errors.js';
import { Ledger } from '../../../rollout/state/ledger.js';

const entry = (kind: string, attemptId = 'a1') => JSON.stringify({ schemaVersion: 1, kind, attemptId, env: 'x' });

describe('ledger damage', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    file = join(dir, 'ledger.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['garbage in the middle', `${entry('plan')}\nnot json at all\n${entry('apply')}\n`, 2],
    ['a complete (newline-terminated) last line that does not parse', `${entry('plan')}\n{"kind":"app\n`, 2],
    ['a line that is JSON but not an entry', `${entry('plan')}\n${entry('apply')}\n42\n${entry('gate')}`, 3],
  ])('%s is corruption: read fails with a ToolingError (exit 3) naming the file and the line', async (_, text, line) => {
    writeFileSync(file, text);
    const ledger = new Ledger(file, 'x');
    const err = await ledger.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolingError);
    expect(exitCodeOf(err)).toBe(EXIT.tooling);
    expect((err as Error).message).toContain(`${file}: line ${line} is not a ledger entry`);
    // Appending through appendOnce reads first, so it refuses too and writes nothing.
    await expect(ledger.appendOnce({ env: 'x', kind: 'plan', attemptId: 'a2', key: 'k' })).rejects.toBeInstanceOf(ToolingError);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('a torn tail is skipped on read and truncated before the next append', async () => {
    writeFileSync(file, `${entry('plan')}\n${entry('apply')}\n{"schemaVersion":1,"kind":"ga`);
    const ledger = new Ledger(file, 'x');
    expect((await ledger.read()).map((e) => e.kind)).toEqual(['plan', 'apply']);
    await ledger.append({ env: 'x', kind: 'gate', attemptId: 'a1' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('"kind":"ga"');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect((await new Ledger(file, 'x').read()).map((e) => e.kind)).toEqual(['plan', 'apply', 'gate']);
  });

  test('a torn tail that is the whole file, and one longer than the read-back chunk', async () => {
    writeFileSync(file, '{"kind":"pl');
    await new Ledger(file, 'x').append({ env: 'x', kind: 'plan', attemptId: 'a1' });
    expect((await new Ledger(file, 'x').read()).map((e) => e.kind)).toEqual(['plan']);
    const long = `{"kind":"apply","summary":"${'y'.repeat(200_000)}`;
    writeFileSync(file, `${entry('plan')}\n${long}`);
    await new Ledger(file, 'x').append({ env: 'x', kind: 'gate', attemptId: 'a1' });
    expect((await new Ledger(file, 'x').read()).map((e) => e.kind)).toEqual(['plan', 'gate']);
    expect(readFileSync(file, 'utf8')).not.toContain('yyyy');
  });

  test('a complete last entry missing only its newline is kept; the next entry starts on a new line', async () => {
    writeFileSync(file, `${entry('plan')}\n${entry('apply')}`);
    await new Ledger(file, 'x').append({ env: 'x', kind: 'gate', attemptId: 'a1' });
    expect((await new Ledger(file, 'x').read()).map((e) => e.kind)).toEqual(['plan', 'apply', 'gate']);
  });

  test('a missing or empty ledger reads as no entries', async () => {
    expect(await new Ledger(file, 'x').read()).toEqual([]);
    writeFileSync(file, '');
    expect(await new Ledger(file, 'x').read()).toEqual([]);
    await new Ledger(file, 'x').append({ env: 'x', kind: 'plan', attemptId: 'a1' });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2);
  });
});
