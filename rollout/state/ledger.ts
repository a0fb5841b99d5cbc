/**
 * Append-only JSONL ledger of one environment (`.rollout/<env>/ledger.jsonl`): every plan,
 * apply, gate result, approval, rollback and promotion outcome, with who/when/release/phase/
 * plan hash. Lines are only ever appended (never rewritten; a torn tail is truncated, below). Entries carry the attempt id of
 * the promotion they belong to; plan/apply entries also carry a `key`, and `appendOnce` skips an
 * entry whose key is already present, so resuming a crashed attempt does not double them.
 *
 * Damage: a last line without its newline that does not parse is a *torn tail* (a crash
 * mid-write): reads skip it and the next append truncates it first, so a new entry never lands
 * on it. Any other line that is not a JSON object is corruption: reading fails with a
 * ToolingError (exit 3) naming the file and the line, because a ledger that silently loses
 * entries is worse than one that stops the verb.
 */
import { open, readFile, mkdir, type FileHandle } from 'node:fs/promises';
import { ToolingError } from '../../core/errors.js';
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
    return parseLedger(text, this.file);
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
    const fh = await open(this.file, 'a+');
    try {
      // Never append onto a torn tail: drop it (or end a complete last entry with its newline).
      const prefix = await repairTail(fh);
      await fh.write(`${prefix}${JSON.stringify(entry)}\n`);
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

const isEntry = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses ledger text: skips a torn tail, throws a ToolingError naming the first corrupt line. */
export function parseLedger(text: string, file: string): LedgerEntry[] {
  const lines = text.split('\n');
  const out: LedgerEntry[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isEntry(value)) {
      out.push(value as LedgerEntry);
      continue;
    }
    // The last element of split() has no newline after it: the torn tail of a crash mid-write.
    if (i === lines.length - 1) continue;
    throw new ToolingError(
      `${file}: line ${i + 1} is not a ledger entry (expected one JSON object per line); the ledger is corrupt — ` +
        'restore it from a backup or remove the line by hand after checking what it recorded',
    );
  }
  return out;
}

const TAIL_CHUNK = 64 * 1024;

/**
 * Looks at the end of the file (opened a+): a last line without a newline that parses is kept and
 * the next entry starts on a new line ("\n" returned); one that does not parse is a torn tail and
 * is truncated away. Returns the prefix to write before the next entry.
 */
async function repairTail(fh: FileHandle): Promise<string> {
  const { size } = await fh.stat();
  if (size === 0) return '';
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return '';
  // Find the start of the last line, reading backwards in chunks.
  let start = 0;
  let end = size;
  const parts: Buffer[] = [];
  while (end > 0) {
    const from = Math.max(0, end - TAIL_CHUNK);
    const buf = Buffer.alloc(end - from);
    await fh.read(buf, 0, buf.length, from);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      start = from + nl + 1;
      parts.unshift(buf.subarray(nl + 1));
      break;
    }
    parts.unshift(buf);
    end = from;
  }
  const tail = Buffer.concat(parts).toString('utf8');
  try {
    if (isEntry(JSON.parse(tail))) return '\n';
  } catch {
    /* torn */
  }
  await fh.truncate(start);
  return '';
}
