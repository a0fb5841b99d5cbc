// Takes the S3 store's lock and holds it (renewing) until killed: the "runner killed with
// SIGKILL while holding the lock" of test/rollout/state/store-s3.test.ts.
// Input: HOLD_S3_CONFIG (S3Client config JSON), HOLD_BUCKET, HOLD_PREFIX, HOLD_ENV. Prints the holder as one JSON line.
import { register } from 'tsx/esm/api';

register();
const { S3Client } = await import('@aws-sdk/client-s3');
const { S3Store } = await import('../../rollout/state/store/s3.ts');
const store = new S3Store({
  client: new S3Client(JSON.parse(process.env.HOLD_S3_CONFIG)),
  bucket: process.env.HOLD_BUCKET,
  prefix: process.env.HOLD_PREFIX,
  env: process.env.HOLD_ENV,
});
const held = await store.acquireLock('promote ou');
process.stdout.write(`${JSON.stringify(held.holder)}\n`);
setInterval(() => undefined, 1000);
