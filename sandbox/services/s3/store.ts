/**
 * The S3 part of the sandbox state: buckets by name (one global namespace, as on S3) and each
 * bucket's objects as an array sorted in UTF-8 byte order — the order ListObjectsV2 returns
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), which differs from
 * JavaScript's UTF-16 string order for characters beyond the BMP — found by binary search.
 * An array rather than an object keyed by name so that keys such as `__proto__` are plain data.
 */
import type { BucketRecord, ObjectRecord, S3State, SandboxState } from '../../state.js';
import { noSuchBucket } from './errors.js';

export function s3State(state: SandboxState): S3State {
  // State files written before the sandbox emulated S3 have no `s3` key.
  state.s3 ??= { buckets: {} };
  return state.s3;
}

export function findBucket(state: SandboxState, name: string): BucketRecord | undefined {
  const buckets = s3State(state).buckets;
  return Object.hasOwn(buckets, name) ? buckets[name] : undefined;
}

export function requireBucket(state: SandboxState, name: string): BucketRecord {
  const b = findBucket(state, name);
  if (!b) throw noSuchBucket(name);
  return b;
}

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Index of the first object whose key is ≥ `key` (or > `key` when `strict`). */
export function lowerBound(objects: readonly ObjectRecord[], key: string, strict = false): number {
  const target = Buffer.from(key, 'utf8');
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = Buffer.compare(Buffer.from(objects[mid]!.key, 'utf8'), target);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function findObject(bucket: BucketRecord, key: string): ObjectRecord | undefined {
  const o = bucket.objects[lowerBound(bucket.objects, key)];
  return o && o.key === key ? o : undefined;
}

/** Inserts or replaces the object with the same key (the caller has already checked any condition). */
export function storeObject(bucket: BucketRecord, obj: ObjectRecord): void {
  const i = lowerBound(bucket.objects, obj.key);
  if (bucket.objects[i]?.key === obj.key) bucket.objects[i] = obj;
  else bucket.objects.splice(i, 0, obj);
}

export function removeObject(bucket: BucketRecord, key: string): boolean {
  const i = lowerBound(bucket.objects, key);
  if (bucket.objects[i]?.key !== key) return false;
  bucket.objects.splice(i, 1);
  return true;
}

/**
 * When each key was last deleted (monotonic ms, in memory only): a conditional write whose request
 * arrived before a delete of its key completed answers 409 ConditionalRequestConflict, as S3 does
 * when "a delete request to an object succeeds before a conditional write operation on that object
 * completes" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
const deletions = new WeakMap<SandboxState, Map<string, number>>();

export function noteDeletion(state: SandboxState, bucket: string, key: string, at: number): void {
  let m = deletions.get(state);
  if (!m) deletions.set(state, (m = new Map()));
  m.set(`${bucket}\u0000${key}`, at);
}

export function deletedSince(state: SandboxState, bucket: string, key: string, since: number): boolean {
  const at = deletions.get(state)?.get(`${bucket}\u0000${key}`);
  return at !== undefined && at >= since;
}
