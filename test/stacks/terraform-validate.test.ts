/**
 * Every stack of every shipped environment passes `terraform validate` with the real binary
 * against the provider double's schema (transcribed from hashicorp/aws), for the target each
 * environment is synthesized for and for AWS; a misspelled argument fails it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment, projectRoot } from '../../model/index.js';
import { synthStacks, STACK_NAMES, type SynthTarget } from '../../stacks/synth.js';
import { describeWithTerraform, providerDoubleEnv, terraform } from '../helpers/terraform.js';

const SHIPPED = ['sandbox', 'example-prod'] as const;
const AS_OF = new Date('2026-11-25T00:00:00Z');

describeWithTerraform('test/stacks/terraform-validate.test.ts')('terraform validate of the synthesized stacks', () => {
  let work: string;
  let tfEnv: Record<string, string>;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
    tfEnv = await providerDoubleEnv(join(work, 'double'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Every phase at the environment's current release, every release published. */
  async function synth(envName: string, target: SynthTarget): Promise<string> {
    const env = await loadEnvironment(join(projectRoot(), 'environments', envName, 'environment.yaml'));
    const outdir = join(work, `${envName}-${target}`);
    const release = env.currentRelease;
    synthStacks({
      env,
      releases: { pilot: release, 'model-rules': release, ou: release, enterprise: release },
      publish: env.releases.map((r) => r.name),
      asOf: AS_OF,
      outdir,
      target,
    });
    return outdir;
  }

  async function validate(dir: string): Promise<{ exitCode: number; output: string }> {
    // -backend=false: validation needs the provider, not the state (example-prod's is in S3).
    const init = await terraform(dir, ['init', '-backend=false', '-input=false'], tfEnv);
    if (init.exitCode !== 0) return { exitCode: init.exitCode, output: init.stdout + init.stderr };
    const v = await terraform(dir, ['validate'], tfEnv);
    // Terraform quotes the offending source line: cdk.tf.json is one line, so drop the quote.
    const output = (v.stdout + v.stderr)
      .split('\n')
      .filter((l) => l.length < 400)
      .join('\n');
    return { exitCode: v.exitCode, output };
  }

  for (const envName of SHIPPED) {
    for (const target of ['sandbox', 'aws'] as const) {
      test(`${envName} (${target} target): all five stacks validate`, async () => {
        const out = await synth(envName, target);
        const results = await Promise.all(STACK_NAMES.map(async (name) => [name, await validate(join(out, 'stacks', name))] as const));
        for (const [name, r] of results)
          expect({ name, ...r, output: r.exitCode === 0 ? '' : r.output }).toEqual({ name, exitCode: 0, output: '' });
        expect(results.map(([, r]) => r.output).join('\n')).not.toMatch(/Warning/);
      }, 120_000);
    }
  }

  test('a misspelled argument fails validate, naming it', async () => {
    const out = await synth('sandbox', 'sandbox');
    const dir = join(out, 'stacks', 'pilot');
    const file = join(dir, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const config = json.resource.aws_bedrock_enforced_guardrail_configuration.account_us_east_1;
    config.guardrail_identifer = config.guardrail_identifier; // the typo a hand edit makes
    delete config.guardrail_identifier;
    writeFileSync(file, JSON.stringify(json));
    const r = await validate(dir);
    expect(r.exitCode).toBe(1);
    // Terraform's JSON-syntax wording for an undeclared argument, and the one it then misses.
    expect(r.output).toMatch(/Extraneous JSON object property[\s\S]*No argument or block type is named "guardrail_identifer"/);
    expect(r.output).toMatch(/The argument "guardrail_identifier" is required, but no definition was found/);
  }, 60_000);
});
