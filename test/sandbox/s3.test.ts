/**
 * The sandbox's S3 subset through the real S3Client (path style, default flexible checksums):
 * round trips, conditional writes and reads, ListObjectsV2 pagination and the error answers.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { s3ClientConfig, type SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, PILOT, start } from '../helpers/sandbox.js';

const BUCKET = 'rollout-state';
const md5 = (b: Buffer | string) => `"${createHash('md5').update(b).digest('hex')}"`;

let sb: SandboxHandle;
let s3: S3Client;
beforeAll(async () => {
  sb = await start({
    buckets: [BUCKET],
    trust: { identityPolicies: { [`arn:aws:iam::${MGMT}:role/GuardrailAdminRole`]: ['s3:GetObject', 's3:ListBucket'] } },
  });
  s3 = new S3Client(s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }));
});
afterAll(async () => {
  s3.destroy();
  await sb.close();
});

/** The rejection of a call, as an S3ServiceException. */
async function failure(p: Promise<unknown>): Promise<S3ServiceException & Record<string, unknown>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(S3ServiceException);
  return err as S3ServiceException & Record<string, unknown>;
}

const put = (Key: string, Body: string | Buffer | Readable, extra: Record<string, unknown> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ...extra }));
const getText = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString();

describe('objects', () => {
  test('put, get, head, list and delete round trip with literal bodies and MD5 ETags', async () => {
    const key = 'rt/a b/c+d.json';
    const written = await put(key, '{"wave":1}', { ContentType: 'application/json', Metadata: { owner: 'rollout' } });
    expect(written.ETag).toBe(md5('{"wave":1}'));

    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(await got.Body!.transformToString()).toBe('{"wave":1}');
    expect(got.ETag).toBe(md5('{"wave":1}'));
    expect(got.ContentType).toBe('application/json');
    expect(got.ContentLength).toBe(10);
    expect(got.Metadata).toEqual({ owner: 'rollout' });
    expect(got.LastModified).toBeInstanceOf(Date);

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(10);
    expect(head.ETag).toBe(md5('{"wave":1}'));

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'rt/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size, o.ETag])).toEqual([[key, 10, md5('{"wave":1}')]]);
    expect(listed.KeyCount).toBe(1);
    expect(listed.IsTruncated).toBe(false);

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(missing.Key).toBe(key);
    // Deleting a key that does not exist is a 204 too.
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }))).$metadata.httpStatusCode).toBe(204);
  });

  test('HeadObject of a missing key is a bare 404 (the SDK names it NotFound)', async () => {
    const err = await failure(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nothing-here' })));
    expect(err.name).toBe('NotFound');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });

  test('an unconditional put replaces the object', async () => {
    await put('replace', 'one');
    const second = await put('replace', 'two');
    expect(second.ETag).toBe(md5('two'));
    expect(await getText('replace')).toBe('two');
  });

  test('a missing bucket is NoSuchBucket 404 for object and list calls', async () => {
    for (const call of [
      () => s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })),
      () => s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })),
      () => s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })),
      () => s3.send(new DeleteObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })),
    ]) {
      const err = await failure(call());
      expect(err.name).toBe('NoSuchBucket');
      expect(err.$metadata.httpStatusCode).toBe(404);
      expect(err.BucketName).toBe('no-such-bucket');
    }
  });
});

