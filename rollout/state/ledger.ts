/**
 * Append-only JSONL ledger of one environment (`.rollout/<env>/ledger.jsonl`): every plan,
 * apply, gate result, approval, rollback and promotion outcome, with who/when/release/phase/
 * plan hash. Lines are only ever appended (never rewritten). Entries carry the attempt id of
 * the promotion they belong to; plan/apply entries also carry a `key`, and `appendOnce` skips an
 * entry whose key is already present, so resuming a crashed attempt does not double them.
 */
import { open, readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname, userInfo } from 'node:os';
import type { Phase } from '../../model/types.js';
import type { GateName, GateStatus } from './contracts.js';
import type { StackName } from '../../stacks/artifact.js';

export const LEDGER_SCHEMA_VERSION = 1;

export type LedgerKind = 'plan' | 'apply' | 'gate' | 'approval' | 'rollback' | 'promoted' | 'halted' | 'no-op' | 'resume';

export interface LedgerEntry {
  schemaVersion: typeof LEDGER_SCHEMA_VERSION;
  at: string;
  who: string;
  host: string;
  env: string;
  kind: LedgerKind;
  attemptId: string;
  phase?: Phase;
  release?: string | null;
  /** Hash of the promoted unit the entry is about (model/unit.ts). */
  unit?: string;
  /** The as-of date (YYYY-MM-DD) the verb judged exceptions by. */
  asOf?: string;
  stack?: StackName;
  planHash?: string;
  changes?: number;
  gate?: GateName;
  status?: GateStatus | string;
  summary?: string;
  /** Failed check ids (gate entries) or other short structured detail. */
  detail?: unknown;
  key?: string;
}

export type LedgerInput = Omit<LedgerEntry, 'schemaVersion' | 'at' | 'who' | 'host'>;

/**
 * Who is acting: ROLLOUT_ACTOR, else the CI system's actor variable, else the OS user.
 * (GitHub Actions GITHUB_ACTOR, GitLab GITLAB_USER_LOGIN, Buildkite BUILDKITE_BUILD_CREATOR,
 * Terraform Cloud/other: set ROLLOUT_ACTOR.)
 */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  const ci = env.ROLLOUT_ACTOR || env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.BUILDKITE_BUILD_CREATOR;
  if (ci) return ci;
  try {
    return userInfo().username;
  } catch {
    return env.USER || 'unknown';
  }
}

export class Ledger {
  private keys?: Set<string>;
  constructor(
    readonly file: string,
    readonly env: string,
    /** The as-of date every entry of this verb records (YYYY-MM-DD). */
    readonly asOf?: string,
  ) {}

  async read(): Promise<LedgerEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // A torn last line (crash mid-write) is ignored rather than failing every later read.
    const out: LedgerEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as LedgerEntry);
      } catch {
        /* torn line */
      }
    }
    return out;
  }

  async append(input: LedgerInput): Promise<LedgerEntry> {
    const entry: LedgerEntry = {
      schemaVersion: LEDGER_SCHEMA_VERSION,
      at: new Date().toISOString(),
      who: currentActor(),
      host: hostname(),
      ...(this.asOf ? { asOf: this.asOf } : {}),
      ...input,
      env: this.env,
    };
    await mkdir(dirname(this.file), { recursive: true });
    const fh = await open(this.file, 'a');
    try {
      await fh.write(`${JSON.stringify(entry)}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    if (entry.key) this.keys?.add(entry.key);
    return entry;
  }

  /** Appends unless an entry with the same key exists (idempotent plan/apply records). */
  async appendOnce(input: LedgerInput & { key: string }): Promise<LedgerEntry | undefined> {
    if (!this.keys) this.keys = new Set((await this.read()).map((e) => e.key).filter((k): k is string => Boolean(k)));
    if (this.keys.has(input.key)) return undefined;
    return this.append(input);
  }
}
