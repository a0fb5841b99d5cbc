/**
 * Progress of a long verb, one step at a time. On a TTY (and not --json) each step is a listr2
 * task with a spinner; otherwise a plain line renderer prints `▶ step`, `✔ step (1.2s)` or
 * `✖ step: reason`, which reads well in CI logs. With --json, progress goes to stderr so stdout
 * carries exactly one JSON document.
 */
import { Listr } from 'listr2';
import type { Io } from './cli-support.js';
import type { GateResult } from './types.js';

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
  const bad = result.checks.filter((c) => c.status !== 'passed');
  for (const c of bad.slice(0, MAX_FAILED_SHOWN)) lines.push(`      ${c.status === 'failed' ? '✖' : '?'} ${c.id}: ${c.detail}`);
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
  info(text: string): void { this.write(text); }
  gate(result: GateResult): void { for (const l of gateLines(result)) this.write(l); }
}

export class ListrProgress implements Progress {
  async step<T>(title: string, fn: (note: (text: string) => void) => Promise<T>): Promise<T> {
    let value: T | undefined;
    await new Listr([{
      title,
      task: async (_ctx, task) => { value = await fn((text) => { task.output = text; }); },
      rendererOptions: { persistentOutput: true },
    }], { renderer: 'default', fallbackRenderer: 'simple', exitOnError: true, rendererOptions: { collapseErrors: false } }).run();
    return value as T;
  }
  info(text: string): void { process.stdout.write(text + '\n'); }
  gate(result: GateResult): void { for (const l of gateLines(result)) process.stdout.write(l + '\n'); }
}

export const silentProgress: Progress = { step: (_t, fn) => fn(() => undefined), info: () => undefined, gate: () => undefined };

export function progressFor(io: Io, json: boolean): Progress {
  if (json) return new LineProgress((t) => io.err(t));
  if (process.stdout.isTTY && !process.env.CI) return new ListrProgress();
  return new LineProgress((t) => io.out(t));
}
