import { mkdtemp, mkdir, writeFile, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, delimiter, dirname } from 'node:path';
import { TerraformEngine, PLAN_FILE, terraformBinary } from '../../../rollout/engines/terraform/engine.js';
import { parsePlanJson, actionOf } from '../../../rollout/engines/terraform/plan.js';
import { changeLabel } from '../../../rollout/state/change-action.js';
import { reportMarkdown } from '../../helpers/plan-report.js';
import { ToolingError } from '../../../core/errors.js';
import type { StackArtifact } from '../../../stacks/artifact.js';
import type { BackendSettings } from '../../../model/types.js';
import { synthStacks } from '../../../stacks/synth.js';
import { testEnv } from '../../helpers/stacks.js';

const FAKE_DIR = resolve('test/helpers/fake-terraform');

interface Call {
  bin: string;
  argv: string[];
  cwd: string;
  backend: string | null;
  TF_IN_AUTOMATION?: string;
  TF_INPUT?: string;
  TF_TOKEN_app_terraform_io?: string;
}

let root: string;
let logFile: string;
const saved = { PATH: process.env.PATH, FAKE_TF_LOG: process.env.FAKE_TF_LOG, FAKE_TF_FAIL: process.env.FAKE_TF_FAIL };
delete process.env.FAKE_TF_FORMAT_VERSION;

async function stack(name: 'guardrails' | 'pilot', json: Record<string, unknown>): Promise<StackArtifact> {
  const dir = join(root, 'stacks', name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'cdk.tf.json');
  await writeFile(file, JSON.stringify(json));
  return { name, dir, file, json };
}

async function calls(): Promise<Call[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Call);
}

const pilotJson = {
  terraform: { backend: { cloud: { organization: 'acme', workspaces: { name: 'guardrails-pilot' } } } },
  resource: {
    aws_bedrock_enforced_guardrail_configuration: { pilot_us_east_1: { guardrail_identifier: 'arn:x', guardrail_version: '3' } },
  },
  output: { config_id: { value: '${aws_bedrock_enforced_guardrail_configuration.pilot_us_east_1.id}' } },
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tf-engine-'));
  logFile = join(root, 'calls.jsonl');
  process.env.PATH = FAKE_DIR + delimiter + saved.PATH;
  process.env.FAKE_TF_LOG = logFile;
  delete process.env.FAKE_TF_FAIL;
});
afterEach(async () => {
  process.env.PATH = saved.PATH;
  if (saved.FAKE_TF_LOG === undefined) delete process.env.FAKE_TF_LOG;
  else process.env.FAKE_TF_LOG = saved.FAKE_TF_LOG;
  delete process.env.FAKE_TF_FAIL;
  await rm(root, { recursive: true, force: true });
});

describe('terraform engine (against the test-double binary on PATH)', () => {
  test('plan then apply runs init, plan -out, show -json, apply <saved plan>, output -json with automation flags', async () => {
    const engine = new TerraformEngine({
      binary: 'terraform',
      stacksDir: join(root, 'stacks'),
      lockTimeoutSeconds: 120,
      env: { TF_TOKEN_app_terraform_io: 'tok' },
    });
    const s = await stack('pilot', pilotJson);
    const plan = await engine.plan(s);
    expect(plan.changes).toEqual([
      expect.objectContaining({ address: 'aws_bedrock_enforced_guardrail_configuration.pilot_us_east_1', action: 'create' }),
    ]);
    expect(plan.handle).toBe(join(s.dir, PLAN_FILE));
    const result = await engine.apply(s, plan);
    expect(result.outputs).toEqual({ config_id: 'fake-output:config_id' });

    const log = await calls();
    expect(log.map((c) => c.argv)).toEqual([
      ['init', '-input=false', '-no-color'],
      ['plan', '-input=false', '-no-color', '-lock-timeout=120s', `-out=${PLAN_FILE}`],
      ['show', '-json', '-no-color', PLAN_FILE],
      ['show', '-json', '-no-color', PLAN_FILE],
      ['apply', '-input=false', '-no-color', '-lock-timeout=120s', PLAN_FILE],
      ['output', '-json', '-no-color'],
    ]);
    for (const c of log) {
      expect(c.cwd).toBe(s.dir);
      expect(c.TF_IN_AUTOMATION).toBe('1');
      expect(c.TF_INPUT).toBe('0');
      expect(c.TF_TOKEN_app_terraform_io).toBe('set');
    }
  });

  test('a second plan after apply reports no changes; a removed resource is a delete', async () => {
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const s = await stack('pilot', pilotJson);
    await engine.apply(s, await engine.plan(s));
    const again = await engine.plan(s);
    expect(again.changes.map((c) => c.action)).toEqual(['no-op']);
    const emptied = await stack('pilot', { ...pilotJson, resource: {}, output: {} });
    const removal = await engine.plan(emptied);
    expect(removal.changes.map((c) => [c.address, c.action])).toEqual([
      ['aws_bedrock_enforced_guardrail_configuration.pilot_us_east_1', 'delete'],
    ]);
    expect(removal.planHash).not.toBe(again.planHash);
    // init ran once for the directory
    expect((await calls()).filter((c) => c.argv[0] === 'init')).toHaveLength(1);
  });

  test('apply refuses a saved plan that changed after review', async () => {
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const s = await stack('pilot', pilotJson);
    const plan = await engine.plan(s);
    await stack('pilot', { ...pilotJson, resource: {} });
    await engine.plan({ ...s }); // overwrites the saved plan file
    await expect(engine.apply(s, plan)).rejects.toThrow(/changed since it was reviewed/);
    expect((await calls()).some((c) => c.argv[0] === 'apply')).toBe(false);
  });

  test('a failing terraform command is a ToolingError carrying the stderr tail', async () => {
    process.env.FAKE_TF_FAIL = 'plan';
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const s = await stack('pilot', pilotJson);
    const err = await engine.plan(s).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolingError);
    expect((err as Error).message).toMatch(/terraform plan failed .*exit 1[\s\S]*fake failure of plan/);
  });

  test('a missing binary names the flag to fix it', async () => {
    const engine = new TerraformEngine({ binary: 'tofu-does-not-exist', stacksDir: join(root, 'stacks') });
    const s = await stack('pilot', pilotJson);
    await expect(engine.plan(s)).rejects.toThrow(/not found on PATH.*--terraform-bin/);
  });
});

