/**
 * The project root (the directory holding package.json, environments/ and the sources), found from
 * this file's own location: `<root>/core/` when run from source (tsx, ts-jest), `<root>/dist/core/`
 * when run from the compiled CLI (scripts/build.mjs) — so file lookups relative to the sources
 * work from either.
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const parent = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const PROJECT_ROOT = basename(parent) === 'dist' ? dirname(parent) : parent;

/** The folders scripts/build-cli.mjs compiles to dist/ (kept equal to its SOURCE_DIRS by test/architecture/build.test.ts). */
export const COMPILED_DIRS = ['core', 'guardrail', 'model', 'policy', 'modules', 'stacks', 'rollout', 'sandbox', 'provider-double'];
