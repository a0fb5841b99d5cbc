/**
 * `npm run bench [-- <name> …]` runs every bench/<name>.bench.ts (or only the named ones)
 * in sequence and prints their blocks; `--json <file>` also writes all numbers as JSON.
 * Each benchmark module exports `run(): Promise<Record<string, unknown>>`.
 */
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const wanted = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));

const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const selected = wanted.length ? all.filter((n) => wanted.includes(n)) : all;
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}

console.log(
  `guardrail-rollout benchmarks — node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
const results: Record<string, unknown> = {};
for (const name of selected) {
  console.log(`\n== ${name} ==`);
  const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { run: () => Promise<Record<string, unknown>> };
  results[name] = await mod.run();
}
if (jsonFile) await writeFile(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
