/**
 * Which S3 operation a request is. S3 is recognised by the SigV4 signing name `s3` in the
 * Credential scope (header or presigned query), or a virtual-hosted `Host: <bucket>.localhost`.
 * Path-style addressing (`forcePathStyle: true`): `/<bucket>/<key>`, the key percent-encoded
 * except `/` (decoded as a whole, so empty segments and a trailing `/` stay part of the key).
 * The SDK's `x-id=<Operation>` query parameter is ignored.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
 */
import { AwsError } from '../../errors.js';
import { parseAuthorization } from '../../protocol.js';

export interface S3Route {
  operation: string;
  bucket?: string;
  key?: string;
}

/** Operations the sandbox answers; every other route is 501 NotImplemented. */
export const SUPPORTED = new Set([
  'ListBuckets',
  'CreateBucket',
  'HeadBucket',
  'DeleteBucket',
  'GetBucketLocation',
  'GetBucketVersioning',
  'ListObjectsV2',
  'PutObject',
  'GetObject',
  'HeadObject',
  'DeleteObject',
]);

/** Query parameters that select a sub-resource (a different operation) rather than modify one. */
const SUBRESOURCES = [
  'acl',
  'tagging',
  'versioning',
  'location',
  'policy',
  'cors',
  'lifecycle',
  'encryption',
  'uploads',
  'uploadId',
  'partNumber',
  'versions',
  'website',
  'logging',
  'notification',
  'replication',
  'ownershipControls',
  'publicAccessBlock',
  'object-lock',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'policyStatus',
  'retention',
  'legal-hold',
  'attributes',
  'restore',
  'select',
  'torrent',
  'delete',
];

const VHOST_RE = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost(?::\d+)?$/;

export function isS3Request(headers: Record<string, string | undefined>, query: URLSearchParams): boolean {
  const auth = parseAuthorization(headers.authorization);
  if (auth) return auth.service === 's3';
  const credential = query.get('X-Amz-Credential');
  if (credential !== null) return /\/s3\/aws4_request$/.test(credential);
  return VHOST_RE.test(headers.host ?? '');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new AwsError('InvalidURI', 400, "Couldn't parse the specified URI.");
  }
}

/**
 * `bucketExists` disambiguates `Host: <label>.localhost`: virtual-hosted only when that bucket
 * exists, so a path-style client whose endpoint happens to be `http://<name>.localhost:<port>`
 * is still understood (and CreateBucket must be path-style).
 */
export function s3Route(
  method: string,
  rawPath: string,
  query: URLSearchParams,
  headers: Record<string, string | undefined>,
  bucketExists: (name: string) => boolean = () => false,
): S3Route {
  let bucket: string | undefined;
  let key: string | undefined;
  const vhost = VHOST_RE.exec(headers.host ?? '');
  if (vhost && bucketExists(vhost[1]!)) {
    bucket = vhost[1];
    key = rawPath.length > 1 ? decode(rawPath.slice(1)) : undefined;
  } else {
    const path = rawPath.slice(1);
    const slash = path.indexOf('/');
    bucket = path === '' ? undefined : decode(slash < 0 ? path : path.slice(0, slash));
    const rest = slash < 0 ? '' : path.slice(slash + 1);
    key = rest === '' ? undefined : decode(rest);
  }
  const sub = SUBRESOURCES.find((s) => query.has(s));
  return { operation: operationOf(method, bucket, key, sub, query, headers), bucket, key };
}

function operationOf(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  sub: string | undefined,
  query: URLSearchParams,
  headers: Record<string, string | undefined>,
): string {
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Unsupported';
  if (key === undefined) {
    switch (method) {
      case 'PUT':
        return sub ? `PutBucket:${sub}` : 'CreateBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        return sub ? `DeleteBucket:${sub}` : 'DeleteBucket';
      case 'POST':
        return sub === 'delete' ? 'DeleteObjects' : 'Unsupported';
      case 'GET':
        if (sub === 'location') return 'GetBucketLocation';
        if (sub === 'versioning') return 'GetBucketVersioning';
        if (sub) return `GetBucket:${sub}`;
        return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
      default:
        return 'Unsupported';
    }
  }
  switch (method) {
    case 'PUT':
      if (sub === 'partNumber' || sub === 'uploadId') return headers['x-amz-copy-source'] ? 'UploadPartCopy' : 'UploadPart';
      if (sub) return `PutObject:${sub}`;
      return headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'GET':
      return sub ? `GetObject:${sub}` : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      if (sub === 'uploadId') return 'AbortMultipartUpload';
      return sub ? `DeleteObject:${sub}` : 'DeleteObject';
    case 'POST':
      if (sub === 'uploads') return 'CreateMultipartUpload';
      if (sub === 'uploadId') return 'CompleteMultipartUpload';
      return 'Unsupported';
    default:
      return 'Unsupported';
  }
}
