/**
 * Terraform's S3 backend with `use_lockfile = true` against the sandbox: the state lands in the
 * emulator's bucket and the lock object (`<key>.tflock`, written with If-None-Match: *) exists
 * only while an operation runs
 * (https://developer.hashicorp.com/terraform/language/backend/s3#state-locking). The configuration
 * has no providers (only the built-in terraform_data), so nothing is downloaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig, type SandboxHandle } from '../../sandbox/index.js';
import { MGMT, start } from '../helpers/sandbox.js';
import { describeWithTerraform, terraform } from '../helpers/terraform.js';

const BUCKET = 'tf-state';
const KEY = 'env/test/terraform.tfstate';
const LOCK = `${KEY}.tflock`;

describeWithTerraform('test/sandbox/s3-terraform.test.ts')('terraform S3 backend with use_lockfile', () => {
  let sb: SandboxHandle;
  let s3: S3Client;
  let dir: string;
  let env: Record<string, string>;
  /** Keys of the bucket as each PutObject arrived (seen through the latency hook). */
  const seenAtPut: string[][] = [];

  beforeAll(async () => {
    sb = await start({
      buckets: [BUCKET],
      faults: { PutObject: { latencyMs: 1 } },
      sleep: async () => {
        seenAtPut.push((sb.state.s3?.buckets[BUCKET]?.objects ?? []).map((o) => o.key));
      },
    });
    s3 = new S3Client(s3ClientConfig(sb, MGMT, undefined, { maxAttempts: 1 }));
    dir = mkdtempSync(join(tmpdir(), 'sbx-tf-s3-'));
    writeFileSync(join(dir, 'cli.tfrc'), '');
    writeFileSync(
      join(dir, 'main.tf'),
      `terraform {
  backend "s3" {
    bucket                      = "${BUCKET}"
    key                         = "${KEY}"
    region                      = "us-east-1"
    endpoints                   = { s3 = "${sb.endpoint}" }
    use_path_style              = true
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    use_lockfile                = true
  }
}
resource "terraform_data" "note" {
  input = "hello from the sandbox"
}
`,
    );
    const cred = sb.accounts[MGMT]!;
    env = {
      AWS_ACCESS_KEY_ID: cred.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cred.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'),
    };
  });
  afterAll(async () => {
    s3?.destroy();
    await sb?.close();
  });

  test('init and apply store the state in the bucket; the lock file exists only during the run', async () => {
    const init = await terraform(dir, ['init', '-input=false'], env);
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    seenAtPut.length = 0;
    const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false'], env);
    expect(apply.stderr).toBe('');
    expect(apply.exitCode).toBe(0);

    const state = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))).Body!.transformToString());
    expect(state.resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`)).toEqual(['terraform_data.note']);
    // The state was written while the lock object was there; afterwards it is gone.
    expect(seenAtPut.some((keys) => keys.includes(LOCK))).toBe(true);
    expect(sb.state.s3!.buckets[BUCKET]!.objects.map((o) => o.key)).toEqual([KEY]);
  }, 120_000);

  test('a lock held by someone else stops the run; force-unlock removes it', async () => {
    const holder = { ID: '11111111-2222-3333-4444-555555555555', Operation: 'OperationTypeApply', Who: 'other@ci', Version: '1.11.4' };
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: LOCK, Body: JSON.stringify(holder), IfNoneMatch: '*' }));
    const blocked = await terraform(dir, ['apply', '-auto-approve', '-input=false', '-lock-timeout=0s'], env);
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toContain('Error acquiring the state lock');
    expect(blocked.stderr).toContain(holder.ID);

    const unlock = await terraform(dir, ['force-unlock', '-force', holder.ID], env);
    expect(unlock.exitCode).toBe(0);
    expect(sb.state.s3!.buckets[BUCKET]!.objects.map((o) => o.key)).toEqual([KEY]);
    const again = await terraform(dir, ['apply', '-auto-approve', '-input=false'], env);
    expect(again.exitCode).toBe(0);
  }, 120_000);
});
