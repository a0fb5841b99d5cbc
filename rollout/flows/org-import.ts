/**
 * `rollout org import`: the live organization (as the management account sees it) against the
 * `organization:` section of environment.yaml, and with `write` the section updated in place.
 *
 * Reading: DescribeOrganization (id, management account), ListRoots, then breadth-first from the
 * root ListOrganizationalUnitsForParent and ListAccountsForParent, every list through
 * core/paginate.ts. The section logic (diff, merge, text edits, references) is pure, in
 * model/org-yaml.ts.
 *
 * Writing refuses (exit 2, nothing written) when the new section would leave the file naming an
 * OU or account that is gone (pilot, exceptions, probe roles), or when the result would not load
 * for any other reason: the new text is loaded (model/load.ts) from a file beside the original
 * before it replaces it, so relative paths resolve as they will.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { InputError, ToolingError, UsageError } from '../../core/errors.js';
import { allItems } from '../../core/paginate.js';
import { loadEnvironment } from '../../model/load.js';
import {
  brokenReferences,
  diffOrganization,
  type LiveOrganization,
  mergeOrganization,
  type OrgChange,
  organizationSectionOf,
  rewriteOrganizationSection,
} from '../../model/org-yaml.js';
import type { Account, Environment, Organization, OrgUnit } from '../../model/types.js';
import type { Session } from './session.js';

export const ORG_IMPORT_SCHEMA_VERSION = 1;

export interface ReadOptions {
  /** MaxResults of every list call (Organizations allows at most 20); absent: the service's default. */
  pageSize?: number;
}

/** An account the organization lists but that cannot run workloads (suspended or closing): left out of the section. */
export interface SkippedAccount {
  id: string;
  name: string;
  parent: string;
  status: string;
}

export interface LiveRead {
  organization: LiveOrganization;
  skipped: SkippedAccount[];
}

/** Accounts in these states cannot be signed into: no gate could ever reach them. */
const INACTIVE = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

/** The whole organization tree, read with the management account's Organizations client. */
export async function readOrganization(client: OrganizationsClient, opts: ReadOptions = {}): Promise<LiveRead> {
  const MaxResults = opts.pageSize;
  const described = (await client.send(new DescribeOrganizationCommand({}))).Organization;
  if (!described?.Id || !described.MasterAccountId) throw new ToolingError('DescribeOrganization returned no organization id');
  const roots = await allItems(
    (NextToken) => client.send(new ListRootsCommand({ NextToken, MaxResults })),
    (p) => p.NextToken,
    (p) => p.Roots,
  );
  if (roots.length !== 1 || !roots[0]?.Id) throw new ToolingError(`expected one organization root, ListRoots returned ${roots.length}`);
  const root = { id: roots[0].Id, name: roots[0].Name ?? 'Root' };
  const ous: OrgUnit[] = [];
  const accounts: Account[] = [];
  const skipped: SkippedAccount[] = [];
  // Breadth-first, one level at a time: the OUs of a level are listed concurrently (the access
  // layer's rate limit and retries apply per call), parents before their children.
  let level = [root.id];
  while (level.length) {
    const listed = await Promise.all(
      level.map(async (parent) => {
        const [units, members] = await Promise.all([
          allItems(
            (NextToken) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken, MaxResults })),
            (p) => p.NextToken,
            (p) => p.OrganizationalUnits,
          ),
          allItems(
            (NextToken) => client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken, MaxResults })),
            (p) => p.NextToken,
            (p) => p.Accounts,
          ),
        ]);
        return { parent, units, members };
      }),
    );
    level = [];
    for (const { parent, units, members } of listed) {
      for (const u of units) {
        if (!u.Id) continue;
        ous.push({ id: u.Id, name: u.Name ?? u.Id, parent });
        level.push(u.Id);
      }
      for (const a of members) {
        if (!a.Id) continue;
        const status = a.State ?? a.Status;
        if (status && INACTIVE.has(status)) {
          skipped.push({ id: a.Id, name: a.Name ?? a.Id, parent, status });
          continue;
        }
        accounts.push({ id: a.Id, name: a.Name ?? a.Id, parent, ...(a.Email ? { email: a.Email } : {}) });
      }
    }
  }
  return {
    organization: { id: described.Id, managementAccountId: described.MasterAccountId, root, ous, accounts },
    skipped,
  };
}

