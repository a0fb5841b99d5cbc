/** In-process drivers for the rollout verbs against the sandbox (no spawning), for e2e tests. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment, Phase } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { Ledger, type LedgerEntry } from '../../rollout/state/ledger.js';
import { envPaths } from '../../rollout/state/paths.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { promote, type RolloutResult } from '../../rollout/flows/promote.js';
import { rollBack, verify } from '../../rollout/flows/rollback.js';
import { Session } from '../../rollout/flows/session.js';
import type { OpenTargetOptions } from '../../rollout/flows/target.js';
import { loadState, type RolloutState } from '../../rollout/state/store.js';

export function freshHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'rollout-e2e-'));
  process.env.ROLLOUT_HOME = home;
  return home;
}

/**
 * Each test of the file in a fresh ROLLOUT_HOME, removed afterwards. Returns the current home
 * (for tests that look inside it).
 */
export function useFreshHome(): () => string {
  let home = '';
  beforeEach(() => {
    home = freshHome();
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
    delete process.env.ROLLOUT_HOME;
  });
  return () => home;
}

export interface RunOpts {
  env: Environment;
  release?: string;
  asOf?: string;
  engine?: 'sandbox' | 'terraform';
  /** promote --accept-weakening "<reason>". */
  acceptWeakening?: string;
  /** promote --wait-bake. */
  waitBake?: boolean;
  /** Options of the in-process emulator (faults, traffic) and the target. */
  target?: OpenTargetOptions;
}

export async function runVerb(verb: 'promote' | 'rollback' | 'verify', phase: Phase, o: RunOpts): Promise<RolloutResult> {
  const flags = parseFlags({
    env: o.env.name,
    release: o.release,
    asOf: o.asOf,
    engine: o.engine,
    acceptWeakening: o.acceptWeakening,
    waitBake: o.waitBake,
    yes: true,
    json: true,
  });
  const s = await Session.open(flags, { lock: `${verb} ${phase}`, env: o.env, ...(o.target ? { target: o.target } : {}) });
  try {
    if (verb === 'promote') return await promote(s, phase, { progress: silentProgress });
    if (verb === 'rollback') return await rollBack(s, phase, { progress: silentProgress });
    return await verify(s, phase, { progress: silentProgress });
  } finally {
    await s.close();
  }
}

export async function state(envName = 'sandbox'): Promise<RolloutState> {
  return loadState(envPaths(envName).state, envName);
}

export async function ledger(envName = 'sandbox'): Promise<LedgerEntry[]> {
  return new Ledger(envPaths(envName).ledger, envName).read();
}

/** The sandbox engine's recorded resources of one stack (what is deployed for that phase). */
export function engineStack(stack: string, envName = 'sandbox'): unknown {
  const f = envPaths(envName).sandboxEngine;
  if (!existsSync(f)) return undefined;
  return (JSON.parse(readFileSync(f, 'utf8')) as { stacks: Record<string, { resources: unknown }> }).stacks[stack]?.resources;
}
