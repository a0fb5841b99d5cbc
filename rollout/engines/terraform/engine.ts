/**
 * The real path: runs `terraform` (or `tofu`) through execa in a synthesized stack directory.
 *
 *   init  -input=false -no-color                    (backend comes from cdk.tf.json: local, s3, cloud)
 *   plan  -input=false -no-color -lock-timeout=Ns -out=rollout.tfplan
 *   show  -json -no-color rollout.tfplan            (documented plan JSON → EnginePlan)
 *   apply -input=false -no-color -lock-timeout=Ns rollout.tfplan   (only that saved plan)
 *   output -json -no-color
 *
 * Always with TF_IN_AUTOMATION=1 and TF_INPUT=0. Saved plans work with the `cloud` backend
 * (HCP Terraform / Terraform Cloud) in Terraform ≥ 1.6; credentials come from
 * TF_TOKEN_app_terraform_io (or the hostname's TF_TOKEN_* variable), never from this tool.
 * Before applying, the saved plan is shown again and its hash compared with the reviewed one,
 * so a plan file replaced between review and apply is refused.
 */
import { execa, type ExecaError } from 'execa';
import { join, resolve } from 'node:path';
import type { ApplyResult, Engine, EnginePlan } from '../../state/contracts.js';
import type { StackArtifact, StackName } from '../../../stacks/artifact.js';
import { ToolingError } from '../../../core/errors.js';
import { parsePlanJson, planHashOf, type TfPlanJson } from './plan.js';

export const PLAN_FILE = 'rollout.tfplan';

export interface TerraformEngineOptions {
  /** Binary name or path: `terraform` or `tofu` (env.deployment.terraformBinary), overridable. */
  binary: string;
  /** Directory that holds one sub-directory per stack (for `outputs(name)`). */
  stacksDir: string;
  lockTimeoutSeconds?: number;
  /** Extra environment for the child (e.g. TF_TOKEN_*, AWS_PROFILE); process.env is inherited. */
  env?: Record<string, string>;
}

/** Binary resolution: --terraform-bin flag, then ROLLOUT_TERRAFORM_BIN, then the environment file. */
export function terraformBinary(flag: string | undefined, fromEnvFile: string): string {
  const bin = flag || process.env.ROLLOUT_TERRAFORM_BIN || fromEnvFile;
  // terraform runs in each stack directory: a relative path means relative to where rollout was started.
  return bin.includes('/') || bin.includes('\\') ? resolve(bin) : bin;
}

function tail(text: string | undefined, lines = 15): string {
  return (text ?? '').trim().split('\n').slice(-lines).join('\n');
}

export class TerraformEngine implements Engine {
  readonly name = 'terraform' as const;
  private readonly initialized = new Set<string>();
  private readonly lockTimeout: number;

  constructor(private readonly opts: TerraformEngineOptions) {
    this.lockTimeout = opts.lockTimeoutSeconds ?? 300;
  }

  private async run(dir: string, args: string[]): Promise<string> {
    try {
      const r = await execa(this.opts.binary, args, {
        cwd: dir,
        env: { ...this.opts.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
        stdin: 'ignore',
        stripFinalNewline: false,
        maxBuffer: 256 * 1024 * 1024,
      });
      return r.stdout;
    } catch (err) {
      const e = err as ExecaError;
      if ((e as { code?: string }).code === 'ENOENT') {
        const b = this.opts.binary;
        throw new ToolingError(
          b.includes('/') || b.includes('\\')
            ? `${b} does not exist: pass --terraform-bin (or set ROLLOUT_TERRAFORM_BIN) to the path of a terraform or tofu binary`
            : `${b} not found on PATH: install Terraform (or OpenTofu) or pass --terraform-bin <path>`,
          err,
        );
      }
      const detail = tail(String(e.stderr ?? '')) || tail(String(e.stdout ?? '')) || e.shortMessage;
      throw new ToolingError(`${this.opts.binary} ${args[0]} failed in ${dir} (exit ${e.exitCode ?? '?'}):\n${detail}`, err);
    }
  }

  private async init(dir: string): Promise<void> {
    if (this.initialized.has(dir)) return;
    await this.run(dir, ['init', '-input=false', '-no-color']);
    this.initialized.add(dir);
  }

  private async show(dir: string, stack: StackName): Promise<EnginePlan> {
    const raw = await this.run(dir, ['show', '-json', '-no-color', PLAN_FILE]);
    let json: TfPlanJson;
    try {
      json = JSON.parse(raw) as TfPlanJson;
    } catch (err) {
      throw new ToolingError(`${this.opts.binary} show -json printed something that is not JSON (in ${dir})`, err);
    }
    let parsed: ReturnType<typeof parsePlanJson>;
    try {
      parsed = parsePlanJson(json);
    } catch (err) {
      throw new ToolingError(`${this.opts.binary} show -json (in ${dir}): ${(err as Error).message}`, err);
    }
    const { changes, outputChanges } = parsed;
    return { stack, changes, planHash: planHashOf(stack, changes, outputChanges), handle: join(dir, PLAN_FILE) };
  }

  async plan(stack: StackArtifact): Promise<EnginePlan> {
    await this.init(stack.dir);
    await this.run(stack.dir, ['plan', '-input=false', '-no-color', `-lock-timeout=${this.lockTimeout}s`, `-out=${PLAN_FILE}`]);
    return this.show(stack.dir, stack.name);
  }

  async apply(stack: StackArtifact, plan: EnginePlan): Promise<ApplyResult> {
    if (!plan.handle || plan.stack !== stack.name) throw new ToolingError(`no saved plan for stack ${stack.name}: plan before apply`);
    const current = await this.show(stack.dir, stack.name);
    if (current.planHash !== plan.planHash) {
      throw new ToolingError(
        `saved plan for ${stack.name} changed since it was reviewed (hash ${plan.planHash.slice(0, 12)} → ${current.planHash.slice(0, 12)}); re-run plan`,
      );
    }
    await this.run(stack.dir, ['apply', '-input=false', '-no-color', `-lock-timeout=${this.lockTimeout}s`, PLAN_FILE]);
    return { stack: stack.name, outputs: await this.outputs(stack.name, stack.dir) };
  }

  async outputs(stack: StackName, dir = join(this.opts.stacksDir, stack)): Promise<Record<string, unknown>> {
    await this.init(dir);
    const raw = await this.run(dir, ['output', '-json', '-no-color']);
    const parsed = JSON.parse(raw || '{}') as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v?.value]));
  }
}