/** The live organization as the environment's management account reads it (AwsAccess of the session's target). */
export async function readLiveOrganization(s: Session, opts: ReadOptions = {}): Promise<LiveRead> {
  const t = await s.target();
  return readOrganization(t.access.forAccount(t.access.managementAccountId).organizations, opts);
}

/** Refuses a live organization that is not the one the file describes (wrong credentials or environment). */
export function requireSameOrganization(
  env: Pick<Environment, 'organizationId' | 'managementAccountId' | 'name'>,
  live: LiveOrganization,
): void {
  if (live.id !== env.organizationId || live.managementAccountId !== env.managementAccountId) {
    throw new UsageError(
      `the credentials reach organization ${live.id} (management account ${live.managementAccountId}), but environment ${env.name} ` +
        `describes ${env.organizationId} (management account ${env.managementAccountId}): check the credentials or --env`,
    );
  }
}

export interface OrgImportResult {
  schemaVersion: typeof ORG_IMPORT_SCHEMA_VERSION;
  kind: 'org-import';
  env: string;
  file: string;
  organizationId: string;
  ok: true;
  exitCode: 0;
  /** True when the file's section already is the live organization. */
  inSync: boolean;
  changes: OrgChange[];
  /** Accounts the organization lists that cannot run workloads, left out. */
  skipped: SkippedAccount[];
  /** True when --write replaced the file (false without --write, or with nothing to change). */
  written: boolean;
  /** The section as it is (written) or would be after `--write`. */
  organization: Organization;
}

/** `rollout org import [--write]`. */
export async function orgImport(s: Session, opts: ReadOptions & { write?: boolean }): Promise<OrgImportResult> {
  const { organization: live, skipped } = await readLiveOrganization(s, opts);
  requireSameOrganization(s.env, live);
  const file = s.env.sourceFile;
  const text = readFileSync(file, 'utf8');
  const before = organizationSectionOf(text);
  const changes = diffOrganization(before, live);
  let section = changes.length ? mergeOrganization(before, live) : before;
  let written = false;
  if (opts.write && changes.length) {
    const broken = brokenReferences(text, before, section);
    if (broken.length) {
      throw new UsageError(
        `org import --write would make ${file} invalid, nothing was written: ${broken.join('; ')}. ` +
          'Change those entries first (or move the account back), then import again',
      );
    }
    let next: ReturnType<typeof rewriteOrganizationSection>;
    try {
      next = rewriteOrganizationSection(text, live);
    } catch (err) {
      if (err instanceof InputError && !err.file) throw new InputError(file, err.path, err.expected);
      throw err;
    }
    await writeChecked(file, next.text);
    section = next.section;
    written = true;
  }
  return {
    schemaVersion: ORG_IMPORT_SCHEMA_VERSION,
    kind: 'org-import',
    env: s.env.name,
    file,
    organizationId: live.id,
    ok: true,
    exitCode: 0,
    inSync: changes.length === 0,
    changes,
    skipped,
    written,
    organization: section,
  };
}

/** Writes `text` over `file` only if it loads: checked from a sibling file, then renamed over the original. */
async function writeChecked(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.org-import-${process.pid}.tmp`);
  writeFileSync(tmp, text);
  try {
    // Definitions are not imported: only the section changed, and it names none of them.
    await loadEnvironment(tmp, { definitions: 'skip' });
  } catch (err) {
    rmSync(tmp, { force: true });
    if (err instanceof InputError) {
      // The message names the checked copy; the person edits the original.
      throw new UsageError(
        `org import --write would make ${file} invalid, nothing was written: ${err.path ? `at ${err.path}: ` : ''}${err.expected}`,
      );
    }
    throw err;
  }
  renameSync(tmp, file);
}
