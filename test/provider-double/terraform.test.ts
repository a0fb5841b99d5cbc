/**
 * The provider double's protocol side against the REAL terraform binary: a toy provider
 * (fixtures/toy-provider.ts) bundled by build.ts and installed by install.ts into a filesystem
 * mirror, then init, validate, plan -out, show -json, apply of the saved plan, a replacement,
 * a refresh that finds the object gone, and destroy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProviderDouble } from '../../provider-double/build.js';
import { installProviderDouble, terraformPlatform } from '../../provider-double/install.js';
import { describeWithTerraform } from '../helpers/terraform.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const VERSION = '6.99.0';
const maybe = describeWithTerraform('test/provider-double/terraform.test.ts');

const MAIN_TF = (store: string) => `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 6.70.0" }
  }
}
variable "zone" {
  type    = string
  default = "z1"
}
provider "aws" {
  region = "us-east-1"
  store  = ${JSON.stringify(store)}
}
resource "aws_toy_thing" "a" {
  name = "alpha"
  zone = var.zone
  tags = { team = "blue" }
  rule { key = "k1" }
  rule {
    key      = "k2"
    priority = 5
  }
}
resource "aws_toy_thing" "b" {
  name  = "beta"
  label = "ref-\${aws_toy_thing.a.id}"
}
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

maybe('provider double with terraform', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  let store: string;
  let bundlePath: string;

  const tf = (...args: string[]): Run => {
    const r = spawnSync('terraform', args, { cwd: work, env, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (...args: string[]): Run => {
    const r = tf(...args);
    if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const showPlan = (file: string) => JSON.parse(ok('show', '-json', file).stdout);
  const change = (plan: any, address: string) => plan.resource_changes.find((c: any) => c.address === address).change;
  const stored = (): Record<string, any> => JSON.parse(readFileSync(store, 'utf8'));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'pd-tf-'));
    store = join(work, 'store.json');
    const { bundle } = await buildProviderDouble({ entry: join(HERE, 'fixtures/toy-main.ts'), outDir: join(work, 'bundle') });
    bundlePath = bundle;
    const installed = await installProviderDouble({ dir: join(work, 'install'), bundle, version: VERSION });
    env = {
      ...process.env,
      ...installed.env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      PROVIDER_DOUBLE_LOG: join(work, 'provider.log'),
    };
    for (const k of ['TF_LOG', 'TF_PLUGIN_CACHE_DIR', 'TF_REATTACH_PROVIDERS', 'TF_DATA_DIR']) delete env[k];
    writeFileSync(join(work, 'main.tf'), MAIN_TF(store));
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('init installs the double from the mirror', () => {
    const r = ok('init', '-no-color');
    expect(r.stdout).toContain(`Installed hashicorp/aws v${VERSION} (unauthenticated)`);
  });

  it('re-installing leaves the launcher untouched (the lock file hashes it)', async () => {
    const launcher = join(
      work,
      `install/mirror/registry.terraform.io/hashicorp/aws/${VERSION}/${terraformPlatform()}/terraform-provider-aws_v${VERSION}`,
    );
    const before = statSync(launcher).mtimeMs;
    await installProviderDouble({ dir: join(work, 'install'), bundle: bundlePath, version: VERSION });
    expect(statSync(launcher).mtimeMs).toBe(before);
    expect(readFileSync(launcher, 'utf8')).toContain(`exec '${process.execPath}' '${bundlePath}' "$@"`);
    expect(readFileSync(join(work, '.terraform.lock.hcl'), 'utf8')).toMatch(/"h1:[A-Za-z0-9+/]+=*"/);
  });

  it('validate passes, and fails on a misspelled argument', () => {
    ok('validate', '-no-color');
    writeFileSync(join(work, 'bad.tf'), 'resource "aws_toy_thing" "c" {\n  nmae = "gamma"\n}\n');
    const r = tf('validate', '-no-color');
    unlinkSync(join(work, 'bad.tf'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Unsupported argument');
  });

  it('reports a provider-side validation error at its attribute', () => {
    writeFileSync(join(work, 'bad.tf'), 'resource "aws_toy_thing" "c" {\n  name = "Not_Valid"\n}\n');
    const r = tf('validate', '-no-color');
    unlinkSync(join(work, 'bad.tf'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('name: lowercase letters, digits and - only');
    expect(r.stderr).toContain('with aws_toy_thing.c,');
    expect(r.stderr).toContain('on bad.tf line 2, in resource "aws_toy_thing" "c":');
  });

  it('plans a create with unknown computed values and a refined-unknown interpolation', () => {
    ok('plan', '-no-color', '-out=create.tfplan');
    const plan = showPlan('create.tfplan');
    const a = change(plan, 'aws_toy_thing.a');
    expect(a.actions).toEqual(['create']);
    expect(a.after_unknown).toMatchObject({ id: true, arn: true, rule: [{ priority: true }, {}] });
    expect(a.after).toMatchObject({ name: 'alpha', zone: 'z1', tags: { team: 'blue' }, rule: [{ key: 'k1' }, { key: 'k2', priority: 5 }] });
    expect(change(plan, 'aws_toy_thing.b').after_unknown).toMatchObject({ id: true, label: true });
  });

  it('applies the saved plan', () => {
    ok('apply', '-no-color', 'create.tfplan');
    const things = Object.values(stored());
    const a = things.find((t) => t.name === 'alpha');
    const b = things.find((t) => t.name === 'beta');
    expect(a.rule).toEqual([
      { key: 'k1', priority: 0 },
      { key: 'k2', priority: 5 },
    ]);
    expect(b.label).toBe(`ref-${a.id}`);
    expect(a.arn).toBe(`arn:aws:toy:us-east-1:000000000000:thing/${a.id}`);
    expect(ok('plan', '-no-color', '-detailed-exitcode').stdout).toContain('No changes.');
  });

  it('replaces on a forceNew change', () => {
    const before = Object.values(stored()).find((t) => t.name === 'alpha').id;
    ok('plan', '-no-color', '-var', 'zone=z2', '-out=replace.tfplan');
    const plan = showPlan('replace.tfplan');
    expect(change(plan, 'aws_toy_thing.a').actions).toEqual(['delete', 'create']);
    expect(plan.resource_changes.find((c: any) => c.address === 'aws_toy_thing.a').action_reason).toBe('replace_because_cannot_update');
    expect(change(plan, 'aws_toy_thing.b').actions).toEqual(['update']);
    ok('apply', '-no-color', 'replace.tfplan');
    const a = Object.values(stored()).find((t) => t.name === 'alpha');
    expect(a.zone).toBe('z2');
    expect(a.id).not.toBe(before);
    expect(Object.values(stored()).find((t) => t.name === 'beta').label).toBe(`ref-${a.id}`);
  });

  it('plans a re-create when the object vanished', () => {
    const data = stored();
    const id = Object.keys(data).find((k) => data[k].name === 'alpha')!;
    delete data[id];
    writeFileSync(store, JSON.stringify(data));
    ok('plan', '-no-color', '-var', 'zone=z2', '-out=drift.tfplan');
    expect(change(showPlan('drift.tfplan'), 'aws_toy_thing.a').actions).toEqual(['create']);
  });

  it('imports an existing object', () => {
    ok('state', 'rm', 'aws_toy_thing.a');
    const imported = {
      id: 'toy-imp',
      arn: 'arn:aws:toy:us-east-1:000000000000:thing/toy-imp',
      name: 'alpha',
      zone: 'z2',
      label: null,
      tags: null,
      rule: [],
    };
    writeFileSync(store, JSON.stringify({ ...stored(), 'toy-imp': imported }));
    const missing = tf('import', '-no-color', '-var', 'zone=z2', 'aws_toy_thing.a', 'toy-nope');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot import non-existent remote object');
    ok('import', '-no-color', '-var', 'zone=z2', 'aws_toy_thing.a', 'toy-imp');
    const state = JSON.parse(ok('show', '-json').stdout);
    const a = state.values.root_module.resources.find((x: any) => x.address === 'aws_toy_thing.a');
    expect(a.values).toEqual(imported);
  });

  it('destroys', () => {
    ok('destroy', '-no-color', '-auto-approve', '-var', 'zone=z2');
    expect(stored()).toEqual({});
    expect(JSON.parse(ok('show', '-json').stdout).values).toBeUndefined();
  });
});
