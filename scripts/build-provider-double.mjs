#!/usr/bin/env node
// Builds the provider double bundle (dist/provider-double/main.js + proto/), a TEST DOUBLE of
// hashicorp/aws for the local emulator. Run by `npm run build` and by `prepare` after `npm ci`.
// provider-double/build.ts is TypeScript, so it is loaded through tsx (a dependency).
import { tsImport } from 'tsx/esm/api';

const started = Date.now();
const { buildProviderDouble } = await tsImport('../provider-double/build.ts', import.meta.url);
const { bundle } = await buildProviderDouble();
console.log(`provider double built: ${bundle} (${Date.now() - started} ms)`);
