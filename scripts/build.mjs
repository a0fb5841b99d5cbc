#!/usr/bin/env node
// `npm run build`, also run by `prepare` after `npm ci`: the compiled CLI (dist/, build-cli.mjs)
// and the provider double bundle (dist/provider-double/main.js, build-provider-double.mjs). The CLI
// first: the double's bundle lands in the folder the CLI build shares with it, and is not touched by it.
await import('./build-cli.mjs');
await import('./build-provider-double.mjs');
