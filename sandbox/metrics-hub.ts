/**
 * Wiring of the guardrail metrics and the traffic simulation for startSandbox: the event store
 * (loaded from `<statePath>.metrics.json`), the publisher the runtime reports to, the traffic
 * simulator on a 1 s timer, and the throttled metrics file writer
 * (docs/sandbox.md#cloudwatch-metrics-and-traffic).
 */
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_DIMENSION_SETS, type DimensionSetSpec, validateDimensionSets } from './metrics/derive.js';
import { MetricStore } from './metrics/events.js';
import { loadMetricsFile, MetricsWriter, metricsPathFor } from './metrics/persist.js';
import { type EnforcedMetricsAccount, MetricPublisher } from './metrics/publish.js';
import type { RuntimeWorld } from './runtime/context.js';
import type { ServerMetrics } from './server.js';
import type { ServiceContext } from './services/common.js';
import type { TrafficProfile } from './traffic/profile.js';
import { TrafficSimulator } from './traffic/simulator.js';

const READ_STALENESS_MS = 100;

export interface MetricsHubOptions {
  traffic?: TrafficProfile | null;
  trafficCatchUpHorizonMs?: number;
  enforcedMetricsAccount?: EnforcedMetricsAccount;
  metricDimensionSets?: DimensionSetSpec[];
  metricsRetentionMs?: number;
  /** No change is still propagating (what is in force now stays in force until the next change). */
  settled?: () => boolean;
}

export interface MetricsHub {
  server: ServerMetrics;
  setTraffic(profile: TrafficProfile | null): void;
  /** Generates the traffic up to now, prunes old events, schedules the file write. */
  catchUp(): void;
  /** Starts the 1 s timer (errors go to onError; the next tick retries). */
  start(onError: (err: unknown) => void): void;
  flushSync(): void;
  stop(): void;
}

export function createMetricsHub(
  ctx: ServiceContext,
  world: RuntimeWorld,
  seed: number,
  statePath: string | undefined,
  opts: MetricsHubOptions,
): MetricsHub {
  const dimensionSets = opts.metricDimensionSets ?? DEFAULT_DIMENSION_SETS;
  validateDimensionSets(dimensionSets);
  const store = new MetricStore({ retentionMs: opts.metricsRetentionMs });
  const path = statePath ? metricsPathFor(statePath) : undefined;
  const fileTick = path ? loadMetricsFile(path, store) : undefined;
  // The metrics file's tick matches its events: never regenerate calls it already holds.
  const persisted = ctx.state.traffic;
  if (persisted && fileTick !== undefined && fileTick > persisted.lastTick) persisted.lastTick = fileTick;
  const publisher = new MetricPublisher(store, {
    seed,
    enforcedMetricsAccount: opts.enforcedMetricsAccount,
    managementAccount: () => ctx.state.organization.masterAccountId,
  });
  const traffic = new TrafficSimulator({
    world,
    publisher,
    now: ctx.now,
    get: () => ctx.state.traffic,
    set: (t) => {
      if (t) ctx.state.traffic = t;
      else delete ctx.state.traffic;
    },
    catchUpHorizonMs: opts.trafficCatchUpHorizonMs,
    revision: () => ctx.revision ?? 0,
    settled: opts.settled,
  });
  // The same profile again (each CLI run passes the environment's) keeps lastTick, so the run catches up.
  if (opts.traffic === null) traffic.setProfile(null);
  else if (opts.traffic && !isDeepStrictEqual(opts.traffic, persisted?.profile)) traffic.setProfile(opts.traffic);
  const writer = path ? new MetricsWriter(path, store, () => ctx.state.traffic?.lastTick) : undefined;
  let timer: NodeJS.Timeout | undefined;
  const catchUp = () => {
    traffic.tick();
    store.prune(ctx.now());
    writer?.schedule();
  };
  return {
    // A read sees the calls up to at most READ_STALENESS_MS ago (CloudWatch itself is a minute or
    // so behind): a burst of reads does not re-walk every account and Region for each one.
    server: {
      store,
      publisher,
      dimensionSets,
      beforeRead: () => {
        if (ctx.now() - (ctx.state.traffic?.lastTick ?? 0) >= READ_STALENESS_MS) catchUp();
      },
      changed: () => writer?.schedule(),
    },
    setTraffic: (profile) => traffic.setProfile(profile),
    catchUp,
    start(onError) {
      timer = setInterval(() => {
        try {
          catchUp();
        } catch (err) {
          onError(err);
        }
      }, 1000);
      timer.unref();
    },
    flushSync: () => writer?.flushSync(),
    stop: () => clearInterval(timer),
  };
}
