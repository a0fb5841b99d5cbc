/** The guardrail-rollout version (package.json) that ledger entries and lock holders record. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// core/, not model/load.js: `rollout --version` must not load the environment loader (yaml, zod).
import { PROJECT_ROOT } from '../../core/project-root.js';

let version: string | undefined;

export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