describe('terraform engine on synthesized stacks, per backend', () => {
  const SEQUENCE = [
    ['init', '-input=false', '-no-color'],
    ['plan', '-input=false', '-no-color', '-lock-timeout=300s', `-out=${PLAN_FILE}`],
    ['show', '-json', '-no-color', PLAN_FILE],
    ['show', '-json', '-no-color', PLAN_FILE],
    ['apply', '-input=false', '-no-color', '-lock-timeout=300s', PLAN_FILE],
    ['output', '-json', '-no-color'],
  ];
  test.each<[string, BackendSettings]>([
    [
      's3 (lockfile)',
      { type: 's3', bucket: 'tf-state', keyPrefix: 'guardrails/prod', region: 'eu-central-1', useLockfile: true, encrypt: true },
    ],
    ['cloud (HCP Terraform)', { type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: 'guardrails-prod' }],
  ])('%s: guardrails then pilot run the full command sequence in their own directories, unchanged', async (_name, backend) => {
    const arts = synthStacks(
      { env: testEnv({}, backend), releases: { pilot: 'baseline@2026.11.2' }, asOf: new Date('2026-11-20T00:00:00Z'), outdir: root },
      ['guardrails', 'pilot'],
    );
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const planned: Record<string, string[]> = {};
    for (const a of arts) {
      const plan = await engine.plan(a);
      planned[a.name] = plan.changes.map((c) => `${c.action} ${c.type}`).sort();
      await engine.apply(a, plan);
    }
    // Exactly what the stacks declare is created: per region a guardrail, its version and (guardrails) the RBP,
    // (pilot) the account-level enforced configuration.
    expect(planned.guardrails).toEqual([
      ...Array(2).fill('create aws_bedrock_guardrail'),
      ...Array(2).fill('create aws_bedrock_guardrail_resource_policy'),
      ...Array(2).fill('create aws_bedrock_guardrail_version'),
    ]);
    expect(planned.pilot).toEqual([
      ...Array(2).fill('create aws_bedrock_enforced_guardrail_configuration'),
      ...Array(2).fill('create aws_bedrock_guardrail'),
      ...Array(2).fill('create aws_bedrock_guardrail_version'),
    ]);
    const log = await calls();
    for (const a of arts) {
      const mine = log.filter((c) => c.cwd === a.dir);
      expect(mine.map((c) => c.argv)).toEqual(SEQUENCE);
      // init runs where the synthesized configuration selects the environment's backend
      expect(new Set(mine.map((c) => c.backend))).toEqual(new Set([backend.type]));
    }
    expect(log).toHaveLength(SEQUENCE.length * arts.length);
    // Re-planning after the apply finds nothing to change.
    expect((await engine.plan(arts[1]!)).changes.every((c) => c.action === 'no-op')).toBe(true);
  });

  test('OpenTofu: the configured binary name is the one executed', async () => {
    const bin = join(root, 'bin');
    await mkdir(bin);
    await symlink(join(FAKE_DIR, 'terraform'), join(bin, 'tofu'));
    // Only `tofu` (and node, for the double's shebang) is reachable: not this double's `terraform`,
    // nor a real terraform the machine may have installed.
    process.env.PATH = bin + delimiter + dirname(process.execPath);
    const engine = new TerraformEngine({ binary: 'tofu', stacksDir: join(root, 'stacks') });
    const s = await stack('pilot', pilotJson);
    await engine.apply(s, await engine.plan(s));
    const log = await calls();
    expect(log.length).toBe(SEQUENCE.length);
    expect(new Set(log.map((c) => c.bin))).toEqual(new Set(['tofu']));
    await expect(new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') }).plan(s)).rejects.toThrow(
      /terraform not found on PATH/,
    );
  });

  test('binary resolution: --terraform-bin, then ROLLOUT_TERRAFORM_BIN, then deployment.terraformBinary', () => {
    const prev = process.env.ROLLOUT_TERRAFORM_BIN;
    try {
      delete process.env.ROLLOUT_TERRAFORM_BIN;
      expect(terraformBinary(undefined, 'tofu')).toBe('tofu');
      process.env.ROLLOUT_TERRAFORM_BIN = '/opt/tf/terraform';
      expect(terraformBinary(undefined, 'tofu')).toBe('/opt/tf/terraform');
      expect(terraformBinary('/usr/local/bin/tofu', 'terraform')).toBe('/usr/local/bin/tofu');
    } finally {
      if (prev === undefined) delete process.env.ROLLOUT_TERRAFORM_BIN;
      else process.env.ROLLOUT_TERRAFORM_BIN = prev;
    }
  });
});

