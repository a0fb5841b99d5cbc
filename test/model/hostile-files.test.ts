/**
 * Hostile environment files (issue 10, item 9): alias bombs, definitions and smoke files outside
 * the environment's directories, and definition code that must not run for read-only verbs.
 * Through the real CLI entry in-process where a verb exists (`rollout exceptions list`).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { InputError } from '../../core/errors.js';
import { loadEnvironment, YAML_MAX_ALIAS_COUNT } from '../../model/load.js';
import { FIXTURES_DIR, SANDBOX_DIR, sandboxDoc } from '../helpers/environment.js';
import { runCli } from '../helpers/run-cli.js';

const AS_OF = '2026-11-25';

/** A module that leaves a marker file behind when imported (stands for any code a definition runs). */
function evilModule(dir: string): { module: string; marker: string } {
  const marker = join(dir, 'definition-ran.txt');
  const module = join(dir, 'evil.mjs');
  writeFileSync(module, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default {};\n`);
  return { module, marker };
}

describe('hostile environment files', () => {
  let work: string;
  let envDir: string;
  let outside: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'hostile-env-'));
    envDir = join(work, 'env');
    outside = join(work, 'elsewhere');
    mkdirSync(join(envDir, 'guardrails'), { recursive: true });
    mkdirSync(outside);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** The sandbox, written to envDir; fileRoots lists the sandbox directory unless `roots` says otherwise. */
  function writeEnvironment(mutate: (doc: Document) => void, roots: string[] = [SANDBOX_DIR]): string {
    const doc = sandboxDoc();
    doc.set('fileRoots', roots);
    mutate(doc);
    const file = join(envDir, 'environment.yaml');
    writeFileSync(file, doc.toString());
    return file;
  }

  async function cliError(args: string[]) {
    const r = await runCli(['--json', ...args]);
    return {
      code: r.code,
      doc: JSON.parse(r.out) as { ok: boolean; error: { type: string; file?: string; path?: string; message: string } },
    };
  }

  test('a YAML alias bomb exits 2 naming the file', async () => {
    const n = 'abcdefghi';
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < n.length; i++)
      lines.push(
        `${n[i]}: &${n[i]} [${Array(9)
          .fill(`*${n[i - 1]}`)
          .join(', ')}]`,
      );
    const file = join(envDir, 'environment.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { code, doc } = await cliError(['exceptions', 'list', '--env', envDir]);
    expect(code).toBe(2);
    expect(doc.error).toMatchObject({ type: 'InputError', file });
    expect(doc.error.message).toMatch(new RegExp(`aliases \\(\\*name\\) expand to at most ${YAML_MAX_ALIAS_COUNT} nodes`));
    await expect(loadEnvironment(file)).rejects.toBeInstanceOf(InputError);
  });

  test('read-only verbs do not run definition code; verbs that need a definition do', async () => {
    const { module, marker } = evilModule(join(envDir, 'guardrails'));
    const file = writeEnvironment((d) => {
      d.setIn(['releases', 0, 'definition'], 'guardrails/evil.mjs');
      d.deleteIn(['releases', 0, 'sha256']);
    });
    for (const verb of [
      ['exceptions', 'list'],
      ['exceptions', 'check'],
    ]) {
      const r = await runCli([...verb, '--env', envDir, '--as-of', AS_OF]);
      expect(r.err).not.toMatch(/error:/);
      expect([0, 1]).toContain(r.code); // check: 1 = an expired exception, the verb's own answer
    }
    expect(existsSync(marker)).toBe(false);
    const skipped = await loadEnvironment(file, { definitions: 'skip' });
    expect(skipped.releases[0]).toEqual({ name: expect.any(String), definitionPath: module, description: expect.any(String) });
    expect(existsSync(marker)).toBe(false);
    // The default load imports it (and here rejects what it exports): definitions are code.
    await expect(loadEnvironment(file)).rejects.toBeInstanceOf(InputError);
    expect(existsSync(marker)).toBe(true);
  });

  test.each([
    ['an absolute path outside', (o: string) => join(o, 'evil.mjs')],
    ['a relative path climbing out', () => '../elsewhere/evil.mjs'],
  ])('a definition at %s exits 2 naming the file and the path, and never runs', async (_, where) => {
    const { marker } = evilModule(outside);
    const file = writeEnvironment((d) => d.setIn(['releases', 1, 'definition'], where(outside)));
    for (const verb of [['exceptions', 'list']]) {
      const { code, doc } = await cliError([...verb, '--env', envDir, '--as-of', AS_OF]);
      expect(code).toBe(2);
      expect(doc.error).toMatchObject({ type: 'InputError', file, path: 'releases[1].definition' });
      expect(doc.error.message).toMatch(
        /expected a guardrail definition file inside the environment directory .* is outside it; list its directory under fileRoots/,
      );
    }
    const err = await loadEnvironment(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe('releases[1].definition');
    expect(existsSync(marker)).toBe(false);
  });

  test('a symbolic link inside the environment directory pointing outside is refused', async () => {
    const { marker } = evilModule(outside);
    symlinkSync(join(outside, 'evil.mjs'), join(envDir, 'guardrails', 'linked.mjs'));
    const file = writeEnvironment((d) => d.setIn(['releases', 0, 'definition'], 'guardrails/linked.mjs'));
    const err = (await loadEnvironment(file).catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.file).toBe(file);
    expect(err.path).toBe('releases[0].definition');
    expect(err.expected).toMatch(/\(a link to .*evil\.mjs\) is outside it/);
    expect(existsSync(marker)).toBe(false);
  });

  test('a smoke contentFile outside (e.g. a secret) exits 2 naming the file and the path; nothing is read', async () => {
    const secret = join(outside, 'id_rsa');
    writeFileSync(secret, 'PRIVATE KEY');
    const file = writeEnvironment((d) => d.setIn(['smokeSuites', 'must-pass', 1, 'contentFile'], secret));
    const { code, doc } = await cliError(['exceptions', 'list', '--env', envDir, '--as-of', AS_OF]);
    expect(code).toBe(2);
    expect(doc.error).toMatchObject({ type: 'InputError', file, path: 'smokeSuites.must-pass[1].contentFile' });
    expect(doc.error.message).toMatch(/expected a smoke content file inside the environment directory/);
    expect(doc.error.message).not.toContain('PRIVATE KEY');
  });

  test('fileRoots allows a listed directory; an unlisted one is refused; a root that is not a directory is an error', async () => {
    writeFileSync(join(outside, 'prompt.txt'), 'Summarise unit testing in three bullets.');
    const allowed = writeEnvironment(
      (d) => d.setIn(['smokeSuites', 'must-pass', 1, 'contentFile'], '../elsewhere/prompt.txt'),
      [SANDBOX_DIR, '../elsewhere'],
    );
    const env = await loadEnvironment(allowed, { definitions: 'skip' });
    expect(env.phases.pilot.smoke.some((c) => c.content.startsWith('Summarise unit testing'))).toBe(true);

    const refused = writeEnvironment(
      (d) => d.setIn(['smokeSuites', 'must-pass', 1, 'contentFile'], '../elsewhere/prompt.txt'),
      [SANDBOX_DIR, FIXTURES_DIR],
    );
    const err = (await loadEnvironment(refused, { definitions: 'skip' }).catch((e: unknown) => e)) as InputError;
    expect(err).toBeInstanceOf(InputError);
    expect(err.path).toBe('smokeSuites.must-pass[1].contentFile');
    expect(err.expected).toContain(`or the fileRoots ${SANDBOX_DIR}, ${FIXTURES_DIR}`);

    const badRoot = writeEnvironment(() => {}, [SANDBOX_DIR, join(outside, 'nope')]);
    const rootErr = (await loadEnvironment(badRoot).catch((e: unknown) => e)) as InputError;
    expect(rootErr.path).toBe('fileRoots[1]');
    expect(rootErr.expected).toMatch(/expected a directory .* is not one \(line \d+\)/);
  });

  test('the shipped environments keep loading (everything they reference is inside their directory)', async () => {
    expect((await loadEnvironment('environments/sandbox')).releases).toHaveLength(2);
    expect((await loadEnvironment('environments/example-prod', { definitions: 'skip' })).releases.length).toBeGreaterThan(0);
  });
});
