/**
 * The real `terraform` binary for tests: whether it is on PATH (tests that need it skip with a
 * printed reason where it is not), and runs of it with the provider double installed as
 * hashicorp/aws (provider-double/, a TEST DOUBLE of the provider for the emulator).
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { AWS_PROVIDER_RELEASE } from '../../model/index.js';
import { readyProviderDouble } from '../../provider-double/ensure.js';

export const HAS_TERRAFORM = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

/** `describe`, or `describe.skip` with the reason printed once, for suites that run the real binary. */
export function describeWithTerraform(file: string): jest.Describe {
  if (!HAS_TERRAFORM) console.log(`SKIPPED ${file}: \`terraform\` is not on PATH (install Terraform ≥ 1.6 to run it)`);
  return HAS_TERRAFORM ? describe : describe.skip;
}

/** Environment for `terraform` with the double installed under `dir`. */
export function providerDoubleEnv(dir: string): Promise<Record<string, string>> {
  return readyProviderDouble(dir, AWS_PROVIDER_RELEASE);
}

export interface TfRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function terraform(cwd: string, args: string[], env: Record<string, string>): Promise<TfRun> {
  const r = await execa('terraform', [...args, '-no-color'], {
    cwd,
    env: { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' },
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
