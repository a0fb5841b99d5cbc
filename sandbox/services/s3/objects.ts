/**
 * PutObject, GetObject, HeadObject, DeleteObject (single-part, unversioned bucket).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html and siblings.
 * Every check and the write it guards run in one synchronous step (no await between them), so
 * concurrent requests are serialised at the moment each is handled: the first to finish wins.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors.js';
import type { SvcRequest, SvcResponse } from '../../protocol.js';
import type { ObjectRecord } from '../../state.js';
import type { HandlerResult, ServiceContext } from '../common.js';
import { decodeBody, verifyIntegrity } from './chunked.js';
import { checkWriteConditions, etagMatches, hasWriteConditions, readOutcome } from './conditions.js';
import { conditionalConflict, noSuchKey, notImplemented, preconditionFailed } from './errors.js';
import { deletedSince, findObject, noteDeletion, removeObject, requireBucket, storeObject } from './store.js';

/** Request headers stored with the object and returned on GET/HEAD (besides x-amz-meta-*). */
const KEPT_HEADERS = ['content-type', 'cache-control', 'content-disposition', 'content-language', 'expires'];

export function putObject(ctx: ServiceContext, req: SvcRequest, bucketName: string, key: string): HandlerResult {
  if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented('The sandbox does not emulate CopyObject.');
  const bucket = requireBucket(ctx.state, bucketName);
  const decoded = decodeBody(req.body, req.headers);
  verifyIntegrity(decoded, req.headers);
  // A delete that landed while this conditional write was arriving is a conflict, whatever the
  // condition would now say (the object it was written against is gone).
  if (hasWriteConditions(req.headers) && deletedSince(ctx.state, bucketName, key, req.receivedAt ?? Number.POSITIVE_INFINITY)) {
    throw conditionalConflict();
  }
  checkWriteConditions(req.headers, key, findObject(bucket, key));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && (KEPT_HEADERS.includes(k) || k.startsWith('x-amz-meta-'))) headers[k] = v;
  }
  if (decoded.contentEncoding) headers['content-encoding'] = decoded.contentEncoding;
  const obj: ObjectRecord = {
    key,
    etag: `"${createHash('md5').update(decoded.bytes).digest('hex')}"`,
    size: decoded.bytes.length,
    // Second precision, as S3's Last-Modified (an HTTP date) and its conditional reads see it.
    lastModified: new Date(Math.floor(ctx.now() / 1000) * 1000).toISOString(),
    body: decoded.bytes.toString('base64'),
    headers,
  };
  storeObject(bucket, obj);
  return {
    response: { status: 200, headers: { etag: obj.etag, 'x-amz-server-side-encryption': 'AES256' }, body: '' },
    mutated: true,
  };
}

function objectHeaders(obj: ObjectRecord): Record<string, string> {
  return {
    'content-type': 'binary/octet-stream', // S3's default when the upload named none
    ...obj.headers,
    etag: obj.etag,
    'last-modified': new Date(obj.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
}

/** GetObject and HeadObject; HEAD answers the same headers without a body. */
export function getObject(ctx: ServiceContext, req: SvcRequest, bucketName: string, key: string, head: boolean): HandlerResult {
  const bucket = requireBucket(ctx.state, bucketName);
  const obj = findObject(bucket, key);
  if (!obj) throw noSuchKey(key);
  const outcome = readOutcome(req.headers, obj);
  if (outcome === 412) throw preconditionFailed(req.headers['if-match'] !== undefined ? 'If-Match' : 'If-Unmodified-Since');
  if (outcome === 304) {
    return {
      response: { status: 304, headers: { etag: obj.etag, 'last-modified': new Date(obj.lastModified).toUTCString() }, body: '' },
      mutated: false,
    };
  }
  const bytes = Buffer.from(obj.body, 'base64');
  const headers = objectHeaders(obj);
  const range = req.headers.range === undefined ? undefined : parseRange(req.headers.range, bytes.length);
  let response: SvcResponse;
  if (range) {
    const [start, end] = range;
    headers['content-range'] = `bytes ${start}-${end}/${bytes.length}`;
    const part = bytes.subarray(start, end + 1);
    response = { status: 206, headers: { ...headers, 'content-length': String(part.length) }, body: head ? '' : part };
  } else {
    response = { status: 200, headers: { ...headers, 'content-length': String(bytes.length) }, body: head ? '' : bytes };
  }
  return { response, mutated: false };
}

/**
 * One `bytes=` range (first-last, first-, -suffix); anything else is ignored as HTTP allows, and a
 * range starting past the end is 416 InvalidRange.
 */
function parseRange(header: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (end < start && m[2] !== '') return undefined;
  }
  if (start >= size) {
    throw new AwsError('InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: header, ActualObjectSize: size });
  }
  return [start, end];
}

/**
 * DeleteObject: 204 whether or not the key existed (unversioned bucket). With `If-Match`
 * (conditional deletes, general purpose buckets since 2025-09): 412 when the ETag differs,
 * 404 NoSuchKey when there is no object.
 */
export function deleteObject(ctx: ServiceContext, req: SvcRequest, bucketName: string, key: string): HandlerResult {
  const bucket = requireBucket(ctx.state, bucketName);
  const match = req.headers['if-match'];
  if (match !== undefined) {
    const current = findObject(bucket, key);
    if (!current) throw noSuchKey(key);
    if (!etagMatches(match, current.etag)) throw preconditionFailed('If-Match');
  }
  const removed = removeObject(bucket, key);
  if (removed) noteDeletion(ctx.state, bucketName, key, performance.now());
  return { response: { status: 204, headers: {}, body: '' }, mutated: removed };
}
