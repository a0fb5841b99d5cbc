/** S3 objects live in the sandbox state: they survive a restart on the same state file. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../../sandbox/index.js';
import { seedState } from '../../sandbox/seed.js';
import { serializeState } from '../../sandbox/state.js';
import { MGMT, PILOT, start, testEnv } from '../helpers/sandbox.js';

test('buckets and objects persist across a restart with a state file', async () => {
  const statePath = join(mkdtempSync(join(tmpdir(), 'sbx-s3-')), 'state.json');
  const bytes = Buffer.from('état 🚀 '.repeat(1000), 'utf8');
  const first = await start({ statePath, buckets: ['rollout-state'] });
  const s3 = new S3Client(s3ClientConfig(first, MGMT, undefined, { maxAttempts: 1 }));
  const put = await s3.send(new PutObjectCommand({ Bucket: 'rollout-state', Key: 'env/prod/state.json', Body: bytes, IfNoneMatch: '*' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'made-by-call' }));
  s3.destroy();
  await first.close();
  expect(JSON.parse(readFileSync(statePath, 'utf8')).s3.buckets['rollout-state'].objects[0].key).toBe('env/prod/state.json');

  // The option is idempotent: the restarted sandbox keeps the bucket's objects.
  const second = await start({ statePath, buckets: ['rollout-state'] });
  const again = new S3Client(s3ClientConfig(second, PILOT, undefined, { maxAttempts: 1 }));
  const got = await again.send(new GetObjectCommand({ Bucket: 'rollout-state', Key: 'env/prod/state.json' }));
  expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  expect(got.ETag).toBe(put.ETag);
  expect((await again.send(new ListObjectsV2Command({ Bucket: 'made-by-call' }))).KeyCount).toBe(0);
  again.destroy();
  await second.close();
});

test('a state file written before S3 existed loads, and nothing creates a bucket by itself', async () => {
  const statePath = join(mkdtempSync(join(tmpdir(), 'sbx-s3-old-')), 'state.json');
  const old = seedState(testEnv(), 1);
  delete old.s3;
  writeFileSync(statePath, serializeState(old));
  const sb = await start({ statePath });
  const s3 = new S3Client(s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }));
  const err = (await s3.send(new ListObjectsV2Command({ Bucket: 'rollout-state' })).catch((e: Error) => e)) as Error;
  expect(err.name).toBe('NoSuchBucket');
  await s3.send(new CreateBucketCommand({ Bucket: 'rollout-state' }));
  await s3.send(new PutObjectCommand({ Bucket: 'rollout-state', Key: 'k', Body: 'v' }));
  s3.destroy();
  await sb.close();
  expect(JSON.parse(readFileSync(statePath, 'utf8')).s3.buckets['rollout-state'].objects).toHaveLength(1);
});
