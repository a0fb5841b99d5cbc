/**
 * What every state-touching verb opens first, in this order so bad input changes nothing:
 * environment (validated) → release (must exist) → state store (local or S3) → lock
 * (promote/rollback/verify) → state, ledger → target (sandbox or AWS), opened lazily. The flows
 * reach state, ledger, lock and kept stacks only through `store` (rollout/state/store/).
 */
import { loadEnvironment } from '../../model/index.js';
import type { Environment } from '../../model/types.js';
import { UsageError } from '../../core/errors.js';
import type { LedgerLog } from '../state/ledger.js';
import { envPaths, type EnvPaths } from '../state/paths.js';
import type { RolloutState } from '../state/store.js';
import type { HeldLock, RolloutStore } from '../state/store/index.js';
import { openStore } from './state-store.js';
import type { OpenTargetOptions, Target } from './target.js';
import type { CommonFlags } from './flags.js';
import { isoDate } from './unit.js';
import { createNotifier, type Notifier } from '../notify/index.js';

export interface SessionOptions {
  /** Take the environment lock for this command (e.g. "promote pilot"). */
  lock?: string;
  target?: OpenTargetOptions;
  /** Use this environment instead of loading `flags.env` (programmatic use, tests). */
  env?: Environment;
  /** Refusals that need the environment, run before the lock is taken so a refusal changes nothing. */
  check?: (env: Environment) => void;
}

export class Session {
  private targetP?: Promise<Target>;
  private constructor(
    readonly env: Environment,
    readonly flags: CommonFlags,
    readonly paths: EnvPaths,
    readonly store: RolloutStore,
    readonly ledger: LedgerLog,
    readonly release: string,
    private readonly held: HeldLock | undefined,
    private readonly targetOpts: OpenTargetOptions,
    /** Webhook notifications of this verb (rollout/notify); delivered while it runs, settled and recorded at close. */
    readonly notifier: Notifier,
  ) {}

  static async open(flags: CommonFlags, opts: SessionOptions = {}): Promise<Session> {
    const env = opts.env ?? (await loadEnvironment(flags.env));
    const release = flags.release ?? env.currentRelease;
    if (!env.releases.some((r) => r.name === release)) {
      throw new UsageError(
        `--release: "${release}" is not a release of environment ${env.name} (releases: ${env.releases.map((r) => r.name).join(', ')})`,
      );
    }
    opts.check?.(env);
    const paths = envPaths(env.name);
    const store = await openStore(env, flags, paths);
    let held: HeldLock | undefined;
    try {
      held = opts.lock ? await store.acquireLock(opts.lock) : undefined;
    } catch (err) {
      store.close();
      throw err;
    }
    const ledger = store.ledger(isoDate(flags.asOf));
    return new Session(env, flags, paths, store, ledger, release, held, opts.target ?? {}, createNotifier({ env, ledger }));
  }

  state(): Promise<RolloutState> {
    return this.store.loadState();
  }

  /** Reads, changes and writes the state (the store may re-apply `change` after a lost race). */
  updateState(change: (s: RolloutState) => void): Promise<RolloutState> {
    return this.store.updateState(change);
  }

  target(): Promise<Target> {
    // target.ts brings the AWS SDK, the engines and cdktf: loaded by the verbs that reach a target only.
    this.targetP ??= import('./target.js').then((t) => t.openTarget(this.env, this.flags, this.paths, this.targetOpts));
    return this.targetP;
  }

  async close(): Promise<void> {
    try {
      // Bounded by notifications.timeoutSeconds and never throws; its ledger entries are written
      // while the lock is still held.
      const sent = await this.notifier.settle();
      if (sent.ledgerError) process.stderr.write(`warning: notification attempts not recorded in the ledger: ${sent.ledgerError}\n`);
      if (this.targetP) await (await this.targetP.catch(() => undefined))?.close();
    } finally {
      try {
        await this.held?.release();
      } finally {
        this.store.close();
      }
    }
  }
}
