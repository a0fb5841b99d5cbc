/**
 * The S3 subset a shared state store needs (REST-XML): buckets, single-part objects with
 * conditional writes, ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/). What is
 * and is not emulated: docs/sandbox.md#s3.
 *
 * Access: every authenticated sandbox identity may use every bucket of the organization (the
 * sandbox models no bucket policies); a role session whose role has a modelled identity policy
 * (RoleRecord.allowedActions) needs the IAM action of the operation, else 403 AccessDenied.
 */
import type { SvcRequest } from '../../protocol.js';
import type { HandlerResult, ServiceContext } from '../common.js';
import { createBucket, deleteBucket, getBucketLocation, getBucketVersioning, headBucket, listBuckets } from './buckets.js';
import { accessDenied, notImplemented } from './errors.js';
import { listObjectsV2 } from './list.js';
import { deleteObject, getObject, putObject } from './objects.js';
import { type S3Route, s3Route, SUPPORTED } from './route.js';
import { findBucket } from './store.js';

export { ensureBucket } from './buckets.js';
export { s3ErrorResponse } from './errors.js';
export { isS3Request, s3Route } from './route.js';
export { findBucket } from './store.js';

/** IAM action each operation is authorized as (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). */
const ACTIONS: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketVersioning: 's3:GetBucketVersioning',
  ListObjectsV2: 's3:ListBucket',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
};

function allows(actions: readonly string[], action: string): boolean {
  const a = action.toLowerCase();
  return actions.some((p) => {
    const q = p.toLowerCase();
    return q === '*' || q === a || (q.endsWith('*') && a.startsWith(q.slice(0, -1)));
  });
}

function authorize(ctx: ServiceContext, req: SvcRequest, route: S3Route): void {
  const s = req.caller.session;
  const role = s ? (ctx.state.roles[s.account] ?? []).find((r) => r.name === s.roleName) : undefined;
  const action = ACTIONS[route.operation];
  if (!role?.allowedActions || !action || allows(role.allowedActions, action)) return;
  const resource = route.key !== undefined ? `arn:aws:s3:::${route.bucket}/${route.key}` : `arn:aws:s3:::${route.bucket ?? '*'}`;
  throw accessDenied(
    `User: ${req.caller.arn} is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
  );
}

export function handleS3(ctx: ServiceContext, req: SvcRequest): HandlerResult {
  const route = s3Route(req.method, req.rawPath ?? '/', req.query, req.headers, (name) => findBucket(ctx.state, name) !== undefined);
  if (!SUPPORTED.has(route.operation)) throw notImplemented(`The sandbox does not emulate the S3 operation ${route.operation}.`);
  authorize(ctx, req, route);
  const bucket = route.bucket!;
  const key = route.key!;
  switch (route.operation) {
    case 'ListBuckets':
      return listBuckets(ctx, req);
    case 'CreateBucket':
      return createBucket(ctx, req, bucket);
    case 'HeadBucket':
      return headBucket(ctx, bucket);
    case 'DeleteBucket':
      return deleteBucket(ctx, bucket);
    case 'GetBucketLocation':
      return getBucketLocation(ctx, bucket);
    case 'GetBucketVersioning':
      return getBucketVersioning(ctx, bucket);
    case 'ListObjectsV2':
      return listObjectsV2(ctx, req, bucket);
    case 'PutObject':
      return putObject(ctx, req, bucket, key);
    case 'GetObject':
      return getObject(ctx, req, bucket, key, false);
    case 'HeadObject':
      return getObject(ctx, req, bucket, key, true);
    case 'DeleteObject':
      return deleteObject(ctx, req, bucket, key);
    default:
      throw notImplemented();
  }
}
