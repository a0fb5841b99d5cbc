/**
 * The compiled CLI (scripts/build-cli.mjs → dist/) covers every source folder the CLI imports, and
 * the two lists of those folders — scripts/cli-stamp.mjs (build, freshness) and
 * core/project-root.ts (the compiled definition loader) — agree.
 */
import { readFileSync } from 'node:fs';
import { COMPILED_DIRS } from '../../core/project-root.js';

test('scripts/cli-stamp.mjs compiles the folders core/project-root.ts names, i.e. every layer beside environments/', () => {
  const text = readFileSync('scripts/cli-stamp.mjs', 'utf8');
  const list = /SOURCE_DIRS = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
  expect([...list.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(COMPILED_DIRS);
  const tsconfig = JSON.parse(readFileSync('tsconfig.json', 'utf8')) as { include: string[] };
  const notCompiled = ['environments', 'scripts', 'test', 'bench'];
  expect(tsconfig.include.filter((d) => !notCompiled.includes(d)).sort()).toEqual([...COMPILED_DIRS].sort());
});
