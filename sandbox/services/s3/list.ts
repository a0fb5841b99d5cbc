/**
 * ListObjectsV2: Prefix, Delimiter (CommonPrefixes), MaxKeys (default and cap 1000),
 * ContinuationToken / NextContinuationToken, StartAfter, EncodingType=url; keys in UTF-8 byte
 * order. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * The continuation token is opaque to clients; here it names the last key or common prefix
 * returned, so a page resumes after it even if keys were added or removed in between.
 */
import { xmlEscape, type SvcRequest } from '../../protocol.js';
import type { HandlerResult, ServiceContext } from '../common.js';
import { invalidArgument } from './errors.js';
import { lowerBound, requireBucket } from './store.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_KEYS = 1000;

type Item = { kind: 'key'; key: string; etag: string; size: number; lastModified: string } | { kind: 'prefix'; prefix: string };

function encodeToken(item: Item): string {
  return Buffer.from(item.kind === 'key' ? `k:${item.key}` : `p:${item.prefix}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): { key?: string; prefix?: string } {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (text.startsWith('k:')) return { key: text.slice(2) };
  if (text.startsWith('p:')) return { prefix: text.slice(2) };
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

export function listObjectsV2(ctx: ServiceContext, req: SvcRequest, bucketName: string): HandlerResult {
  const bucket = requireBucket(ctx.state, bucketName);
  const q = req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const startAfter = q.get('start-after') ?? undefined;
  const token = q.get('continuation-token') ?? undefined;
  const encodingType = q.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  const rawMax = q.get('max-keys');
  let maxKeys = MAX_KEYS;
  if (rawMax !== null) {
    if (!/^\d+$/.test(rawMax)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', rawMax);
    maxKeys = Math.min(Number(rawMax), MAX_KEYS);
  }
  // Resume point: after the token's item if there is one, else after StartAfter.
  const from = token !== undefined ? decodeToken(token) : startAfter !== undefined ? { key: startAfter } : {};
  const marker = from.key ?? from.prefix;
  const objects = bucket.objects;
  let i = Math.max(lowerBound(objects, prefix), marker === undefined ? 0 : lowerBound(objects, marker, true));

  const items: Item[] = [];
  let truncated = false;
  let lastPrefix = from.prefix;
  for (; i < objects.length; i++) {
    const o = objects[i]!;
    // The keys sharing a prefix are contiguous in byte order, and i starts inside that run.
    if (!o.key.startsWith(prefix)) break;
    let item: Item = { kind: 'key', key: o.key, etag: o.etag, size: o.size, lastModified: o.lastModified };
    if (delimiter !== undefined) {
      const at = o.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const cp = o.key.slice(0, at + delimiter.length);
        if (cp === lastPrefix) continue; // rolled up into a common prefix already returned
        item = { kind: 'prefix', prefix: cp };
        lastPrefix = cp;
      }
    }
    if (items.length === maxKeys) {
      truncated = true;
      break;
    }
    items.push(item);
  }

  const enc = (s: string) => xmlEscape(encodingType === 'url' ? encodeURIComponent(s).replace(/%20/g, '+') : s);
  const contents = items
    .filter((x) => x.kind === 'key')
    .map(
      (x) =>
        `<Contents><Key>${enc(x.key)}</Key><LastModified>${x.lastModified}</LastModified><ETag>${xmlEscape(x.etag)}</ETag>` +
        `<Size>${x.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const prefixes = items
    .filter((x) => x.kind === 'prefix')
    .map((x) => `<CommonPrefixes><Prefix>${enc(x.prefix)}</Prefix></CommonPrefixes>`)
    .join('');
  const last = items[items.length - 1];
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(bucket.name)}</Name>` +
    `<Prefix>${enc(prefix)}</Prefix>${delimiter !== undefined ? `<Delimiter>${enc(delimiter)}</Delimiter>` : ''}` +
    `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${items.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>` +
    `${encodingType ? `<EncodingType>${encodingType}</EncodingType>` : ''}` +
    `${token !== undefined ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ''}` +
    `${truncated && last ? `<NextContinuationToken>${encodeToken(last)}</NextContinuationToken>` : ''}` +
    `${startAfter !== undefined ? `<StartAfter>${enc(startAfter)}</StartAfter>` : ''}` +
    `${contents}${prefixes}</ListBucketResult>`;
  return { response: { status: 200, headers: { 'content-type': 'application/xml' }, body }, mutated: false };
}
