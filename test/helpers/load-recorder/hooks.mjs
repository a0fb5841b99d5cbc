// Module customization hooks (https://nodejs.org/api/module.html#customization-hooks) that record
// every resolved URL (tab, the importing module's URL); they run on the loader thread, so they write synchronously to the log.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data?.log;
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (log) appendFileSync(log, `${r.url}\t${context.parentURL ?? ''}\n`);
  return r;
}
