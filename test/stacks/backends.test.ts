import type { BackendSettings } from '../../model/types.js';
import { synthStacks } from '../../stacks/synth.js';
import { testEnv, tf, tmpOut } from '../helpers/stacks.js';

const V = 'baseline@2026.11.2';
function synthWith(backend: BackendSettings, target: 'aws' | 'sandbox' = 'aws') {
  const arts = synthStacks({
    env: testEnv({}, backend),
    releases: { pilot: V, 'model-rules': V, ou: V, enterprise: V },
    asOf: new Date('2026-11-20'),
    outdir: tmpOut(),
    target,
  });
  return Object.fromEntries(arts.map((a) => [a.name, tf(a.json)]));
}

describe('backends per stack', () => {
  test('s3 on the sandbox target: path-style and no AWS checks in the backend and the remote state (endpoint from AWS_ENDPOINT_URL_S3)', () => {
    const by = synthWith(
      { type: 's3', bucket: 'tf-state', keyPrefix: 'g', region: 'us-east-1', useLockfile: true, encrypt: true },
      'sandbox',
    );
    const sandboxS3 = {
      bucket: 'tf-state',
      encrypt: true,
      region: 'us-east-1',
      skip_credentials_validation: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      skip_requesting_account_id: true,
      use_lockfile: true,
      use_path_style: true,
    };
    expect(by.pilot!.terraform.backend).toEqual({ s3: { ...sandboxS3, key: 'g/pilot.tfstate' } });
    expect(by.ou!.data!.terraform_remote_state!.guardrails).toEqual({
      backend: 's3',
      config: { ...sandboxS3, key: 'g/guardrails.tfstate' },
    });
  });

  test('local: <directory>/<stack>.tfstate, remote state reads the guardrails state file', () => {
    const by = synthWith({ type: 'local', directory: '/var/state/unit' });
    for (const [name, s] of Object.entries(by)) expect(s.terraform.backend).toEqual({ local: { path: `/var/state/unit/${name}.tfstate` } });
    expect(by.ou!.data!.terraform_remote_state!.guardrails).toEqual({
      backend: 'local',
      config: { path: '/var/state/unit/guardrails.tfstate' },
    });
  });

  test('s3: bucket, key <prefix>/<stack>.tfstate, region, encrypt, use_lockfile only when on; no DynamoDB unless configured', () => {
    const by = synthWith({
      type: 's3',
      bucket: 'tf-state',
      keyPrefix: 'guardrails/prod/',
      region: 'eu-central-1',
      useLockfile: true,
      encrypt: true,
    });
    for (const [name, s] of Object.entries(by)) {
      expect(s.terraform.backend).toEqual({
        s3: { bucket: 'tf-state', key: `guardrails/prod/${name}.tfstate`, region: 'eu-central-1', encrypt: true, use_lockfile: true },
      });
    }
    expect(by.enterprise!.data!.terraform_remote_state!.guardrails).toEqual({
      backend: 's3',
      config: { bucket: 'tf-state', key: 'guardrails/prod/guardrails.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true },
    });
    const withTable = synthWith({
      type: 's3',
      bucket: 'b',
      keyPrefix: 'p',
      region: 'us-east-1',
      useLockfile: false,
      encrypt: true,
      dynamodbTable: 'locks',
    });
    expect(withTable.pilot!.terraform.backend).toEqual({
      s3: { bucket: 'b', key: 'p/pilot.tfstate', region: 'us-east-1', encrypt: true, dynamodb_table: 'locks' },
    });
  });

  test('cloud: organization, hostname, workspace <prefix>-<stack> and project; remote state through the remote backend', () => {
    const by = synthWith({
      type: 'cloud',
      organization: 'acme',
      hostname: 'app.terraform.io',
      workspacePrefix: 'guardrails-prod',
      project: 'platform',
    });
    for (const [name, s] of Object.entries(by)) {
      expect(s.terraform.cloud).toEqual({
        organization: 'acme',
        hostname: 'app.terraform.io',
        workspaces: { name: `guardrails-prod-${name}`, project: 'platform' },
      });
      expect(s.terraform).not.toHaveProperty('backend');
    }
    expect(by['model-rules']!.data!.terraform_remote_state!.guardrails).toEqual({
      backend: 'remote',
      config: { organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: 'guardrails-prod-guardrails' } },
    });
    const noProject = synthWith({ type: 'cloud', organization: 'acme', hostname: 'tfe.example.com', workspacePrefix: 'g' });
    expect(noProject.ou!.terraform.cloud).toEqual({ organization: 'acme', hostname: 'tfe.example.com', workspaces: { name: 'g-ou' } });
  });

  test.each([
    ['guardrail-rollout', 'guardrail-rollout-pilot', 'guardrail-rollout-guardrails'],
    ['guardrail-rollout-', 'guardrail-rollout-pilot', 'guardrail-rollout-guardrails'],
    ['guardrail-rollout--', 'guardrail-rollout-pilot', 'guardrail-rollout-guardrails'],
    ['gr_', 'gr_-pilot', 'gr_-guardrails'],
  ])(
    'cloud: prefix %j joins the stack with exactly one "-" (%s), and the remote state names the same workspace',
    (prefix, pilot, guardrails) => {
      const by = synthWith({ type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: prefix });
      expect(by.pilot!.terraform.cloud).toEqual({ organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: pilot } });
      expect(by.guardrails!.terraform.cloud).toEqual({
        organization: 'acme',
        hostname: 'app.terraform.io',
        workspaces: { name: guardrails },
      });
      for (const s of ['model-rules', 'ou', 'enterprise']) {
        expect(by[s]!.data!.terraform_remote_state!.guardrails).toEqual({
          backend: 'remote',
          config: { organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: guardrails } },
        });
      }
    },
  );
});
