import { Command } from 'commander';
import { register } from '../../rollout/commands/sandbox.ts';
import { processIo, configureExit } from '../../rollout/cli-support.ts';
const p = new Command('rollout'); configureExit(p); register(p, processIo); for (const c of p.commands) configureExit(c);
await p.parseAsync(process.argv);
