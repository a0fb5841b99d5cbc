/**
 * What `rollout` loads at start, observed on the spawned binary (compiled dist/ when fresh, else
 * the sources through tsx: the same module graph): --help, --version and status must not import
 * cdktf, the AWS SDK, the emulator or the provider double. A module-resolution hook
 * (test/helpers/load-recorder/) records every module URL. Start-up time is measured in
 * bench/startup.bench.ts, never asserted here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { VERBS } from '../../rollout/cli/verbs.js';

const BIN = resolve('bin/rollout.mjs');
const RECORDER = pathToFileURL(resolve('test/helpers/load-recorder/register.mjs')).href;
const ROOT = pathToFileURL(resolve('.')).href;
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
/** Packages and folders of ours that only the verbs reaching a target (or running the emulator) need. */
const HEAVY = [
  /\/node_modules\/(cdktf|@cdktf\/[^/]+|constructs)\//,
  /\/node_modules\/@aws-sdk\//,
  /\/node_modules\/@smithy\//,
  new RegExp(`^${ROOT}/(dist/)?(sandbox|provider-double|modules|stacks)/`),
];

let home: string;
let work: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'rollout-startup-'));
  work = mkdtempSync(join(tmpdir(), 'rollout-loads-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function rollout(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { ROLLOUT_HOME: home, NODE_NO_WARNINGS: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    timeout: 60_000,
  });
}

/** Runs rollout with the recorder and returns the exit code and every module URL it resolved. */
async function loaded(args: string[]): Promise<{ code: number | undefined; urls: string[] }> {
  const log = join(work, 'loads.txt');
  const r = await rollout(args, { ROLLOUT_LOAD_LOG: log, NODE_OPTIONS: `--import ${RECORDER}` });
  const urls = readFileSync(log, 'utf8')
    .split('\n')
    .map((l) => l.split('\t')[0])
    .filter(Boolean);
  return { code: r.exitCode, urls };
}

describe('rollout start-up', () => {
  test('--version prints the package version and exits 0', async () => {
    const r = await rollout(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  test('--help lists every verb and exits 0', async () => {
    const r = await rollout(['--help']);
    expect(r.exitCode).toBe(0);
    for (const v of VERBS) expect(r.stdout).toMatch(new RegExp(`^  ${v.name}\\b`, 'm'));
  });

  test("a verb's --help still shows its options", async () => {
    const r = await rollout(['promote', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/--approve <reason>/);
    expect(r.stdout).toMatch(/--wait-bake/);
  });

  test('a JSON error document carries schemaVersion, kind, ok: false, exitCode and toolVersion', async () => {
    for (const args of [
      ['status', '--env', 'no-such-env', '--json'],
      ['no-such-verb', '--json'],
    ]) {
      const r = await rollout(args);
      expect(r.exitCode).toBe(2);
      expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, kind: 'error', ok: false, exitCode: 2, toolVersion: VERSION });
    }
  });

  test('status --json carries the same envelope', async () => {
    const r = await rollout(['status', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, kind: 'status', ok: true, exitCode: 0, toolVersion: VERSION });
  });

  test.each([[['--help']], [['--version']], [['status']], [['status', '--json']]])(
    'rollout %j loads neither cdktf, the AWS SDK, the emulator nor the provider double',
    async (args) => {
      const { code, urls } = await loaded(args);
      expect(code).toBe(0);
      expect(urls.some((u) => u.includes('/rollout/cli/main.'))).toBe(true); // the recorder did record
      expect(urls.filter((u) => HEAVY.some((re) => re.test(u)))).toEqual([]);
    },
  );

  test('the recorder does see them where a verb needs them: plan --help loads plan and what it applies with, not sandbox', async () => {
    const { urls } = await loaded(['plan', '--help']);
    expect(urls.some((u) => u.includes('/rollout/cli/commands/plan.'))).toBe(true);
    expect(urls.some((u) => u.includes('/rollout/cli/commands/sandbox.'))).toBe(false);
    expect(urls.some((u) => HEAVY.some((re) => re.test(u)))).toBe(true);
  });
});
