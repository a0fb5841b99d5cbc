/** The guardrail-rollout version (package.json) that ledger entries and lock holders record. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../model/load.js';

let version: string | undefined;

export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
