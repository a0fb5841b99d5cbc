#!/usr/bin/env node
// Compiles the CLI's TypeScript to dist/ (one .js per .ts, same folders), so `rollout` starts on
// plain Node instead of loading tsx and transpiling ~250 files at every start. Transpile only
// (esbuild, bundle: false): imports already name the .js files, types are checked by `tsc --noEmit`.
// bin/rollout.mjs falls back to tsx when dist/ is missing or older than a source (see cli-stamp.mjs).
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_DIRS, writeStamp } from './cli-stamp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// dist/provider-double/main.js is the bundled double (build-provider-double.mjs): not overwritten.
const SKIP = new Set(['provider-double/main.ts']);

function tsFiles(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !SKIP.has(rel) ? [rel] : [];
  });
}

const started = Date.now();
const entryPoints = SOURCE_DIRS.flatMap(tsFiles);
// Output of deleted sources goes; dist/provider-double/ also holds the bundle and its protos, so it stays.
for (const d of SOURCE_DIRS) if (d !== 'provider-double') rmSync(join(ROOT, 'dist', d), { recursive: true, force: true });
await build({
  entryPoints: entryPoints.map((f) => join(ROOT, f)),
  outdir: join(ROOT, 'dist'),
  outbase: ROOT,
  bundle: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
writeStamp(started);
console.log(
  `CLI built: ${entryPoints.length} files → ${relative(process.cwd(), join(ROOT, 'dist')) || 'dist'}/ (${Date.now() - started} ms)`,
);
