/**
 * The CLI as a new user and a pipeline meet it: usage errors under --json, verb help with exit
 * codes, environment warnings on stderr, GUARDRAIL_ENV as the default --env, an unreachable
 * --sandbox-endpoint or a missing terraform binary (exit 3, nothing changed), rollback's text.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { envPaths } from '../../rollout/state/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { AS_OF } from '../helpers/sandbox-fixture.js';

/** The fields every JSON error document starts with (rollout/cli/support.ts envelope()). */
const ERROR_ENVELOPE = { schemaVersion: 1, kind: 'error', ok: false, toolVersion: expect.any(String) };

const BIN = resolve('bin/rollout.mjs');
const SANDBOX_DIR = resolve('environments/sandbox');
let home: string;
let prevHome: string | undefined;

beforeEach(() => {
  prevHome = process.env.ROLLOUT_HOME;
  home = mkdtempSync(join(tmpdir(), 'rollout-ux-'));
  process.env.ROLLOUT_HOME = home;
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  if (prevHome === undefined) delete process.env.ROLLOUT_HOME;
  else process.env.ROLLOUT_HOME = prevHome;
});

function spawnCli(args: string[]) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { ROLLOUT_HOME: home, NODE_NO_WARNINGS: '1', CI: 'true', GUARDRAIL_ENV: '' },
    timeout: 60_000,
  });
}

/** state.json and ledger.jsonl of the sandbox environment, or null when absent. */
function recorded(): { state: string | null; ledger: string | null } {
  const p = envPaths('sandbox', home);
  return {
    state: existsSync(p.state) ? readFileSync(p.state, 'utf8') : null,
    ledger: existsSync(p.ledger) ? readFileSync(p.ledger, 'utf8') : null,
  };
}

describe('usage errors and help, as spawned by a pipeline', () => {
  test.each([
    [['--json', 'promote', 'pilot', '--bogus'], /unknown option '--bogus'/, 'promote'],
    [['promote', '--json'], /missing required argument 'phase'/, 'promote'],
    [['exceptions', 'list', '--as-off', AS_OF, '--json'], /unknown option '--as-off'/, 'exceptions list'],
  ])(
    '%j: exit 2, one JSON error document on stdout, a one-line hint instead of the whole help',
    async (args, message, verb) => {
      const r = await spawnCli(args);
      expect(r.exitCode).toBe(2);
      const doc = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; error: { type: string; message: string } };
      expect(doc).toEqual({
        ...ERROR_ENVELOPE,
        exitCode: 2,
        error: { type: 'UsageError', message: expect.stringMatching(message) },
      });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(`(run "rollout ${verb} --help" for usage)`);
      expect(r.stderr).not.toMatch(/^Options:/m);
      expect(readdirSync(home)).toEqual([]);
    },
    60_000,
  );

  test('a verb group without its verb (`rollout exceptions` in a CI step) is a usage error, not a silent pass', async () => {
    const [bare, json] = await Promise.all([spawnCli(['exceptions']), spawnCli(['--json', 'exceptions'])]);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toMatch(/Usage: rollout exceptions/);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      ...ERROR_ENVELOPE,
      exitCode: 2,
      error: { type: 'UsageError', message: 'missing command: list | check' },
    });
    const help = await spawnCli(['exceptions', 'help', 'check']);
    expect(help.exitCode).toBe(0);
  }, 60_000);

  test('without --json a usage error prints nothing on stdout', async () => {
    const r = await spawnCli(['promote', 'pilot', '--bogus']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  }, 60_000);

  test("verb help lists --json and the verb's exit codes; the program help lists the environment variables", async () => {
    const [verify, top] = await Promise.all([spawnCli(['verify', '--help']), spawnCli(['--help'])]);
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout).toMatch(/--json\s+print one JSON document on stdout/);
    expect(verify.stdout).toMatch(/Exit codes: 0 gates passed, 1 a check failed/);
    expect(verify.stdout).toMatch(/--env <name-or-path>[\s\S]*default: \$GUARDRAIL_ENV, else sandbox/);
    expect(top.stdout).toMatch(/Exit codes: 0 success/);
    for (const v of ['ROLLOUT_HOME', 'GUARDRAIL_ENV', 'ROLLOUT_TERRAFORM_BIN', 'ROLLOUT_ACTOR']) expect(top.stdout).toContain(v);
  }, 60_000);
});