describe('bytes are stored exactly (default CRC32 checksums, aws-chunked streams)', () => {
  /** Records the request headers the SDK sent, to prove which wire format a test exercised. */
  function recording(): { client: S3Client; sent: Record<string, string>[] } {
    const client = new S3Client(s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }));
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    return { client, sent };
  }

  async function roundTrip(client: S3Client, key: string, body: string | Buffer | Readable, expected: Buffer) {
    const r = await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ...(body instanceof Readable ? { ContentLength: expected.length } : {}),
      }),
    );
    expect(r.ETag).toBe(md5(expected));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(expected)).toBe(true);
    expect(got.ContentLength).toBe(expected.length);
  }

  test('a 3 MiB body (sent with Expect: 100-continue)', async () => {
    const { client, sent } = recording();
    const large = Buffer.alloc(3 * 1024 * 1024, 'sandbox-');
    await roundTrip(client, 'bytes/large.bin', large, large);
    expect(sent[0]!.Expect ?? sent[0]!.expect).toBe('100-continue');
    client.destroy();
  });

  const big = Buffer.alloc(100 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919 + (i >> 8)) & 0xff;
  const utf8 = 'état: ✓ — 指南 — 🚀 rollout 🌍\n'.repeat(50);

  test('a 100 KB buffer and a multi-byte UTF-8 string (header checksum)', async () => {
    const { client, sent } = recording();
    await roundTrip(client, 'bytes/big.bin', big, big);
    await roundTrip(client, 'bytes/utf8.txt', utf8, Buffer.from(utf8, 'utf8'));
    expect(sent[0]!['x-amz-checksum-crc32']).toBeDefined();
    client.destroy();
  });

  test('streams go aws-chunked with a CRC32 trailer and are unframed before storage', async () => {
    const { client, sent } = recording();
    const chunks = [big.subarray(0, 30_000), big.subarray(30_000, 70_000), big.subarray(70_000)];
    await roundTrip(client, 'bytes/big-stream.bin', Readable.from(chunks), big);
    await roundTrip(client, 'bytes/utf8-stream.txt', Readable.from([Buffer.from(utf8, 'utf8')]), Buffer.from(utf8, 'utf8'));
    const putHeaders = sent[0]!;
    expect(putHeaders['content-encoding']).toContain('aws-chunked');
    expect(putHeaders['x-amz-decoded-content-length']).toBe(String(big.length));
    expect(putHeaders['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    // aws-chunked is framing, not a content coding of the object.
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'bytes/big-stream.bin' }));
    expect(head.ContentEncoding).toBeUndefined();
    client.destroy();
  });

  test('a checksum that does not match the body is BadDigest 400', async () => {
    const err = await failure(put('bytes/bad', 'abc', { ChecksumCRC32: 'AAAAAA==' }));
    expect(err.name).toBe('BadDigest');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe('conditional writes', () => {
  test('If-None-Match: * creates only: the second writer gets 412 PreconditionFailed', async () => {
    const first = await put('lock/create-only', 'holder-1', { IfNoneMatch: '*' });
    expect(first.ETag).toBe(md5('holder-1'));
    const err = await failure(put('lock/create-only', 'holder-2', { IfNoneMatch: '*' }));
    expect(err.name).toBe('PreconditionFailed');
    expect(err.$metadata.httpStatusCode).toBe(412);
    expect(err.Condition).toBe('If-None-Match');
    expect(await getText('lock/create-only')).toBe('holder-1');
    // Once deleted the key can be created again.
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'lock/create-only' }));
    await put('lock/create-only', 'holder-3', { IfNoneMatch: '*' });
  });

  test('If-Match compares and swaps: stale ETag 412, missing key 404 NoSuchKey', async () => {
    const v1 = await put('cas/state.json', '{"v":1}');
    const v2 = await put('cas/state.json', '{"v":2}', { IfMatch: v1.ETag });
    expect(v2.ETag).toBe(md5('{"v":2}'));
    const stale = await failure(put('cas/state.json', '{"v":"lost"}', { IfMatch: v1.ETag }));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata.httpStatusCode).toBe(412);
    expect(stale.Condition).toBe('If-Match');
    // An unquoted ETag is accepted too.
    await put('cas/state.json', '{"v":3}', { IfMatch: v2.ETag!.replace(/"/g, '') });
    expect(await getText('cas/state.json')).toBe('{"v":3}');

    const missing = await failure(put('cas/never-written', 'x', { IfMatch: v1.ETag }));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  test('of N concurrent If-None-Match writers exactly one wins, the others get 412', async () => {
    const n = 12;
    const clients = Array.from({ length: n }, () => new S3Client(s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 })));
    const results = await Promise.allSettled(
      clients.map((c, i) => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'race/lock', Body: `writer-${i}`, IfNoneMatch: '*' }))),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect((r.reason as S3ServiceException).name).toBe('PreconditionFailed');
        expect((r.reason as S3ServiceException).$metadata.httpStatusCode).toBe(412);
      }
    }
    expect(await getText('race/lock')).toBe(`writer-${won[0]}`);
    for (const c of clients) c.destroy();
  });

  test('of N concurrent If-Match writers from the same ETag exactly one wins', async () => {
    const base = await put('race/cas', 'base');
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => put('race/cas', `next-${i}`, { IfMatch: base.ETag })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name)).toEqual(
      Array(7).fill('PreconditionFailed'),
    );
  });

  test('a delete that completes while a conditional write is uploading gives 409 ConditionalRequestConflict', async () => {
    const v1 = await put('conflict/obj', 'v1');
    const body = new PassThrough();
    // The SDK warns about any failed non-retryable streaming request: expected here.
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const writer = new S3Client({ ...s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }), logger: quiet });
    const writing = writer
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: 'conflict/obj', Body: body, IfMatch: v1.ETag, ContentLength: 4 }))
      .then(
        () => 'ok',
        (e: S3ServiceException) => e,
      );
    body.write('v2');
    await new Promise((r) => setTimeout(r, 150)); // the request's headers have reached the sandbox
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'conflict/obj' }));
    body.end('!!');
    const err = (await writing) as S3ServiceException;
    expect(err.name).toBe('ConditionalRequestConflict');
    expect(err.$metadata.httpStatusCode).toBe(409);
    writer.destroy();
  });

  test('If-None-Match with an ETag instead of * is 501 NotImplemented', async () => {
    const err = await failure(put('lock/etag-none-match', 'x', { IfNoneMatch: '"abc"' }));
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata.httpStatusCode).toBe(501);
  });

  test('conditional deletes: stale ETag 412, missing key 404, matching ETag 204', async () => {
    const v = await put('cond-delete/obj', 'x');
    const stale = await failure(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'cond-delete/obj', IfMatch: md5('other') })));
    expect(stale.name).toBe('PreconditionFailed');
    const missing = await failure(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'cond-delete/none', IfMatch: v.ETag })));
    expect(missing.name).toBe('NoSuchKey');
    const ok = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'cond-delete/obj', IfMatch: v.ETag }));
    expect(ok.$metadata.httpStatusCode).toBe(204);
  });
});

