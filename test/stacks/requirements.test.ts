/**
 * The `terraform {}` block per backend: required_version (what the backend needs), the
 * hashicorp/aws pin, and `use_lockfile` only when S3-native locking is on.
 */
import type { BackendSettings } from '../../model/types.js';
import { synthStacks } from '../../stacks/synth.js';
import { testEnv, tf, tmpOut } from '../helpers/stacks.js';

const V = 'baseline@2026.11.2';
const AWS = { aws: { source: 'hashicorp/aws', version: '>= 6.70.0, < 7.0.0' } };

function synthWith(backend: BackendSettings) {
  const arts = synthStacks({
    env: testEnv({}, backend),
    releases: { pilot: V, 'model-rules': V, ou: V, enterprise: V },
    asOf: new Date('2026-11-20'),
    outdir: tmpOut(),
  });
  return Object.fromEntries(arts.map((a) => [a.name, tf(a.json)]));
}

const S3 = { type: 's3', bucket: 'tf-state', keyPrefix: 'gr', region: 'eu-central-1', encrypt: true } as const;

describe('terraform block per backend', () => {
  test('local: >= 1.6, < 2.0.0 and the hashicorp/aws pin', () => {
    const by = synthWith({ type: 'local', directory: '/var/state/unit' });
    expect(by.pilot!.terraform).toEqual({
      backend: { local: { path: '/var/state/unit/pilot.tfstate' } },
      required_providers: AWS,
      required_version: '>= 1.6, < 2.0.0',
    });
  });

  test('s3 with use_lockfile: >= 1.10 (S3-native locking), use_lockfile in the backend and the remote state', () => {
    const by = synthWith({ ...S3, useLockfile: true });
    for (const [name, s] of Object.entries(by)) {
      expect(s.terraform).toEqual({
        backend: { s3: { bucket: 'tf-state', key: `gr/${name}.tfstate`, region: 'eu-central-1', encrypt: true, use_lockfile: true } },
        required_providers: AWS,
        required_version: '>= 1.10, < 2.0.0',
      });
    }
    expect(by.ou!.data!.terraform_remote_state!.guardrails!.config).toEqual({
      bucket: 'tf-state',
      key: 'gr/guardrails.tfstate',
      region: 'eu-central-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  test('s3 without use_lockfile: the argument is absent (Terraform < 1.10 rejects it) and >= 1.6 suffices', () => {
    const by = synthWith({ ...S3, useLockfile: false, dynamodbTable: 'locks' });
    expect(by.enterprise!.terraform).toEqual({
      backend: { s3: { bucket: 'tf-state', key: 'gr/enterprise.tfstate', region: 'eu-central-1', encrypt: true, dynamodb_table: 'locks' } },
      required_providers: AWS,
      required_version: '>= 1.6, < 2.0.0',
    });
    expect(by.enterprise!.data!.terraform_remote_state!.guardrails!.config).toEqual({
      bucket: 'tf-state',
      key: 'gr/guardrails.tfstate',
      region: 'eu-central-1',
      encrypt: true,
      dynamodb_table: 'locks',
    });
    for (const s of Object.values(by)) expect(JSON.stringify(s)).not.toContain('use_lockfile');
  });

  test('cloud: >= 1.6 (saved plans with the cloud block)', () => {
    const by = synthWith({ type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: 'gr' });
    expect(by.guardrails!.terraform).toEqual({
      cloud: { organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: 'gr-guardrails' } },
      required_providers: AWS,
      required_version: '>= 1.6, < 2.0.0',
    });
  });
});
