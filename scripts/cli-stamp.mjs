// The freshness check of the compiled CLI, shared by scripts/build-cli.mjs (writes the stamp) and
// bin/rollout.mjs (reads it). dist/ is fresh when no source file is newer than the stamp, whose
// mtime is the moment the last build started; an edited, unbuilt source makes bin/ run the sources
// through tsx instead, so a developer never runs stale code. Costs a stat per source file (~250).
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders compiled to dist/ (the source layers of docs/architecture.md and the two beside them). */
export const SOURCE_DIRS = ['core', 'guardrail', 'model', 'policy', 'modules', 'stacks', 'rollout', 'sandbox', 'provider-double'];
export const STAMP = join(ROOT, 'dist', '.cli-build');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** True when dist/ holds a build at least as new as every source file. */
export function distIsFresh() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  return SOURCE_DIRS.every((d) => newest(join(ROOT, d)) <= built);
}

export function writeStamp(startedMs) {
  writeFileSync(STAMP, 'the mtime of this file is when the last CLI build started (scripts/build-cli.mjs)\n');
  const at = new Date(startedMs);
  utimesSync(STAMP, at, at);
}
