/**
 * The CI rehearsal: the example GitHub Actions workflows (examples/github-actions/) run without
 * GitHub. A `rollout sandbox` process stands for AWS; the sandbox environment, copied with an S3
 * state store and an S3 Terraform backend in the emulator, is promoted with the terraform engine
 * (real binary, provider double). A test-double runner (test/helpers/workflow-runner.ts) executes
 * the workflows' `run:` steps in job order, every job in a fresh working directory standing for a
 * fresh runner (no `.rollout/` of its own): the review job, then per phase the plan job and the
 * promote job, the plan reaching promote only through the artifact. `ou` bakes, so `enterprise`
 * is skipped with a notice and the run does not fail.
 */
import { spawnSync } from 'node:child_process';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PHASES } from '../../model/types.js';
import { HAS_TERRAFORM, describeWithTerraform } from '../helpers/terraform.js';
import { loadWorkflow, runJob, type Context, type JobRun } from '../helpers/workflow-runner.js';

const REPO = process.cwd();
const BUCKET = 'rehearsal-rollout';
const HAS_JQ = spawnSync('jq', ['--version'], { stdio: 'ignore' }).status === 0;
if (HAS_TERRAFORM && !HAS_JQ) console.log('SKIPPED test/e2e/ci-rehearsal.e2e.test.ts: `jq` (used by the workflow) is not installed');
const suite = HAS_JQ ? describeWithTerraform('test/e2e/ci-rehearsal.e2e.test.ts') : describe.skip;

/**
 * The sandbox environment as a pipeline would configure it: S3 store and backend, ou bakes an
 * hour, no expired exception. Only environment.yaml is copied; its definitions and smoke files
 * stay in environments/sandbox/, allowed through `fileRoots`.
 */
function rehearsalEnvironment(dir: string): string {
  const source = join(REPO, 'environments', 'sandbox');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'environment.yaml');
  const doc = YAML.parseDocument(readFileSync(join(source, 'environment.yaml'), 'utf8'));
  YAML.visit(doc, {
    Pair(_, pair) {
      const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
      if ((key === 'definition' || key === 'contentFile') && YAML.isScalar(pair.value) && typeof pair.value.value === 'string') {
        pair.value.value = resolve(source, pair.value.value);
      }
    },
  });
  doc.set('fileRoots', doc.createNode([source]));
  doc.setIn(['deployment', 'stateStore'], doc.createNode({ type: 's3', bucket: BUCKET, prefix: 'rollout' }));
  doc.setIn(
    ['deployment', 'backend'],
    doc.createNode({ type: 's3', bucket: BUCKET, keyPrefix: 'tfstate', region: 'us-east-1', useLockfile: true }),
  );
  doc.setIn(['phases', 'ou', 'bake'], '1h');
  const exceptions = doc.get('exceptions') as YAML.YAMLSeq<YAML.YAMLMap>;
  exceptions.items = exceptions.items.filter((e) => e.get('id') !== 'EXC-2026-002'); // expired: the review job would fail on it
  writeFileSync(file, doc.toString());
  return file;
}