describe('conditional reads', () => {
  test('GetObject If-Match false → 412, If-None-Match true → 304', async () => {
    const v = await put('read/obj', 'content');
    const ok = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'read/obj', IfMatch: v.ETag }));
    expect(await ok.Body!.transformToString()).toBe('content');
    const stale = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'read/obj', IfMatch: md5('other') })));
    expect(stale.name).toBe('PreconditionFailed');
    expect(stale.$metadata.httpStatusCode).toBe(412);
    const unchanged = await failure(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'read/obj', IfNoneMatch: v.ETag })));
    expect(unchanged.$metadata.httpStatusCode).toBe(304);
    const headUnchanged = await failure(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'read/obj', IfNoneMatch: v.ETag })));
    expect(headUnchanged.$metadata.httpStatusCode).toBe(304);
  });

  test('a byte range is 206 with Content-Range', async () => {
    await put('read/range', '0123456789');
    const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'read/range', Range: 'bytes=2-5' }));
    expect(await r.Body!.transformToString()).toBe('2345');
    expect(r.ContentRange).toBe('bytes 2-5/10');
  });
});

describe('ListObjectsV2', () => {
  const keys = ['page/a', 'page/b', 'page/c', 'page/d', 'page/e'];
  beforeAll(async () => {
    for (const k of [...keys].reverse()) await put(k, k);
  });

  test('MaxKeys 2 over 5 keys: three pages chained by NextContinuationToken', async () => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'page/', MaxKeys: 2, ContinuationToken: token }));
      pages.push((r.Contents ?? []).map((o) => o.Key!));
      expect(r.KeyCount).toBe(pages[pages.length - 1]!.length);
      expect(r.MaxKeys).toBe(2);
      expect(r.ContinuationToken).toBe(token);
      expect(r.IsTruncated).toBe(r.NextContinuationToken !== undefined);
      token = r.NextContinuationToken;
    } while (token);
    expect(pages).toEqual([['page/a', 'page/b'], ['page/c', 'page/d'], ['page/e']]);
  });

  test('the SDK paginator walks the same pages; StartAfter skips', async () => {
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: BUCKET, Prefix: 'page/' })) {
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(seen).toEqual(keys);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'page/', StartAfter: 'page/c' }));
    expect(after.Contents?.map((o) => o.Key)).toEqual(['page/d', 'page/e']);
    expect(after.StartAfter).toBe('page/c');
  });

  test('Delimiter rolls keys up into CommonPrefixes, each counting once toward MaxKeys', async () => {
    for (const k of ['tree/x/1', 'tree/x/2', 'tree/y/1', 'tree/z.json']) await put(k, k);
    const all = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tree/', Delimiter: '/' }));
    expect(all.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['tree/x/', 'tree/y/']);
    expect(all.Contents?.map((o) => o.Key)).toEqual(['tree/z.json']);
    expect(all.KeyCount).toBe(3);

    const first = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tree/', Delimiter: '/', MaxKeys: 1 }));
    expect(first.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['tree/x/']);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'tree/',
        Delimiter: '/',
        MaxKeys: 1,
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['tree/y/']);
  });

  test('keys come in UTF-8 byte order, not UTF-16 order', async () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    for (const k of ['utf/\u{1F600}', 'utf/\uFF21', 'utf/z', 'utf/é']) await put(k, 'x');
    const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'utf/' }));
    expect(r.Contents?.map((o) => o.Key)).toEqual(['utf/z', 'utf/é', 'utf/\uFF21', 'utf/\u{1F600}']);
  });

  test('an invalid continuation token is InvalidArgument 400', async () => {
    const err = await failure(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'bm9wZQ' })));
    expect(err.name).toBe('InvalidArgument');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});

