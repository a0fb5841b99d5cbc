/**
 * Buckets, minimally: CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation,
 * GetBucketVersioning (never enabled). One global namespace; a bucket belongs to the account that
 * created it, but every sandbox identity may use every bucket (docs/sandbox.md#s3).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
import { AwsError } from '../../errors.js';
import { xmlEscape, type SvcRequest } from '../../protocol.js';
import type { SandboxState } from '../../state.js';
import type { HandlerResult, ServiceContext } from '../common.js';
import { iso } from '../common.js';
import { findBucket, requireBucket, s3State } from './store.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** General purpose bucket naming rules (the parts a client can trip over). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return 'may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name))
    return 'uses a reserved prefix or suffix';
  return undefined;
}

/** Creates the bucket unless it exists (startSandbox `buckets`); true when it was created. */
export function ensureBucket(state: SandboxState, name: string, owner: string, region: string, now: number): boolean {
  const problem = bucketNameProblem(name);
  if (problem) throw new Error(`sandbox bucket "${name}": the name ${problem}`);
  if (findBucket(state, name)) return false;
  s3State(state).buckets[name] = { name, owner, region, createdAt: iso(now), objects: [] };
  return true;
}

export function createBucket(ctx: ServiceContext, req: SvcRequest, name: string): HandlerResult {
  const problem = bucketNameProblem(name);
  if (problem) throw new AwsError('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: name });
  const existing = findBucket(ctx.state, name);
  const ok = { status: 200, headers: { location: `/${name}` }, body: '' };
  if (existing) {
    if (existing.owner !== req.caller.account) {
      throw new AwsError(
        'BucketAlreadyExists',
        409,
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { BucketName: name },
      );
    }
    // us-east-1 answers 200 to its owner re-creating a bucket; every other Region 409.
    if (existing.region === 'us-east-1' && req.region === 'us-east-1') return { response: ok, mutated: false };
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      {
        BucketName: name,
      },
    );
  }
  const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
  const region = constraint || req.region;
  s3State(ctx.state).buckets[name] = { name, owner: req.caller.account, region, createdAt: iso(ctx.now()), objects: [] };
  return { response: ok, mutated: true };
}

export function headBucket(ctx: ServiceContext, name: string): HandlerResult {
  const b = requireBucket(ctx.state, name);
  return { response: { status: 200, headers: { 'x-amz-bucket-region': b.region }, body: '' }, mutated: false };
}

export function deleteBucket(ctx: ServiceContext, name: string): HandlerResult {
  const b = requireBucket(ctx.state, name);
  if (b.objects.length > 0) throw new AwsError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: name });
  delete s3State(ctx.state).buckets[name];
  return { response: { status: 204, headers: {}, body: '' }, mutated: true };
}

/** The caller's own buckets, as on S3. */
export function listBuckets(ctx: ServiceContext, req: SvcRequest): HandlerResult {
  const own = Object.values(s3State(ctx.state).buckets)
    .filter((b) => b.owner === req.caller.account)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${req.caller.account}</ID></Owner><Buckets>` +
    own
      .map(
        (b) =>
          `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${b.createdAt}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`,
      )
      .join('') +
    '</Buckets></ListAllMyBucketsResult>';
  return { response: { status: 200, headers: { 'content-type': 'application/xml' }, body }, mutated: false };
}

export function getBucketLocation(ctx: ServiceContext, name: string): HandlerResult {
  const b = requireBucket(ctx.state, name);
  // us-east-1 is the empty LocationConstraint (API_GetBucketLocation).
  const loc = b.region === 'us-east-1' ? '' : b.region;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${NS}">${loc}</LocationConstraint>`;
  return { response: { status: 200, headers: { 'content-type': 'application/xml' }, body }, mutated: false };
}

export function getBucketVersioning(ctx: ServiceContext, name: string): HandlerResult {
  requireBucket(ctx.state, name);
  // A bucket that never had versioning enabled has no Status (API_GetBucketVersioning).
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${NS}"/>`;
  return { response: { status: 200, headers: { 'content-type': 'application/xml' }, body }, mutated: false };
}
