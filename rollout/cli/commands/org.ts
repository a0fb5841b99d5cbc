import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import type { OrgChange } from '../../../model/org-yaml.js';
import { orgImport, type OrgImportResult } from '../../flows/org-import.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

const MARK: Record<OrgChange['kind'], string> = { added: '+', removed: '-', renamed: '~', moved: '>', email: '~' };

function changeLine(c: OrgChange): string {
  const what = `${c.node === 'ou' ? 'OU' : c.node} ${c.id}`;
  switch (c.kind) {
    case 'added':
      return `${what} (${c.name}) added under ${c.parent ?? 'the root'}`;
    case 'removed':
      return `${what} (${c.name}) removed (was under ${c.parent ?? 'the root'})`;
    case 'renamed':
      return `${what} renamed ${c.from} → ${c.to}`;
    case 'moved':
      return `${what} (${c.name}) moved ${c.from} → ${c.to}`;
    case 'email':
      return `${what} (${c.name}) e-mail ${c.from ?? '(none)'} → ${c.to}`;
  }
}

/** The file as a person typed it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function renderOrgImport(r: OrgImportResult): string {
  const file = shown(r.file);
  const n = (k: OrgChange['kind']) => r.changes.filter((c) => c.kind === k).length;
  const head = r.inSync
    ? `organization ${r.organizationId} matches the organization section of ${file}`
    : `organization ${r.organizationId} vs ${file}: ${n('added')} added, ${n('removed')} removed, ${n('renamed')} renamed, ${n('moved')} moved, ${n('email')} e-mail changed`;
  const lines = [head, ...r.changes.map((c) => `  ${MARK[c.kind]} ${changeLine(c)}`)];
  for (const s of r.skipped) lines.push(`  (left out: account ${s.id} (${s.name}) under ${s.parent} is ${s.status})`);
  if (!r.inSync) lines.push(r.written ? `wrote ${file}` : 'nothing written: run with --write to update the file');
  return lines.join('\n');
}

export function register(program: Command, io: Io): void {
  const org = program
    .command('org')
    .description('the organization tree: import the organization section of environment.yaml from Organizations');
  const imp = org
    .command('import')
    .description(
      'read the live organization (roots, OUs, accounts) as the management account and show how it differs from the file; --write updates the file, keeping its comments',
    )
    .option('--write', 'update the organization section of environment.yaml in place (refused, exit 2, if the file would not load)');
  addOptions(imp, ['env', 'sandbox']);
  imp.action(
    action(io, async (o: { write?: boolean }, c: Command) =>
      // No lock: this reads the organization and writes only the environment file.
      withSession(io, c, {}, async ({ session, flags }) => {
        const r = await orgImport(session, { write: Boolean(o.write) });
        emit(io, flags, r, () => renderOrgImport(r));
        return r.exitCode;
      }),
    ),
  );
}
