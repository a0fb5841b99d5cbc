/**
 * The S3 ledger: one object per entry, `<prefix>/<env>/ledger/<seq, 10 digits>.json`, so an append
 * never rewrites anything. An append is PutObject If-None-Match: * of the next sequence number;
 * a concurrent appender that took that number first makes it 412, and the entry is re-chained
 * onto the winner and tried at the following number. Entries are chained like the local ledger's
 * (rollout/state/ledger-chain.ts).
 */
import pLimit from 'p-limit';
import { ToolingError } from '../../../core/errors.js';
import { entryOf, type LedgerEntry, type LedgerInput, type LedgerLog } from '../ledger.js';
import { seal, type StoredEntry } from '../ledger-chain.js';
import { get, list, put, urlOf, type S3Place } from './s3-objects.js';

const FOLDER = 'ledger';
const keyOf = (seq: number) => `${FOLDER}/${String(seq).padStart(10, '0')}.json`;
const seqOf = (key: string) => {
  const m = /\/(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : undefined;
};
/** Concurrent GETs when reading the whole ledger. */
const READ_CONCURRENCY = 16;
const MAX_APPEND_ROUNDS = 50;

export class S3Ledger implements LedgerLog {
  private keys?: Set<string>;
  private tail?: { seq: number; entry: LedgerEntry };
  constructor(
    private readonly p: S3Place,
    readonly env: string,
    readonly asOf?: string,
  ) {}

  private parse(key: string, body: string): LedgerEntry {
    try {
      const v: unknown = JSON.parse(body);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as LedgerEntry;
    } catch {
      /* below */
    }
    throw new ToolingError(`${urlOf(this.p, key)} is not a ledger entry (expected one JSON object); the ledger is corrupt`);
  }

  async readStored(): Promise<StoredEntry[]> {
    const keys = (await list(this.p, FOLDER)).filter((k) => seqOf(k) !== undefined);
    const limit = pLimit(READ_CONCURRENCY);
    return Promise.all(
      keys.map((key) =>
        limit(async () => {
          const got = await get(this.p, key);
          // Listed but gone: deleted meanwhile (the chain check reports the gap).
          if (!got) throw new ToolingError(`${urlOf(this.p, key)} was listed but could not be read: the ledger changed while reading it`);
          return { entry: this.parse(key, got.body), where: urlOf(this.p, key), storedSeq: seqOf(key) };
        }),
      ),
    );
  }

  async read(): Promise<LedgerEntry[]> {
    return (await this.readStored()).map((s) => s.entry);
  }

  /** The highest-numbered entry (one listing and one GET). */
  private async findTail(): Promise<{ seq: number; entry: LedgerEntry } | undefined> {
    const keys = (await list(this.p, FOLDER)).filter((k) => seqOf(k) !== undefined);
    const key = keys.at(-1);
    if (!key) return undefined;
    const got = await get(this.p, key);
    if (!got) return undefined;
    return { seq: seqOf(key)!, entry: this.parse(key, got.body) };
  }

  async append(input: LedgerInput): Promise<LedgerEntry> {
    const draft = entryOf(input, this.env, this.asOf);
    this.tail ??= await this.findTail();
    for (let round = 0; round < MAX_APPEND_ROUNDS; round++) {
      const seq = (this.tail?.seq ?? 0) + 1;
      const entry = seal(draft, this.tail?.entry, seq);
      const r = await put(this.p, keyOf(seq), JSON.stringify(entry), { ifNoneMatch: '*' });
      if (r !== 'conflict') {
        this.tail = { seq, entry };
        if (entry.key) this.keys?.add(entry.key);
        return entry;
      }
      // Someone else appended `seq` first: chain onto theirs.
      const got = await get(this.p, keyOf(seq));
      this.tail = got ? { seq, entry: this.parse(keyOf(seq), got.body) } : await this.findTail();
    }
    throw new ToolingError(
      `state store: could not append to the ledger ${urlOf(this.p, `${FOLDER}/`)} after ${MAX_APPEND_ROUNDS} attempts (too many concurrent appenders)`,
    );
  }

  async appendOnce(input: LedgerInput & { key: string }): Promise<LedgerEntry | undefined> {
    if (!this.keys) this.keys = new Set((await this.read()).map((e) => e.key).filter((k): k is string => Boolean(k)));
    if (this.keys.has(input.key)) return undefined;
    return this.append(input);
  }
}
