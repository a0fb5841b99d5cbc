/**
 * Module hooks (https://nodejs.org/api/module.html#customization-hooks) for the compiled CLI only
 * (dist/, plain Node), registered by load.ts when it first imports a .ts guardrail definition:
 * - a definition's relative imports of the project's sources (`../../../guardrail/index.js`)
 *   resolve to their compiled dist/ file, so the definition builds the very GuardrailDefinition
 *   class the CLI checks with `instanceof` and hashes (one module instance, as from source);
 * - other .ts files (the definition itself, helpers beside it) are transpiled with esbuild.
 * From source (tsx, ts-jest) none of this is registered: their loaders do the same job.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

interface Data {
  /** file URL of the project root, with a trailing slash. */
  root: string;
  /** The folders compiled to dist/. */
  sourceDirs: string[];
}

let data: Data = { root: '', sourceDirs: [] };

export function initialize(d: Data): void {
  data = d;
}

type Next<C, R> = (specifier: string, context: C) => Promise<R>;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<{ parentURL?: string }, { url: string }>,
): Promise<{ url: string; shortCircuit?: boolean }> {
  const parent = context.parentURL;
  if (!parent?.startsWith(data.root) || parent.startsWith(`${data.root}dist/`) || !/^\.{1,2}\//.test(specifier)) {
    return next(specifier, context);
  }
  const url = new URL(specifier, parent).href;
  const rel = url.slice(data.root.length);
  if (data.sourceDirs.includes(rel.split('/')[0])) {
    const compiled = `${data.root}dist/${rel.replace(/\.[cm]?[jt]s$/, '')}.js`;
    if (existsSync(fileURLToPath(compiled))) return { url: compiled, shortCircuit: true };
  }
  // `./shared.js` beside a definition may be the TypeScript file shared.ts.
  const ts = url.replace(/\.js$/, '.ts');
  if (ts !== url && !existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(ts))) return { url: ts, shortCircuit: true };
  return next(specifier, context);
}

export async function load(
  url: string,
  context: object,
  next: Next<object, { format?: string; source?: unknown }>,
): Promise<{ format?: string; source?: unknown; shortCircuit?: boolean }> {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) return next(url, context);
  const file = fileURLToPath(url);
  const out = await transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    sourcemap: 'inline',
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}

/** The hooks' own URL and their data, for `module.register`. */
export function hooksRegistration(root: string, sourceDirs: string[]): { url: string; data: Data } {
  return { url: import.meta.url, data: { root: pathToFileURL(root).href.replace(/\/?$/, '/'), sourceDirs } };
}
