import { mkdtemp, mkdir, writeFile, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, delimiter, dirname } from 'node:path';
import { TerraformEngine, PLAN_FILE, terraformBinary } from '../../../rollout/engines/terraform/engine.js';
import { parsePlanJson, actionOf } from '../../../rollout/engines/terraform/plan.js';
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
  test('maps documented action lists, skips data sources and reads', () => {
    expect(actionOf(['delete', 'create'])).toBe('replace');
    expect(actionOf(['create', 'delete'])).toBe('replace');
    const parsed = parsePlanJson({
      resource_changes: [
        { address: 'a.x', type: 'a', change: { actions: ['update'] } },
        { address: 'data.b.y', mode: 'data', type: 'b', change: { actions: ['read'] } },
        { address: 'c.z', type: 'c', change: { actions: ['delete', 'create'] } },
      ],
      output_changes: { v: { actions: ['update'] } },
    });
    expect(parsed.changes.map((c) => [c.address, c.action])).toEqual([
      ['a.x', 'update'],
      ['c.z', 'replace'],
    ]);
    expect(parsed.outputChanges).toEqual({ v: 'update' });
    expect(() => actionOf(['explode'])).toThrow(/unknown Terraform change actions/);
  });
});
