/**
 * The ledger's hash chain (schema 2): every entry records its position (`seq`, 1-based, counting
 * any schema-1 entries before it), the hash of the entry before it (`prev`; null for the very
 * first entry) and its own `hash` (sha256 of its canonical JSON without `hash`). Editing an entry
 * breaks its hash; removing, inserting or reordering entries breaks `seq` and `prev` of the next
 * one. The chain is a tamper *evidence*, not a signature: someone who can rewrite the whole ledger
 * can rewrite the chain too, so keep the ledger where edits are audited (S3 versioning, CloudTrail).
 *
 * Schema-1 entries (written before the chain) are accepted as an unchained prefix: the first
 * chained entry's `prev` is the hash of the last schema-1 entry, so that one is pinned; earlier
 * ones are not, and `ledger verify` says how many there are. A schema-1 entry *after* a chained
 * one is refused (it was inserted, or its chain fields were stripped).
 */
import { canonicalSha256 } from '../../core/canonical-json.js';
import type { LedgerEntry } from './ledger.js';

/** sha256 of the entry's canonical JSON without its `hash` field. */
export function entryHash(entry: LedgerEntry): string {
  const { hash: _hash, ...rest } = entry;
  return canonicalSha256(rest);
}

/** What the next entry's `prev` must be: the recorded hash of `last` (computed for a schema-1 entry), or null. */
export function linkTo(last: LedgerEntry | undefined): string | null {
  if (!last) return null;
  return last.hash ?? entryHash(last);
}

/** Adds seq, prev and hash to an entry that follows `last` at position `seq`. */
export function seal(entry: Omit<LedgerEntry, 'seq' | 'prev' | 'hash'>, last: LedgerEntry | undefined, seq: number): LedgerEntry {
  const linked = { ...entry, seq, prev: linkTo(last) } as LedgerEntry;
  return { ...linked, hash: entryHash(linked) };
}

/** One stored entry and where it is (a line of ledger.jsonl, an object of the S3 ledger). */
export interface StoredEntry {
  entry: LedgerEntry;
  /** "line 7", "s3://bucket/prefix/env/ledger/0000000007.json" */
  where: string;
  /** The sequence number the storage itself gives (the S3 object key); absent for lines. */
  storedSeq?: number;
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  /** Schema-1 entries before the chain (not protected, except the last one). */
  unchained: number;
  /** Hash of the last entry (null for an empty ledger). */
  last: string | null;
  /** The first problem found. */
  problem?: { where: string; seq?: number; kind: 'edited' | 'missing' | 'reordered' | 'unchained' | 'broken-link'; message: string };
}

const short = (h: string | null | undefined) => (h ? h.slice(0, 12) : String(h));
const describe = (e: LedgerEntry) => `${e.kind}${e.phase ? ` ${e.phase}` : ''} at ${e.at}`;

/** Checks the chain of entries in stored order; stops at the first problem. */
export function verifyChain(items: StoredEntry[]): ChainReport {
  let last: LedgerEntry | undefined;
  let unchained = 0;
  const fail = (item: StoredEntry, kind: NonNullable<ChainReport['problem']>['kind'], message: string): ChainReport => ({
    ok: false,
    entries: items.length,
    unchained,
    last: linkTo(items.at(-1)?.entry),
    problem: { where: item.where, seq: item.entry.seq ?? item.storedSeq, kind, message: `${item.where}: ${message}` },
  });
  for (const [i, item] of items.entries()) {
    const e = item.entry;
    const pos = i + 1;
    if (e.hash === undefined) {
      if (last?.hash !== undefined) {
        return fail(
          item,
          'unchained',
          `entry ${pos} (${describe(e)}) has no hash after the chain started: it was inserted, or its chain fields were removed`,
        );
      }
      unchained++;
      last = e;
      continue;
    }
    if (entryHash(e) !== e.hash) {
      return fail(
        item,
        'edited',
        `entry seq ${e.seq} (${describe(e)}) was edited: its content no longer matches its hash ${short(e.hash)}`,
      );
    }
    if (item.storedSeq !== undefined && item.storedSeq !== e.seq) {
      return fail(item, 'reordered', `the object for seq ${item.storedSeq} holds entry seq ${e.seq} (${describe(e)}): entries were moved`);
    }
    if (e.seq !== pos) {
      const later = e.seq !== undefined && e.seq > pos && items.slice(i + 1).some((x) => x.entry.seq === pos);
      if (e.seq !== undefined && e.seq > pos && !later) {
        const n = e.seq - pos;
        return fail(
          item,
          'missing',
          `expected entry seq ${pos} here, found seq ${e.seq} (${describe(e)}): ${n} entr${n === 1 ? 'y is' : 'ies are'} missing before it`,
        );
      }
      return fail(item, 'reordered', `entry seq ${e.seq} (${describe(e)}) is at position ${pos}: entries were reordered or duplicated`);
    }
    const expected = linkTo(last);
    if (e.prev !== expected) {
      return fail(
        item,
        'broken-link',
        `entry seq ${e.seq} (${describe(e)}) says the entry before it had hash ${short(e.prev)}, but it has ${short(expected)}: ` +
          'the entry before it was changed (and re-hashed) or replaced',
      );
    }
    last = e;
  }
  return { ok: true, entries: items.length, unchained, last: linkTo(last) };
}

/** One line for people: "12 entries, chain intact, last 3f9a1c2e4b5d" (and the unchained prefix, when there is one). */
export function chainSummary(r: ChainReport): string {
  if (!r.ok) return r.problem!.message;
  if (r.entries === 0) return '0 entries (empty ledger)';
  const legacy = r.unchained ? ` (the first ${r.unchained} written before schema 2 are unchained; only the last of them is pinned)` : '';
  return `${r.entries} entries, chain intact, last ${short(r.last)}${legacy}`;
}
