/**
 * The few S3 calls the S3 store makes, with its conditional writes
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html): `If-None-Match: *`
 * creates only, `If-Match: <etag>` replaces only that version; a lost race answers 412
 * PreconditionFailed (or 409 ConditionalRequestConflict, "retry"), which `put` returns as
 * `'conflict'` instead of throwing. Every other failure is a ToolingError (exit 3) naming the object.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ToolingError } from '../../../core/errors.js';

export interface S3Place {
  client: S3Client;
  bucket: string;
  /** `<prefix>/<env>` (no trailing slash) */
  base: string;
}

export const urlOf = (p: S3Place, key: string) => `s3://${p.bucket}/${p.base}/${key}`;

interface AwsErr {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const status = (err: unknown) => (err as AwsErr)?.$metadata?.httpStatusCode;
const nameOf = (err: unknown) => (err as AwsErr)?.name;

/** A conditional write that lost: 412, 409 ConditionalRequestConflict, or If-Match on a key that is gone (404). */
export function isConflict(err: unknown): boolean {
  const n = nameOf(err);
  return n === 'PreconditionFailed' || n === 'ConditionalRequestConflict' || status(err) === 412 || status(err) === 409;
}

const isMissing = (err: unknown) => nameOf(err) === 'NoSuchKey' || (status(err) === 404 && nameOf(err) !== 'NoSuchBucket');

export function s3Failure(what: string, p: S3Place, key: string, err: unknown): ToolingError {
  const n = nameOf(err) ?? 'Error';
  const hint =
    n === 'NoSuchBucket'
      ? ` (the bucket ${p.bucket} of deployment.stateStore does not exist: create it, or fix the name)`
      : n === 'AccessDenied' || status(err) === 403
        ? ' (the credentials lack s3:GetObject/PutObject/DeleteObject/ListBucket on the state store bucket)'
        : '';
  return new ToolingError(`state store: could not ${what} ${urlOf(p, key)}: ${n}: ${(err as AwsErr)?.message ?? String(err)}${hint}`, err);
}

export interface Got {
  body: string;
  etag: string;
}

/** The object's text and ETag; undefined when there is none. */
export async function get(p: S3Place, key: string): Promise<Got | undefined> {
  try {
    const r = await p.client.send(new GetObjectCommand({ Bucket: p.bucket, Key: `${p.base}/${key}` }));
    return { body: (await r.Body?.transformToString('utf8')) ?? '', etag: r.ETag ?? '' };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw s3Failure('read', p, key, err);
  }
}

/** Writes the object under a condition; 'conflict' when the condition did not hold. */
export async function put(
  p: S3Place,
  key: string,
  body: string,
  cond: { ifMatch: string } | { ifNoneMatch: '*' },
): Promise<{ etag: string } | 'conflict'> {
  try {
    const r = await p.client.send(
      new PutObjectCommand({
        Bucket: p.bucket,
        Key: `${p.base}/${key}`,
        Body: body,
        ContentType: 'application/json',
        ...('ifMatch' in cond ? { IfMatch: cond.ifMatch } : { IfNoneMatch: cond.ifNoneMatch }),
      }),
    );
    return { etag: r.ETag ?? '' };
  } catch (err) {
    if (isConflict(err) || ('ifMatch' in cond && isMissing(err))) return 'conflict';
    throw s3Failure('write', p, key, err);
  }
}

/** Deletes the object only if it still has `etag` (a conditional delete); 'conflict' otherwise. */
export async function remove(p: S3Place, key: string, etag: string): Promise<'deleted' | 'conflict'> {
  try {
    await p.client.send(new DeleteObjectCommand({ Bucket: p.bucket, Key: `${p.base}/${key}`, IfMatch: etag }));
    return 'deleted';
  } catch (err) {
    if (isConflict(err) || isMissing(err)) return 'conflict';
    throw s3Failure('delete', p, key, err);
  }
}

/** Keys (relative to the base) under `folder/`, in S3's (UTF-8 binary) order. */
export async function list(p: S3Place, folder: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  const prefix = `${p.base}/${folder}/`;
  do {
    let r: ListObjectsV2CommandOutput;
    try {
      r = await p.client.send(new ListObjectsV2Command({ Bucket: p.bucket, Prefix: prefix, ContinuationToken: token }));
    } catch (err) {
      throw s3Failure('list', p, `${folder}/`, err);
    }
    for (const c of r.Contents ?? []) if (c.Key) out.push(c.Key.slice(p.base.length + 1));
    token = r.NextContinuationToken;
  } while (token);
  return out;
}
