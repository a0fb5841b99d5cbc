#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through `prepare`, or `npm run build`) on plain
// Node. When dist/ is missing or older than a source file, runs the TypeScript sources through tsx
// instead (slower start, ~1.5 s), so an edit without a rebuild still runs current code.
// ROLLOUT_FROM_SOURCE=1 forces the sources (bench/startup.bench.ts compares the two).
import { distIsFresh } from '../scripts/cli-stamp.mjs';

let main;
if (!process.env.ROLLOUT_FROM_SOURCE && distIsFresh()) {
  ({ main } = await import('../dist/rollout/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../rollout/cli/main.ts'));
}
await main(process.argv);
