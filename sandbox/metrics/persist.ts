/**
 * The metric events beside the state file (`<statePath>.metrics.json`), not in it: the state is
 * rewritten after every mutating call and must stay small, while events accrue on every
 * inference call. Written at most every `intervalMs` (default 2 s) when something changed, and
 * synchronously on flush/close; loaded at start. Losing the last seconds on a crash is acceptable
 * for metrics.
 */
import { existsSync, readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import type { MetricStore, MetricStoreSnapshot } from './events.js';

export const metricsPathFor = (statePath: string) => `${statePath}.metrics.json`;

/** The file also records how far the traffic simulation had generated when it was written. */
interface MetricsFile extends MetricStoreSnapshot {
  trafficLastTick?: number;
}

/** Loads the events into `store`; returns the file's trafficLastTick (undefined without one). */
export function loadMetricsFile(path: string, store: MetricStore): number | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as MetricsFile;
    store.load(file);
    return typeof file.trafficLastTick === 'number' ? file.trafficLastTick : undefined;
  } catch {
    // A torn or foreign file only loses metrics, never the emulator: start empty.
    return undefined;
  }
}

export class MetricsWriter {
  private timer: NodeJS.Timeout | undefined;
  private written = -1;

  constructor(
    private readonly path: string,
    private readonly store: MetricStore,
    private readonly trafficLastTick: () => number | undefined,
    private readonly intervalMs = 2000,
  ) {
    this.written = store.revision;
  }

  /** Something changed: write within intervalMs (one pending write at a time). */
  schedule(): void {
    if (this.timer || this.store.revision === this.written) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushSync();
    }, this.intervalMs);
    this.timer.unref();
  }

  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.store.revision === this.written) return;
    const file: MetricsFile = { ...this.store.toJSON(), trafficLastTick: this.trafficLastTick() };
    writeFileAtomic.sync(this.path, JSON.stringify(file));
    this.written = this.store.revision;
  }
}