describe('buckets and access', () => {
  test('CreateBucket and HeadBucket; the namespace is global and another account may use the bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mgmt-bucket' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'mgmt-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const missing = await failure(s3.send(new HeadBucketCommand({ Bucket: 'absent-bucket' })));
    expect(missing.name).toBe('NotFound');
    expect(missing.$metadata.httpStatusCode).toBe(404);

    const pilot = new S3Client(s3ClientConfig(sb, PILOT, undefined, { maxAttempts: 1 }));
    const taken = await failure(pilot.send(new CreateBucketCommand({ Bucket: 'mgmt-bucket' })));
    expect(taken.name).toBe('BucketAlreadyExists');
    expect(taken.$metadata.httpStatusCode).toBe(409);
    await pilot.send(new PutObjectCommand({ Bucket: 'mgmt-bucket', Key: 'from-pilot', Body: 'hi' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'mgmt-bucket', Key: 'from-pilot' }))).Body!.transformToString()).toBe('hi');
    pilot.destroy();

    const bad = await failure(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
    expect(bad.name).toBe('InvalidBucketName');
  });

  test('a role session whose identity policy lacks the action is AccessDenied 403', async () => {
    const sts = new STSClient(cfg(sb, MGMT));
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MGMT}:role/GuardrailAdminRole`, RoleSessionName: 'reader' }));
    const reader = new S3Client({
      ...s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }),
      credentials: {
        accessKeyId: r.Credentials!.AccessKeyId!,
        secretAccessKey: r.Credentials!.SecretAccessKey!,
        sessionToken: r.Credentials!.SessionToken!,
      },
    });
    await put('acl/readable', 'ok');
    expect(await (await reader.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'acl/readable' }))).Body!.transformToString()).toBe('ok');
    const denied = await failure(reader.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'acl/w', Body: 'x' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(denied.message).toContain('s3:PutObject');
    reader.destroy();
    sts.destroy();
  });

  test('an unknown access key is InvalidAccessKeyId 403', async () => {
    const stranger = new S3Client({
      ...s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }),
      credentials: { accessKeyId: 'AKIA999999999999SBX0', secretAccessKey: 'x' },
    });
    const err = await failure(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' })));
    expect(err.name).toBe('InvalidAccessKeyId');
    expect(err.$metadata.httpStatusCode).toBe(403);
    stranger.destroy();
  });

  test('fault injection and quotas apply to S3 operations (SlowDown 503)', async () => {
    sb.setFaults({ PutObject: { throttleRate: 1 } });
    try {
      const err = await failure(put('faults/x', 'x'));
      expect(err.name).toBe('SlowDown');
      expect(err.$metadata.httpStatusCode).toBe(503);
      expect(await getText('read/obj')).toBe('content'); // other operations unaffected
    } finally {
      sb.setFaults({});
    }
    sb.setQuotas({ HeadBucket: { ratePerSecond: 0.001, burst: 1 } });
    try {
      await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
      const err = await failure(s3.send(new HeadBucketCommand({ Bucket: BUCKET })));
      expect(err.$metadata.httpStatusCode).toBe(503);
      expect(sb.quotaThrottles()).toEqual({ HeadBucket: 1 });
    } finally {
      sb.setQuotas({});
    }
  });

  test('operations outside the subset are 501 NotImplemented', async () => {
    const { CreateMultipartUploadCommand } = await import('@aws-sdk/client-s3');
    const err = await failure(s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp' })));
    expect(err.name).toBe('NotImplemented');
    expect(err.$metadata.httpStatusCode).toBe(501);
  });
});
