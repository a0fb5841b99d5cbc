#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so there is no build step between edit and run.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../rollout/cli/main.ts');
await main(process.argv);
