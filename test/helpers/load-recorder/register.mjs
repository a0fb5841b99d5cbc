// `node --import ./test/helpers/load-recorder/register.mjs …`: appends the URL of every module the
// process resolves (ESM imports and, through the same hook, require() of ESM-loaded CommonJS) to
// the file named by $ROLLOUT_LOAD_LOG, one a line. Used to prove which packages a verb loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, { data: { log: process.env.ROLLOUT_LOAD_LOG } });