describe('environment warnings', () => {
  let dir: string;
  beforeAll(() => {
    // The sandbox environment with an exception written in the preview schema (inputTags).
    dir = mkdtempSync(join(tmpdir(), 'legacy-env-'));
    const yaml = readFileSync(join(SANDBOX_DIR, 'environment.yaml'), 'utf8')
      .replace(/definition: guardrails\//g, `definition: ${SANDBOX_DIR}/guardrails/`)
      .replace(/contentFile: smoke\//g, `contentFile: ${SANDBOX_DIR}/smoke/`)
      .replace(/^(\s+)system: selective$/m, '$1inputTags: honor')
      .concat(`\nfileRoots: [${JSON.stringify(SANDBOX_DIR)}]\n`);
    expect(yaml).toMatch(/inputTags: honor/);
    writeFileSync(join(dir, 'environment.yaml'), yaml);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([[['exceptions', 'list']], [['status']], [['preview', '--phase', 'pilot']]])(
    '%j prints the legacy inputTags warning once on stderr, naming the file; --json stdout stays one document',
    async (args) => {
      const r = await runCli(['--json', ...args, '--env', dir]);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.out)).not.toThrow();
      const warnings = r.err.split('\n').filter((l) => l.startsWith('warning: '));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(join(dir, 'environment.yaml'));
      expect(warnings[0]).toMatch(/inputTags: "honor" is the deprecated preview key; read as system: selective, messages: selective/);
    },
    60_000,
  );

  test('an environment without warnings prints none', async () => {
    const r = await runCli(['exceptions', 'list', '--as-of', AS_OF]);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/warning:/);
  });
});

describe('GUARDRAIL_ENV selects the environment of every verb', () => {
  test('the default --env comes from GUARDRAIL_ENV; --env still wins', async () => {
    const prev = process.env.GUARDRAIL_ENV;
    process.env.GUARDRAIL_ENV = 'example-prod';
    try {
      const byVar = await runCli(['--json', 'exceptions', 'list', '--as-of', AS_OF]);
      expect(JSON.parse(byVar.out)).toMatchObject({ kind: 'exceptions', env: 'example-prod' });
      const byFlag = await runCli(['--json', 'exceptions', 'list', '--as-of', AS_OF, '--env', 'sandbox']);
      expect(JSON.parse(byFlag.out)).toMatchObject({ kind: 'exceptions', env: 'sandbox' });
    } finally {
      if (prev === undefined) delete process.env.GUARDRAIL_ENV;
      else process.env.GUARDRAIL_ENV = prev;
    }
  });
});

describe('tooling failures exit 3 before anything is recorded', () => {
  const UNREACHABLE = 'http://127.0.0.1:1';

  test('an unreachable --sandbox-endpoint: promote, plan, verify and rollback exit 3 and change nothing', async () => {
    const first = await runCli(['--json', 'promote', 'pilot', '--sandbox-endpoint', UNREACHABLE, '--as-of', AS_OF, '--yes']);
    expect(first.code).toBe(3);
    const doc = JSON.parse(first.out) as { error: { type: string; message: string } };
    expect(doc.error.type).toBe('ToolingError');
    expect(doc.error.message).toMatch(/the sandbox at http:\/\/127\.0\.0\.1:1 did not answer .*ECONNREFUSED.*`rollout sandbox`/);
    expect(recorded()).toEqual({ state: null, ledger: null });
    expect(existsSync(envPaths('sandbox', home).sandboxEngine)).toBe(false);

    // With pilot promoted in-process, the same endpoint must not turn verify into a gate failure (1).
    expect((await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes'])).code).toBe(0);
    const before = recorded();
    for (const verb of ['plan', 'verify', 'rollback']) {
      const r = await runCli([verb, 'pilot', '--sandbox-endpoint', UNREACHABLE, '--as-of', AS_OF]);
      expect([verb, r.code]).toEqual([verb, 3]);
      expect(r.err).toMatch(/did not answer/);
    }
    expect(recorded()).toEqual(before);
  }, 120_000);

  test('--engine terraform without a terraform binary: exit 3 naming the fix; a relative --terraform-bin is resolved from the current directory', async () => {
    const prevPath = process.env.PATH;
    process.env.PATH = join(home, 'empty-bin');
    try {
      const onPath = await runCli(['plan', 'pilot', '--engine', 'terraform', '--as-of', AS_OF]);
      expect(onPath.code).toBe(3);
      expect(onPath.err).toMatch(/terraform not found on PATH: install Terraform \(or OpenTofu\) or pass --terraform-bin <path>/);
    } finally {
      process.env.PATH = prevPath;
    }
    const byPath = await runCli([
      '--json',
      'plan',
      'pilot',
      '--engine',
      'terraform',
      '--terraform-bin',
      './no/such/terraform',
      '--as-of',
      AS_OF,
    ]);
    expect(byPath.code).toBe(3);
    expect(JSON.parse(byPath.out).error.message).toBe(
      `${resolve('no/such/terraform')} does not exist: pass --terraform-bin (or set ROLLOUT_TERRAFORM_BIN) to the path of a terraform or tofu binary`,
    );
    expect(recorded().state).toBeNull();
  }, 60_000);
});

test('rollback text: the re-verification line and a repeated rollback each say things once', async () => {
  expect((await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes'])).code).toBe(0);
  const first = await runCli(['rollback', 'pilot', '--as-of', AS_OF]);
  expect(first.code).toBe(0);
  const reverify = first.out.split('\n').filter((l) => l.includes('re-verify'));
  // Propagation first (the rolled-back policies must have taken effect), then the effective policy: one line each.
  expect(reverify).toEqual([
    expect.stringMatching(/^ {2}re-verify propagation: passed — \d+ passed/),
    expect.stringMatching(/^ {2}re-verify effective-policy: passed — \d+ passed/),
  ]);
  const again = await runCli(['rollback', 'pilot', '--as-of', AS_OF]);
  expect(again.code).toBe(0);
  expect(again.out.match(/already rolled back/g)).toHaveLength(1);
}, 120_000);

test('plain text: stdout carries only the result (`plan pilot > plan.md`, `status > s.txt`); progress goes to stderr', async () => {
  const md = join(home, 'report.md');
  const plan = await spawnCli(['plan', 'pilot', '--as-of', AS_OF, '--out', md]);
  expect(plan.exitCode).toBe(0);
  // Redirected stdout is exactly the report --out wrote, progress lines and all else on stderr.
  expect(plan.stdout).toBe(readFileSync(md, 'utf8').trimEnd());
  expect(plan.stdout).toMatch(/^<!-- guardrail-rollout plan env=sandbox phase=pilot -->\n## Guardrail rollout plan: /);
  expect(plan.stderr).toMatch(/^▶ connect to sandbox$/m);
  expect(plan.stderr).toMatch(/^✔ connect to sandbox \(\d+\.\ds\)$/m);

  const promote = await spawnCli(['promote', 'pilot', '--as-of', AS_OF, '--yes']);
  expect(promote.exitCode).toBe(0);
  expect(promote.stdout).not.toMatch(/[▶✔✖]/);
  expect(promote.stderr).toMatch(/^ {2}✔ gate /m);

  const status = await spawnCli(['status']);
  expect(status.exitCode).toBe(0);
  expect(status.stdout).toMatch(/^environment sandbox · current release /);
  expect(status.stdout).not.toMatch(/▶/);
}, 120_000);
