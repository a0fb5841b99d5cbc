/**
 * `rollout sandbox [--env <name or path>] [--port N] [--state <file>] [--faults <file>] [--seed N]`
 * Starts the local AWS emulator seeded with the environment's organization, prints one JSON
 * line (endpoint, region, management account, per-account credentials) when ready, and serves
 * until SIGINT/SIGTERM, flushing the state file before exiting 0.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { action, warnEnvironment } from '../support.js';
import type { Io } from '../../ui/io.js';
import { InputError, ToolingError } from '../../../core/errors.js';
import { deploymentBuckets, loadEnvironment, type Environment } from '../../../model/index.js';
import { TRAFFIC_PROFILES, trafficProfile, type TrafficProfile, type TrafficProfileName } from '../../../model/traffic.js';

type FaultConfig = import('../../../sandbox/faults.js').FaultConfig;

interface SandboxOptions {
  env?: string;
  port?: string;
  state?: string;
  faults?: string;
  seed?: string;
  bucket?: string[];
  traffic?: string;
}

export function register(program: Command, io: Io): void {
  program
    .command('sandbox')
    .description('run the local AWS emulator (STS, Organizations, Bedrock, Bedrock Runtime) seeded with an environment')
    .addOption(
      new Option('--env <nameOrPath>', 'environment name or file').default(
        process.env.GUARDRAIL_ENV || 'sandbox',
        '$GUARDRAIL_ENV, else sandbox',
      ),
    )
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)', '0')
    .option('--state <file>', 'persist the emulator state in this JSON file')
    .option('--faults <file>', 'JSON fault-injection config: {"<Operation>|*": {throttleRate, errorRate, latencyMs}}')
    .option('--seed <n>', 'seed for ids, secrets and fault draws', '1')
    .option(
      '--bucket <name>',
      "create this S3 bucket (repeatable; the environment's state-store and S3-backend buckets are always created)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--traffic <profile>',
      `synthetic application traffic in every member account and Region: ${TRAFFIC_PROFILES.join(', ')} (docs/bake-analysis.md)`,
      process.env.ROLLOUT_SANDBOX_TRAFFIC,
    )
    .action(
      action(io, async (opts: SandboxOptions) => {
        const port = parseIntFlag(opts.port ?? '0', '--port', 0, 65535);
        const seed = parseIntFlag(opts.seed ?? '1', '--seed', 0, 2 ** 31 - 1);
        // The emulator is loaded only by the verbs that run it.
        const { startSandbox } = await import('../../../sandbox/index.js');
        const faults = opts.faults ? await readFaults(opts.faults) : undefined;
        const env = await loadEnv(opts.env ?? 'sandbox');
        warnEnvironment(io, env);
        const traffic = trafficOf(env, opts.traffic);
        let sb: Awaited<ReturnType<typeof startSandbox>>;
        try {
          const buckets = [...new Set([...deploymentBuckets(env), ...(opts.bucket ?? [])])];
          sb = await startSandbox({ env, port, seed, faults, buckets, traffic, statePath: opts.state ? resolve(opts.state) : undefined });
        } catch (err) {
          throw new ToolingError(`could not start the sandbox: ${(err as Error).message}`, err);
        }
        io.out(
          JSON.stringify({ endpoint: sb.endpoint, region: sb.region, managementAccountId: sb.managementAccountId, accounts: sb.accounts }),
        );
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void sb.close().then(done, done);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        return 0;
      }),
    );
}

/** --traffic, else the environment's sandbox.traffic; undefined keeps what a state file holds. */
function trafficOf(env: Environment, flag: string | undefined): TrafficProfile | null | undefined {
  const name = flag ?? env.sandbox?.traffic;
  if (name === undefined) return undefined;
  if (!(TRAFFIC_PROFILES as readonly string[]).includes(name))
    throw new InputError(undefined, '--traffic', `one of ${TRAFFIC_PROFILES.join(', ')}, got "${name}"`);
  return trafficProfile(env, name as TrafficProfileName);
}

function parseIntFlag(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new InputError(undefined, flag, `an integer between ${min} and ${max}, got "${value}"`);
  return n;
}

async function readFaults(file: string): Promise<FaultConfig> {
  const { faultConfigSchema } = await import('../../../sandbox/faults.js');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(file, undefined, `a JSON fault config (${(err as Error).message})`);
  }
  const parsed = faultConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      file,
      issue.path.join('.') || undefined,
      `{"<Operation>|*": {throttleRate?: 0..1, errorRate?: 0..1, latencyMs?: integer}} (${issue.message})`,
    );
  }
  return parsed.data;
}

async function loadEnv(nameOrPath: string): Promise<Environment> {
  return loadEnvironment(nameOrPath);
}
