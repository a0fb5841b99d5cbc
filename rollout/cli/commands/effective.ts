/**
 * `rollout effective --org <file> [--json]`: the effective BEDROCK_POLICY of every account of an
 * organization snapshot, as DescribeEffectivePolicy would show it. Thin over policy/effective.ts.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { InputError } from '../../../core/errors.js';
import { effectivePolicies, enforcementByRegion, parseOrgSnapshot, type EffectiveResult } from '../../../policy/index.js';
import { renderTable } from '../views/preview.js';

export async function readSnapshotFile(file: string) {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot read the organization snapshot (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, `not valid JSON (${(err as Error).message})`);
  }
  return parseOrgSnapshot(raw, file);
}

export function effectiveTable(results: Map<string, EffectiveResult>): string {
  const rows: string[][] = [];
  for (const [account, r] of results) {
    if (!r.policy) {
      rows.push([account, '-', '(no BEDROCK_POLICY on its path)', '', '', '', '', '']);
      continue;
    }
    const regions = enforcementByRegion(r.policy);
    if (regions.length === 0) rows.push([account, '-', '(effective policy has no guardrail configuration)', '', '', '', '', '']);
    for (const e of regions) {
      rows.push([
        account,
        e.region,
        e.identifier ?? '(missing identifier)',
        e.system,
        e.messages,
        e.includedModels.join(','),
        e.excludedModels.join(',') || '-',
        [...new Set(r.provenance.filter((p) => p.path.includes(`.${e.region}.`)).map((p) => p.policyId))].join(','),
      ]);
    }
  }
  return renderTable(['account', 'region', 'identifier', 'system', 'messages', 'included', 'excluded', 'set by'], rows);
}

export function register(program: Command, io: Io): void {
  program
    .command('effective')
    .description('compute the effective BEDROCK_POLICY of every account of an organization snapshot (as DescribeEffectivePolicy shows it)')
    .requiredOption(
      '--org <file>',
      'organization snapshot: {"root","ous":[{id,parent}],"accounts":[{id,parent}],"policies":[{id,content,targets}]}',
    )
    .option('--json', 'print {"<accountId>": <effective policy or null>}')
    .action(
      action(io, async (opts: { org: string; json?: boolean }, cmd: Command) => {
        const json = Boolean(opts.json ?? cmd.optsWithGlobals().json);
        const snapshot = await readSnapshotFile(opts.org);
        const results = effectivePolicies(snapshot);
        const out: Record<string, unknown> = {};
        for (const [account, r] of results) out[account] = r.policy;
        emit(io, { json }, out, () => effectiveTable(results));
        return 0;
      }),
    );
}