suite('CI rehearsal of examples/github-actions against the emulator', () => {
  let work: string;
  let sandbox: ResultPromise;
  let endpoint: string;
  let mgmtKeys: { accessKeyId: string; secretAccessKey: string };
  let envFile: string;
  let runners = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ci-rehearsal-'));
    envFile = rehearsalEnvironment(join(work, 'environment'));
    sandbox = execa('node', [join(REPO, 'bin/rollout.mjs'), 'sandbox', '--env', envFile, '--state', join(work, 'aws.json')], {
      cwd: work,
      env: { ROLLOUT_HOME: join(work, 'sandbox-home') },
      buffer: false,
    });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      sandbox.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0]!);
      });
      sandbox.catch(reject);
    });
    const info = JSON.parse(line) as { endpoint: string; managementAccountId: string; accounts: Record<string, typeof mgmtKeys> };
    endpoint = info.endpoint;
    mgmtKeys = info.accounts[info.managementAccountId]!;
  }, 60_000);

  afterAll(async () => {
    sandbox?.kill('SIGTERM');
    await sandbox?.catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  /** One job on a fresh runner. */
  async function job(file: string, name: string, ctx: Context): Promise<JobRun> {
    const wf = loadWorkflow(join(REPO, 'examples', 'github-actions', file));
    const dir = join(work, `runner-${++runners}-${name}`);
    return runJob(wf.jobs[name]!, ctx, {
      dir,
      artifacts: join(work, 'artifacts'),
      rollout: `node ${join(REPO, 'bin/rollout.mjs')}`,
      env: {
        PATH: process.env.PATH!,
        HOME: dir,
        CI: 'true',
        GUARDRAIL_ENV: envFile,
        ROLLOUT_ACTOR: 'rehearsal-bot',
        ROLLOUT_ENGINE: 'terraform',
        ROLLOUT_SANDBOX_ENDPOINT: endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
  }

  const failure = (r: JobRun) =>
    r.steps
      .filter((s) => s.exitCode !== 0)
      .map((s) => `${s.name}: exit ${s.exitCode}\n${s.stdout.slice(-1500)}\n${s.stderr.slice(-1500)}`)
      .join('\n');

  test('review job, then plan and promote per phase on separate runners; a baking phase ends the chain without failing', async () => {
    const github = { run_id: '4242', actor: 'octocat', event_name: 'push' };
    const review = await job('guardrail-rollout.yml', 'review', {
      inputs: {},
      needs: {},
      github: { ...github, event_name: 'pull_request' },
    });
    expect({ skipped: review.skipped, exit: review.exitCode, failure: failure(review) }).toEqual({ skipped: false, exit: 0, failure: '' });
    expect(review.steps.find((s) => s.name.startsWith('marocchino'))!.stdout).toMatch(/pilot/);

    const done: Record<string, string> = {};
    let previous = '';
    for (const phase of PHASES) {
      const inputs = { phase, previous };
      const plan = await job('guardrail-phase.yml', 'plan', { inputs, needs: {}, github });
      expect({ phase, exit: plan.exitCode, failure: failure(plan) }).toEqual({ phase, exit: 0, failure: '' });
      const promote = await job('guardrail-phase.yml', 'promote', { inputs, needs: { plan: { outputs: plan.outputs } }, github });
      expect({ phase, exit: promote.exitCode, failure: failure(promote) }).toEqual({ phase, exit: 0, failure: '' });
      done[phase] = promote.skipped ? 'skipped' : promote.outputs.done;
      if (phase === 'enterprise') {
        expect(plan.outputs.ready).toBe('false');
        expect(plan.steps.find((s) => s.name.startsWith('Is the previous'))!.stdout).toMatch(/::notice::ou is baking for \d+s more/);
      } else {
        expect(plan.summary).toMatch(new RegExp(`${phase}`));
        const result = JSON.parse(readFileSync(join(work, 'artifacts', `result-${phase}`), 'utf8'));
        expect(result).toMatchObject({ ok: true, phase });
      }
      previous = phase;
    }
    expect(done).toEqual({ pilot: 'true', 'model-rules': 'true', ou: 'true', enterprise: 'skipped' });

    // Nothing of the rollout lived on a runner: every runner directory is free of state, and the
    // store and the Terraform states are in the bucket.
    for (const d of readdirSync(work).filter((n) => n.startsWith('runner-'))) {
      expect(existsSync(join(work, d, '.rollout', 'sandbox', 'state.json'))).toBe(false);
    }
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: mgmtKeys });
    try {
      const keys = (await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents!.map((o) => o.Key!);
      expect(keys).toEqual(expect.arrayContaining(['rollout/sandbox/state.json', 'tfstate/guardrails.tfstate', 'tfstate/ou.tfstate']));
      const ledgerKeys = keys.filter((k) => k.startsWith('rollout/sandbox/ledger/')).sort();
      const last = JSON.parse(
        await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: ledgerKeys.at(-1)! }))).Body!.transformToString(),
      );
      // The last entry: ou promoted by the pipeline's actor, bound to the plan file reviewed in its plan job.
      expect(last).toMatchObject({
        kind: 'promoted',
        phase: 'ou',
        who: 'rehearsal-bot',
        reviewedPlan: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(keys.some((k) => k.endsWith('.tflock') || k.endsWith('lock.json'))).toBe(false); // no lock left behind
    } finally {
      s3.destroy();
    }
  }, 900_000);
});
