/**
 * Progress of a long verb, one step at a time. Progress ALWAYS goes to stderr, whatever the
 * renderer: stdout carries only the verb's result (markdown report, status text or the one
 * JSON document), so `rollout plan pilot > plan.md` or `rollout status --json | jq` get exactly
 * that. When stderr is an interactive terminal (and not --json, not CI) each step is a listr2
 * task with a spinner; otherwise a plain line renderer prints `▶ step`, `✔ step (1.2s)` or
 * `✖ step: reason`, which reads well in CI logs.
 */
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { Io } from './io.js';
import type { GateResult } from '../state/contracts.js';

export interface Progress {
  step<T>(title: string, fn: (note: (text: string) => void) => Promise<T>): Promise<T>;
  info(text: string): void;
  gate(result: GateResult): void;
}

const MAX_FAILED_SHOWN = 20;

export function gateLines(result: GateResult): string[] {
  const mark = result.status === 'passed' ? '✔' : result.status === 'failed' ? '✖' : '?';
  const text = result.summary.startsWith(result.gate) ? result.summary : `${result.gate}: ${result.status} — ${result.summary}`;
  const lines = [`  ${mark} gate ${text}`];
  // A bake analysis is shown whatever its outcome: what the metrics said is the point of it.
  const bad = result.checks.filter((c) => c.status !== 'passed' || c.id.startsWith('bake:metric:'));
  const markOf = (s: string) => (s === 'passed' ? '✔' : s === 'failed' ? '✖' : '?');
  for (const c of bad.slice(0, MAX_FAILED_SHOWN)) lines.push(`      ${markOf(c.status)} ${c.id}: ${c.detail}`);
  if (bad.length > MAX_FAILED_SHOWN) lines.push(`      …and ${bad.length - MAX_FAILED_SHOWN} more (see --json or the ledger)`);
  return lines;
}

export class LineProgress implements Progress {
  constructor(private readonly write: (text: string) => void) {}
  async step<T>(title: string, fn: (note: (text: string) => void) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    this.write(`▶ ${title}`);
    try {
      const r = await fn((text) => this.write(`    ${text}`));
      this.write(`✔ ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      return r;
    } catch (err) {
      this.write(`✖ ${title}: ${(err as Error).message.split('\n')[0]}`);
      throw err;
    }
  }
  info(text: string): void {
    this.write(text);
  }
  gate(result: GateResult): void {
    for (const l of gateLines(result)) this.write(l);
  }
}

/**
 * listr2's default renderer, usable whenever stderr is a terminal: listr2 itself only checks
 * process.stdout.isTTY, which is false exactly when the result is redirected (`> plan.md`).
 */
class StderrRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/**
 * A listr2 logger that renders to stderr. listr2 draws on the ProcessOutput's first ("stdout")
 * slot, so stderr goes there; real stdout sits in the second slot only so that a stray write to
 * it is held back while the spinner draws (and released to stdout afterwards). toStderr is
 * empty, so no renderer message is ever routed to that second slot.
 */
function stderrLogger(): ListrLogger<string> {
  return new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(process.stderr, process.stdout) });
}

export class ListrProgress implements Progress {
  constructor(
    private readonly write: (text: string) => void = (t) => {
      process.stderr.write(`${t}\n`);
    },
  ) {}
  async step<T>(title: string, fn: (note: (text: string) => void) => Promise<T>): Promise<T> {
    let value: T | undefined;
    await new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            value = await fn((text) => {
              task.output = text;
            });
          },
          rendererOptions: { persistentOutput: true },
        },
      ],
      {
        renderer: StderrRenderer,
        fallbackRenderer: 'simple',
        exitOnError: true,
        rendererOptions: { collapseErrors: false, logger: stderrLogger() },
        fallbackRendererOptions: { logger: stderrLogger() },
      },
    ).run();
    return value as T;
  }
  info(text: string): void {
    this.write(text);
  }
  gate(result: GateResult): void {
    for (const l of gateLines(result)) this.write(l);
  }
}

export const silentProgress: Progress = { step: (_t, fn) => fn(() => undefined), info: () => undefined, gate: () => undefined };

/** Progress on stderr: spinners on an interactive stderr, plain lines for --json, CI and pipes. */
export function progressFor(io: Io, json: boolean): Progress {
  const toStderr = (t: string) => io.err(t);
  // CI runners often allocate a pseudo-TTY: spinners would garble the log, so lines there too.
  if (!json && process.stderr.isTTY && !process.env.CI) return new ListrProgress(toStderr);
  return new LineProgress(toStderr);
}
