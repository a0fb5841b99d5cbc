/**
 * Append-only JSONL ledger of one environment (`.rollout/<env>/ledger.jsonl`): every plan,
 * apply, gate result, approval, rollback and promotion outcome, with who/when/release/phase/
 * plan hash. Lines are only ever appended (never rewritten; a torn tail is truncated, below). Entries carry the attempt id of
 * the promotion they belong to; plan/apply entries also carry a `key`, and `appendOnce` skips an
 * entry whose key is already present, so resuming a crashed attempt does not double them.
 *
 * Chain (schema 2, rollout/state/ledger-chain.ts): every entry carries `seq`, `prev` and `hash`,
 * and `rollout ledger verify` checks them. Appends take a short lock (`ledger.jsonl.lock`) so two
 * processes (e.g. `plan`, which holds no environment lock) cannot both chain onto the same entry.
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
import lockfile from 'proper-lockfile';
import { seal, type StoredEntry } from './ledger-chain.js';
import { toolVersion } from './tool-version.js';
import type { Phase } from '../../model/types.js';
import type { GateName, GateStatus } from './contracts.js';
import type { StackName } from '../../stacks/artifact.js';

/** 2: the hash chain (seq, prev, hash) and the tool version. Schema-1 entries are still read. */
export const LEDGER_SCHEMA_VERSION = 2;

export type LedgerKind =
  | 'plan'
  | 'apply'
  | 'gate'
  | 'approval'
  | 'rollback'
  | 'promoted'
  | 'halted'
  | 'no-op'
  | 'resume'
  | 'unlock'
  /** promote --accept-weakening: `summary` is the reason, `detail` the weakening items (rollout/flows/weakening.ts). */
  | 'weakening-accepted'
  /** promote --to-older: `summary` is the reason, `detail` the units (rollout/state/promotion.ts OlderUnit). */
  | 'to-older-accepted'
  /** `rollout adopt`: `detail` the adopted objects (ids, owning phase, mapping) (rollout/flows/adopt/). */
  | 'adopted'
  /** One webhook delivery attempt (rollout/notify): `notification` says which sink, event and outcome; never the URL. */
  | 'notification';

export interface LedgerEntry {
  schemaVersion: 1 | typeof LEDGER_SCHEMA_VERSION;
  /** Position in the ledger, 1-based (schema 2). */
  seq?: number;
  /** Hash of the entry before it; null for the first entry (schema 2). */
  prev?: string | null;
  /** sha256 of this entry's canonical JSON without `hash` (schema 2). */
  hash?: string;
  /** guardrail-rollout version (package.json) that wrote the entry (schema 2). */
  toolVersion?: string;
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
  /** planFileHash of the reviewed plan file a `promote --plan` was bound to (rollout/flows/plan-file.ts). */
  reviewedPlan?: string;
  stack?: StackName;
  planHash?: string;
  changes?: number;
  gate?: GateName;
  status?: GateStatus | string;
  summary?: string;
  /** Failed check ids (gate entries) or other short structured detail. */
  detail?: unknown;
  key?: string;
  /** kind 'notification': one delivery attempt. `outcome`: delivered | http-<status> | error: <message> | timeout | abandoned. */
  notification?: { sink: string; event: string; attempt: number; outcome: string; durationMs: number };
}

export type LedgerInput = Omit<LedgerEntry, 'schemaVersion' | 'at' | 'who' | 'host' | 'seq' | 'prev' | 'hash' | 'toolVersion'>;

/** What the flows append to and read, whichever store keeps it (rollout/state/store/). */
export interface LedgerLog {
  read(): Promise<LedgerEntry[]>;
  /** The entries with where each is stored, for `ledger verify`. */
  readStored(): Promise<StoredEntry[]>;
  append(input: LedgerInput): Promise<LedgerEntry>;
  /** Appends unless an entry with the same key exists (idempotent plan/apply records). */
  appendOnce(input: LedgerInput & { key: string }): Promise<LedgerEntry | undefined>;
}

