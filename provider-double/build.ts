/**
 * Bundles a provider double entry with esbuild into one ESM file (AWS SDK included, so each of the
 * many short-lived provider processes starts fast) and copies the .proto files next to it, where
 * proto.ts looks for them. Part of the provider double, a TEST DOUBLE of hashicorp/aws for the
 * local emulator (never used against AWS).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../core/project-root.js';
import { PROTO_FILES } from './proto.js';

// The sources' folder, also when this file runs compiled from dist/provider-double/.
const HERE = join(PROJECT_ROOT, 'provider-double');
export const REPO_ROOT = PROJECT_ROOT;

export interface BuildOptions {
  /** Default provider-double/main.ts. */
  readonly entry?: string;
  /** Default dist/provider-double. */
  readonly outDir?: string;
}

/** Builds `<outDir>/main.js` and `<outDir>/proto/*.proto`; returns the bundle's absolute path. */
export async function buildProviderDouble(opts: BuildOptions = {}): Promise<{ bundle: string }> {
  const entry = resolve(opts.entry ?? join(HERE, 'main.ts'));
  const outDir = resolve(opts.outDir ?? join(REPO_ROOT, 'dist/provider-double'));
  const bundle = join(outDir, 'main.js');
  mkdirSync(join(outDir, 'proto'), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    // CommonJS dependencies (grpc-js, protobufjs) call require() for node built-ins, which an ESM bundle lacks.
    banner: { js: "import { createRequire as __pdCreateRequire } from 'node:module'; const require = __pdCreateRequire(import.meta.url);" },
  });
  for (const f of PROTO_FILES) cpSync(join(HERE, 'proto', f), join(outDir, 'proto', f));
  return { bundle };
}
