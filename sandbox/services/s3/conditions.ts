/**
 * Preconditions. Writes (PutObject, DeleteObject): `If-None-Match: *` creates only,
 * `If-Match: <etag>` replaces or deletes only that version, both evaluated against the current
 * object in the same synchronous step as the write, so of concurrent conditional writers exactly one
 * wins and the others get 412
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html).
 * Reads (GetObject, HeadObject): RFC 7232 with S3's documented precedence
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
 */
import type { ObjectRecord } from '../../state.js';
import { noSuchKey, notImplemented, preconditionFailed } from './errors.js';

/** ETags compare without quotes or a weak `W/` prefix (clients send both forms). */
function bare(tag: string): string {
  let t = tag.trim();
  if (t.startsWith('W/')) t = t.slice(2);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
  return t;
}

/** Does an If-Match / If-None-Match list (`*` or comma-separated tags) match the object's ETag? */
export function etagMatches(header: string, etag: string): boolean {
  const want = bare(etag);
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === want);
}

/** Throws unless a write with these headers may replace (or create) `current`. */
export function checkWriteConditions(headers: Record<string, string | undefined>, key: string, current: ObjectRecord | undefined): void {
  const noneMatch = headers['if-none-match'];
  const match = headers['if-match'];
  if (noneMatch !== undefined) {
    // S3 accepts only `*` here (existence check); an ETag value is not supported.
    if (noneMatch.trim() !== '*') throw notImplemented();
    if (current) throw preconditionFailed('If-None-Match');
  }
  if (match !== undefined) {
    // No current object: 404 NoSuchKey, not 412 (conditional-writes.html, "If-Match").
    if (!current) throw noSuchKey(key);
    if (!etagMatches(match, current.etag)) throw preconditionFailed('If-Match');
  }
}

export function hasWriteConditions(headers: Record<string, string | undefined>): boolean {
  return headers['if-none-match'] !== undefined || headers['if-match'] !== undefined;
}

/** HTTP dates compare at one-second resolution (Last-Modified has no fraction). */
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * GetObject / HeadObject: 'ok', 304 (not modified) or 412. If-Match true overrides a false
 * If-Unmodified-Since; If-None-Match false overrides a true If-Modified-Since.
 */
export function readOutcome(headers: Record<string, string | undefined>, obj: ObjectRecord): 'ok' | 304 | 412 {
  const modified = seconds(Date.parse(obj.lastModified));
  const date = (name: string) => {
    const v = headers[name];
    const t = v === undefined ? Number.NaN : Date.parse(v);
    return Number.isNaN(t) ? undefined : seconds(t);
  };
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  const unmodifiedSince = date('if-unmodified-since');
  const modifiedSince = date('if-modified-since');
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, obj.etag)) return 412;
  } else if (unmodifiedSince !== undefined && modified > unmodifiedSince) return 412;
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, obj.etag)) return 304;
  } else if (modifiedSince !== undefined && modified <= modifiedSince) return 304;
  return 'ok';
}
