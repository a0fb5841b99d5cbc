/**
 * Progress rendering: listr2 when stderr is an interactive terminal, a plain line renderer in
 * CI / pipes / --json, and ALWAYS on stderr: stdout carries only the verb's result, so
 * `rollout plan pilot > plan.md` gets the report and nothing else.
 * Also the only place listr2 (ESM-only) is loaded under jest with a real task run.
 */
import { jest } from '@jest/globals';
import { LineProgress, ListrProgress, progressFor, gateLines } from '../../../rollout/ui/progress.js';
import type { GateResult } from '../../../rollout/state/contracts.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (t: string) => {
        out.push(t);
      },
      err: (t: string) => {
        err.push(t);
      },
    },
    out,
    err,
  };
}

type Stream = 'stdout' | 'stderr';

/** Runs fn with process.<stream>.isTTY and CI set as given, restoring both afterwards. */
function withTerminal<T>(tty: Partial<Record<Stream, boolean>>, ci: string | undefined, fn: () => T): T {
  const saved = (['stdout', 'stderr'] as const).map((name) => {
    const s = process[name];
    return { s, had: Object.hasOwn(s, 'isTTY'), prev: s.isTTY, next: tty[name] ?? false };
  });
  const prevCi = process.env.CI;
  for (const x of saved) Object.defineProperty(x.s, 'isTTY', { value: x.next, configurable: true, writable: true });
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
  try {
    return fn();
  } finally {
    for (const x of saved) {
      if (x.had) Object.defineProperty(x.s, 'isTTY', { value: x.prev, configurable: true, writable: true });
      else delete (x.s as { isTTY?: boolean }).isTTY;
    }
    if (prevCi === undefined) delete process.env.CI;
    else process.env.CI = prevCi;
  }
}

describe('renderer choice', () => {
  test('an interactive stderr gets listr2 (even with stdout redirected to a file); a pipe, CI or --json gets plain lines', () => {
    const { io } = capture();
    expect(withTerminal({ stdout: true, stderr: true }, undefined, () => progressFor(io, false))).toBeInstanceOf(ListrProgress);
    // `rollout plan pilot > plan.md` on a terminal: spinners on stderr, the report alone in the file.
    expect(withTerminal({ stdout: false, stderr: true }, undefined, () => progressFor(io, false))).toBeInstanceOf(ListrProgress);
    // stderr captured (2> log): no spinner escape codes in the log.
    expect(withTerminal({ stdout: true, stderr: false }, undefined, () => progressFor(io, false))).toBeInstanceOf(LineProgress);
    expect(withTerminal({}, undefined, () => progressFor(io, false))).toBeInstanceOf(LineProgress);
    // CI runners often allocate a pseudo-TTY: spinners would garble the log, so lines there too.
    expect(withTerminal({ stdout: true, stderr: true }, 'true', () => progressFor(io, false))).toBeInstanceOf(LineProgress);
    expect(withTerminal({ stdout: true, stderr: true }, undefined, () => progressFor(io, true))).toBeInstanceOf(LineProgress);
  });

  test.each([
    ['plain text (plan > plan.md, status > s.txt)', false],
    ['--json', true],
  ])('%s: progress lines go to stderr, leaving stdout for the result', async (_name, json) => {
    const c = capture();
    const p = withTerminal({}, undefined, () => progressFor(c.io, json));
    await p.step('synthesize stacks', async (note) => {
      note('5 stacks');
    });
    p.info('hello');
    p.gate({
      gate: 'smoke',
      status: 'passed',
      summary: 'smoke: passed — 3 cases',
      checks: [],
      startedAt: '',
      finishedAt: '',
    } as GateResult);
    expect(c.out).toEqual([]);
    expect(c.err[0]).toBe('▶ synthesize stacks');
    expect(c.err).toContain('    5 stacks');
    expect(c.err).toContain('hello');
    expect(c.err).toContain('  ✔ gate smoke: passed — 3 cases');
  });
});

describe('plain line renderer', () => {
  test('start, notes, success with the duration; the step value is returned', async () => {
    const lines: string[] = [];
    const p = new LineProgress((t) => lines.push(t));
    const v = await p.step('apply pilot', async (note) => {
      note('2 to create');
      return 42;
    });
    expect(v).toBe(42);
    expect(lines[0]).toBe('▶ apply pilot');
    expect(lines[1]).toBe('    2 to create');
    expect(lines[2]).toMatch(/^✔ apply pilot \(\d+\.\ds\)$/);
  });

  test('a failing step prints ✖ with the first line of the reason and rethrows the same error', async () => {
    const lines: string[] = [];
    const p = new LineProgress((t) => lines.push(t));
    const boom = new Error('terraform plan failed\nstderr tail');
    await expect(
      p.step('plan pilot', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(lines).toEqual(['▶ plan pilot', '✖ plan pilot: terraform plan failed']);
  });

  test('gate lines show the status and every check that did not pass', () => {
    const g: GateResult = {
      gate: 'smoke',
      status: 'failed',
      summary: '1 of 3 cases failed',
      startedAt: '',
      finishedAt: '',
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
  test('runs the step as a listr2 task on stderr: the value comes back, the title is rendered, errors propagate, stdout stays empty', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const spyErr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
    const info: string[] = [];
    try {
      // stdout redirected (`> plan.md`), stderr a terminal: listr2's own stdout check must not matter.
      await withTerminal({ stderr: true }, undefined, async () => {
        const p = new ListrProgress((t) => info.push(t));
        await expect(
          p.step('synthesize stacks', async (note) => {
            note('5 stacks');
            return 'done';
          }),
        ).resolves.toBe('done');
        const boom = new Error('sandbox unreachable');
        await expect(
          p.step('connect to sandbox', async () => {
            throw boom;
          }),
        ).rejects.toBe(boom);
        p.info('hello');
      });
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
    expect(out.join('')).toBe('');
    const text = err.join('');
    expect(text).toContain('synthesize stacks');
    expect(text).toMatch(/connect to sandbox[\s\S]*sandbox unreachable/);
    expect(info).toEqual(['hello']);
  });
});