/** A new entry's fields before it is chained: who, when, where, which tool. */
export function entryOf(input: LedgerInput, env: string, asOf?: string): Omit<LedgerEntry, 'seq' | 'prev' | 'hash'> {
  return {
    schemaVersion: LEDGER_SCHEMA_VERSION,
    at: new Date().toISOString(),
    who: currentActor(),
    host: hostname(),
    toolVersion: toolVersion(),
    ...(asOf ? { asOf } : {}),
    ...input,
    env,
  };
}

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

export class Ledger implements LedgerLog {
  private keys?: Set<string>;
  constructor(
    readonly file: string,
    readonly env: string,
    /** The as-of date every entry of this verb records (YYYY-MM-DD). */
    readonly asOf?: string,
  ) {}

  async read(): Promise<LedgerEntry[]> {
    return (await this.readStored()).map((s) => s.entry);
  }

  async readStored(): Promise<StoredEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return parseLedgerLines(text, this.file);
  }

  async append(input: LedgerInput): Promise<LedgerEntry> {
    const draft = entryOf(input, this.env, this.asOf);
    await mkdir(dirname(this.file), { recursive: true });
    const unlock = await lockfile.lock(this.file, {
      lockfilePath: `${this.file}.lock`,
      realpath: false,
      stale: 10_000,
      retries: { retries: 100, minTimeout: 5, maxTimeout: 100 },
      onCompromised: () => undefined,
    });
    let entry: LedgerEntry;
    try {
      const fh = await open(this.file, 'a+');
      try {
        // Never append onto a torn tail: drop it (or end a complete last entry with its newline).
        const { prefix, last } = await repairTail(fh);
        // The last entry names the next position; a schema-1 one (no seq) needs a count.
        if (last?.seq !== undefined) entry = seal(draft, last, last.seq + 1);
        else {
          const all = await this.read();
          entry = seal(draft, all.at(-1), all.length + 1);
        }
        await fh.write(`${prefix}${JSON.stringify(entry)}\n`);
        await fh.datasync();
      } finally {
        await fh.close();
      }
    } finally {
      await unlock().catch(() => undefined);
    }
    if (entry.key) this.keys?.add(entry.key);
    return entry;
  }

  async appendOnce(input: LedgerInput & { key: string }): Promise<LedgerEntry | undefined> {
    if (!this.keys) this.keys = new Set((await this.read()).map((e) => e.key).filter((k): k is string => Boolean(k)));
    if (this.keys.has(input.key)) return undefined;
    return this.append(input);
  }
}

const isEntry = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses ledger text: skips a torn tail, throws a ToolingError naming the first corrupt line. */
export function parseLedger(text: string, file: string): LedgerEntry[] {
  return parseLedgerLines(text, file).map((s) => s.entry);
}

function parseLedgerLines(text: string, file: string): StoredEntry[] {
  const lines = text.split('\n');
  const out: StoredEntry[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isEntry(value)) {
      out.push({ entry: value as LedgerEntry, where: `line ${i + 1}` });
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

function asEntry(text: string): LedgerEntry | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isEntry(v) ? (v as LedgerEntry) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks at the last line of the file (opened a+): one without a newline that parses is kept and
 * the next entry starts on a new line ("\n" returned); one that does not parse is a torn tail and
 * is truncated away. Returns the prefix to write before the next entry and the last entry, when
 * the last line is one (undefined otherwise: the caller reads the whole file).
 */
async function repairTail(fh: FileHandle): Promise<{ prefix: string; last?: LedgerEntry }> {
  const { size } = await fh.stat();
  if (size === 0) return { prefix: '' };
  const lastByte = Buffer.alloc(1);
  await fh.read(lastByte, 0, 1, size - 1);
  const terminated = lastByte[0] === 0x0a;
  // Find the start of the last line, reading backwards in chunks.
  let start = 0;
  let end = terminated ? size - 1 : size;
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
  const last = asEntry(Buffer.concat(parts).toString('utf8'));
  if (terminated) return { prefix: '', last };
  if (last) return { prefix: '\n', last };
  await fh.truncate(start);
  return { prefix: '' };
}