describe('terraform plan JSON parsing', () => {
  const V = { format_version: '1.2', terraform_version: '1.9.8' };
  test('maps every documented action list, skips data sources and reads', () => {
    // https://developer.hashicorp.com/terraform/internals/json-format, internal/command/jsonplan
    expect(
      [
        ['no-op'],
        ['create'],
        ['read'],
        ['update'],
        ['delete', 'create'],
        ['create', 'delete'],
        ['delete'],
        ['forget'],
        ['create', 'forget'],
      ].map((a) => [a.join(','), actionOf(a)]),
    ).toEqual([
      ['no-op', 'no-op'],
      ['create', 'create'],
      ['read', 'read'],
      ['update', 'update'],
      ['delete,create', 'replace'],
      ['create,delete', 'replace'],
      ['delete', 'delete'],
      ['forget', 'forget'],
      ['create,forget', 'replace-forget'],
    ]);
    const parsed = parsePlanJson({
      ...V,
      resource_changes: [
        { address: 'a.x', type: 'a', change: { actions: ['update'] } },
        { address: 'data.b.y', mode: 'data', type: 'b', change: { actions: ['read'] } },
        { address: 'c.z', type: 'c', change: { actions: ['delete', 'create'] } },
        { address: 'd.w', type: 'd', change: { actions: ['forget'], before: { id: 'w' } } },
        { address: 'e.v', type: 'e', change: { actions: ['create', 'forget'], before: { id: 'v1' }, after: { id: 'v2' } } },
      ],
      output_changes: { v: { actions: ['update'] } },
    });
    expect(parsed.changes.map((c) => [c.address, c.action, changeLabel(c)])).toEqual([
      ['a.x', 'update', 'update'],
      ['c.z', 'replace', 'replace'],
      ['d.w', 'forget', 'forget (kept in AWS)'],
      ['e.v', 'replace-forget', 'replace (old kept in AWS)'],
    ]);
    expect(parsed.outputChanges).toEqual({ v: 'update' });
    expect(() => actionOf(['explode'])).toThrow(ToolingError);
    expect(() => actionOf(['explode'])).toThrow(/unknown Terraform change actions \["explode"\]/);
  });

  test('a delete or replace of a skip_destroy object is a forget: AWS keeps it', () => {
    const version = { guardrail_arn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/g', version: '3', skip_destroy: true };
    const parsed = parsePlanJson({
      ...V,
      resource_changes: [
        {
          address: 'aws_bedrock_guardrail_version.old',
          type: 'aws_bedrock_guardrail_version',
          change: { actions: ['delete'], before: version },
        },
        {
          address: 'aws_bedrock_guardrail_version.moved',
          type: 'aws_bedrock_guardrail_version',
          change: { actions: ['delete', 'create'], before: version, after: { ...version, version: null } },
        },
        {
          address: 'aws_organizations_policy.p',
          type: 'aws_organizations_policy',
          change: { actions: ['delete'], before: { id: 'p-1', skip_destroy: false } },
        },
      ],
    });
    expect(parsed.changes.map((c) => [c.address, changeLabel(c)])).toEqual([
      ['aws_bedrock_guardrail_version.old', 'forget (kept in AWS)'],
      ['aws_bedrock_guardrail_version.moved', 'replace (old kept in AWS)'],
      ['aws_organizations_policy.p', 'delete'],
    ]);
  });

  test('an import is shown as such; an import with nothing else to do is still a change', () => {
    const parsed = parsePlanJson({
      ...V,
      resource_changes: [
        {
          address: 'aws_organizations_policy.p',
          type: 'aws_organizations_policy',
          change: { actions: ['no-op'], importing: { id: 'p-abc' } },
        },
        {
          address: 'aws_organizations_policy.q',
          type: 'aws_organizations_policy',
          change: { actions: ['update'], importing: { id: 'p-def' } },
        },
        { address: 'aws_organizations_policy.r', type: 'aws_organizations_policy', change: { actions: ['no-op'], importing: null } },
      ],
    });
    expect(parsed.changes.map((c) => [c.address, c.action, c.importId, changeLabel(c)])).toEqual([
      ['aws_organizations_policy.p', 'import', 'p-abc', 'import (id p-abc)'],
      ['aws_organizations_policy.q', 'update', 'p-def', 'update, import (id p-def)'],
      ['aws_organizations_policy.r', 'no-op', undefined, 'no-op'],
    ]);
  });

  test('format_version: 1.x is read; another major or none is refused naming the version and terraform_version', () => {
    expect(parsePlanJson({ format_version: '1.0', resource_changes: [] }).changes).toEqual([]);
    expect(parsePlanJson({ format_version: '1.9', terraform_version: '1.14.0' }).changes).toEqual([]);
    const refused = (plan: Parameters<typeof parsePlanJson>[0]) => {
      try {
        parsePlanJson(plan);
      } catch (err) {
        expect(err).toBeInstanceOf(ToolingError);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused({ format_version: '2.0', terraform_version: '2.1.0' })).toBe(
      'the plan JSON has format_version "2.0" (terraform_version 2.1.0); rollout reads format 1.x only: use a Terraform or OpenTofu release that writes it, or upgrade rollout',
    );
    expect(refused({ format_version: '0.2', terraform_version: '0.15.5' })).toMatch(/format_version "0\.2" \(terraform_version 0\.15\.5\)/);
    expect(refused({ terraform_version: '1.9.8' })).toBe(
      'the plan JSON has no format_version (terraform_version 1.9.8): it is not `terraform show -json` output of a saved plan',
    );
  });
});

describe('terraform engine: plan format and forgotten objects (test double)', () => {
  const versionJson = (withVersion: boolean) => ({
    resource: {
      aws_bedrock_guardrail_version: withVersion
        ? { release_a_us_east_1: { guardrail_arn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/g', skip_destroy: true } }
        : {},
      aws_organizations_policy: { baseline: { name: 'baseline', type: 'BEDROCK_POLICY', content: '{}' } },
    },
  });

  test('the double writes format_version "1.2"; a binary writing another major is refused before anything is applied', async () => {
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const s = await stack('guardrails', versionJson(true));
    await engine.plan(s);
    expect(JSON.parse(await readFile(join(s.dir, PLAN_FILE), 'utf8')).format_version).toBe('1.2');
    process.env.FAKE_TF_FORMAT_VERSION = '2.0';
    try {
      const err = await engine.plan(s).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ToolingError);
      expect((err as Error).message).toBe(
        `terraform show -json (in ${s.dir}): the plan JSON has format_version "2.0" (terraform_version 0.0.0-test-double); rollout reads format 1.x only: use a Terraform or OpenTofu release that writes it, or upgrade rollout`,
      );
      process.env.FAKE_TF_FORMAT_VERSION = '';
      await expect(engine.plan(s)).rejects.toThrow(/has no format_version \(terraform_version 0\.0\.0-test-double\)/);
    } finally {
      delete process.env.FAKE_TF_FORMAT_VERSION;
    }
    expect((await calls()).some((c) => c.argv[0] === 'apply')).toBe(false);
  });

  test('a skip_destroy version leaving the configuration is planned as forget (kept in AWS), in the reviewer report too', async () => {
    const engine = new TerraformEngine({ binary: 'terraform', stacksDir: join(root, 'stacks') });
    const s = await stack('guardrails', versionJson(true));
    await engine.apply(s, await engine.plan(s));
    const removal = await engine.plan(await stack('guardrails', versionJson(false)));
    expect(removal.changes.map((c) => [c.address, changeLabel(c)])).toEqual([
      ['aws_organizations_policy.baseline', 'no-op'],
      ['aws_bedrock_guardrail_version.release_a_us_east_1', 'forget (kept in AWS)'],
    ]);
    const md = await reportMarkdown([removal]);
    expect(md).toContain('**guardrails** — 0 to create, 0 to update, 0 to replace, 0 to destroy, 1 to forget (kept in AWS)');
    expect(md).toContain('| forget (kept in AWS) | `aws_bedrock_guardrail_version.release_a_us_east_1` |');
  });
});
