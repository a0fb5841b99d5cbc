/**
 * The provider double ready for Terraform: its bundle (built by `npm ci` through `prepare`, rebuilt
 * here when missing or older than a source file, so an edited double never runs stale) installed
 * in a filesystem mirror with a CLI config. Part of the provider double, a TEST DOUBLE of
 * hashicorp/aws for the local emulator: never used against AWS.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/project-root.js';
import { installProviderDouble } from './install.js';

// The sources' folder, also when this file runs compiled from dist/provider-double/.
const HERE = join(PROJECT_ROOT, 'provider-double');
const BUNDLE = join(PROJECT_ROOT, 'dist', 'provider-double', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : /\.(ts|proto)$/.test(e.name) ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

/** The bundle's path, built first when it is missing or stale. */
export async function providerDoubleBundle(): Promise<string> {
  // Only a source checkout has the .ts sources beside the bundle; an installed package uses what it ships.
  const stale = !existsSync(BUNDLE) || (existsSync(join(HERE, 'main.ts')) && newestSource(HERE) > statSync(BUNDLE).mtimeMs);
  if (stale) {
    const { buildProviderDouble } = await import('./build.js');
    await buildProviderDouble();
  }
  return BUNDLE;
}

/**
 * Installs the double under `dir` as hashicorp/aws `version` and returns the environment
 * Terraform needs to find it (TF_CLI_CONFIG_FILE).
 */
export async function readyProviderDouble(dir: string, version: string): Promise<Record<string, string>> {
  const bundle = await providerDoubleBundle();
  const { env } = await installProviderDouble({ dir, bundle, version });
  return env;
}
