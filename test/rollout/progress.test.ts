/**
 * Progress rendering: listr2 on an interactive terminal, a plain line renderer in CI / pipes,
 * and progress on stderr under --json (stdout carries exactly one JSON document).
 * Also the only place listr2 (ESM-only) is loaded under jest with a real task run.
 */
import { jest } from '@jest/globals';
import { LineProgress, ListrProgress, progressFor, gateLines } from '../../rollout/progress.js';
import type { GateResult } from '../../rollout/types.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => { out.push(t); }, err: (t: string) => { err.push(t); } }, out, err };
}

/** Runs fn with process.stdout.isTTY and CI set as given, restoring both afterwards. */
function withTerminal<T>(tty: boolean, ci: string | undefined, fn: () => T): T {
  const hadTty = Object.prototype.hasOwnProperty.call(process.stdout, 'isTTY');
  const prevTty = process.stdout.isTTY;
  const prevCi = process.env.CI;
  Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true, writable: true });
  if (ci === undefined) delete process.env.CI; else process.env.CI = ci;
  try {
    return fn();
  } finally {
    if (hadTty) Object.defineProperty(process.stdout, 'isTTY', { value: prevTty, configurable: true, writable: true });
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
    if (prevCi === undefined) delete process.env.CI; else process.env.CI = prevCi;
  }
}

describe('renderer choice', () => {
  test('an interactive terminal gets listr2; a pipe or CI gets plain lines on stdout; --json sends lines to stderr', () => {
    const { io } = capture();
    expect(withTerminal(true, undefined, () => progressFor(io, false))).toBeInstanceOf(ListrProgress);
    expect(withTerminal(false, undefined, () => progressFor(io, false))).toBeInstanceOf(LineProgress);
    // CI runners often allocate a pseudo-TTY: spinners would garble the log, so lines there too.
    expect(withTerminal(true, 'true', () => progressFor(io, false))).toBeInstanceOf(LineProgress);
    // --json wins even on a terminal: nothing but the JSON document may reach stdout.
    expect(withTerminal(true, undefined, () => progressFor(io, true))).toBeInstanceOf(LineProgress);
  });

  test('--json progress lines go to stderr, leaving stdout empty', async () => {
    const c = capture();
    const p = withTerminal(false, undefined, () => progressFor(c.io, true));
    await p.step('synthesize stacks', async (note) => { note('5 stacks'); });
    p.info('hello');
    expect(c.out).toEqual([]);
    expect(c.err[0]).toBe('▶ synthesize stacks');
    expect(c.err).toContain('    5 stacks');
    expect(c.err).toContain('hello');
  });
});

describe('plain line renderer', () => {
  test('start, notes, success with the duration; the step value is returned', async () => {
    const lines: string[] = [];
    const p = new LineProgress((t) => lines.push(t));
    const v = await p.step('apply pilot', async (note) => { note('2 to create'); return 42; });
    expect(v).toBe(42);
    expect(lines[0]).toBe('▶ apply pilot');
    expect(lines[1]).toBe('    2 to create');
    expect(lines[2]).toMatch(/^✔ apply pilot \(\d+\.\ds\)$/);
  });

  test('a failing step prints ✖ with the first line of the reason and rethrows the same error', async () => {
    const lines: string[] = [];
    const p = new LineProgress((t) => lines.push(t));
    const boom = new Error('terraform plan failed\nstderr tail');
    await expect(p.step('plan pilot', async () => { throw boom; })).rejects.toBe(boom);
    expect(lines).toEqual(['▶ plan pilot', '✖ plan pilot: terraform plan failed']);
  });

  test('gate lines show the status and every check that did not pass', () => {
    const g: GateResult = {
      gate: 'smoke', status: 'failed', summary: '1 of 3 cases failed', startedAt: '', finishedAt: '',
      checks: [
        { id: 'smoke:block-violence@1/us-east-1', status: 'passed', detail: 'blocked' },
        { id: 'smoke:pass-benign-question@1/us-east-1', status: 'failed', detail: 'OVERBLOCKING' },
        { id: 'smoke:anonymize-email@1/us-east-1', status: 'inconclusive', detail: 'throttled' },
      ],
    } as GateResult;
    expect(gateLines(g)).toEqual([
      '  ✖ gate smoke: failed — 1 of 3 cases failed',
      '      ✖ smoke:pass-benign-question@1/us-east-1: OVERBLOCKING',
      '      ? smoke:anonymize-email@1/us-east-1: throttled',
    ]);
  });
});

describe('listr2 renderer', () => {
  test('runs the step as a listr2 task: the value comes back, the title is rendered, errors propagate', async () => {
    const written: string[] = [];
    const record = (chunk: string | Uint8Array) => { written.push(String(chunk)); return true; };
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(record);
    const spyErr = jest.spyOn(process.stderr, 'write').mockImplementation(record);
    try {
      const p = new ListrProgress();
      await expect(p.step('synthesize stacks', async (note) => { note('5 stacks'); return 'done'; })).resolves.toBe('done');
      const boom = new Error('sandbox unreachable');
      await expect(p.step('connect to sandbox', async () => { throw boom; })).rejects.toBe(boom);
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
    const text = written.join('');
    expect(text).toContain('synthesize stacks');
    expect(text).toMatch(/connect to sandbox.*sandbox unreachable/);
  });
});
