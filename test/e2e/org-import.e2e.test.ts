/**
 * `rollout org import` and verify's organization checks on the sandbox, in-process, with real SDK
 * calls through the emulator: the shipped section reproduced from the live organization (also
 * one item per page), `--write` a no-op on it, an account and an OU added out of band (through the
 * emulator's Organizations API, as in the console) shown, written, and reported by verify, and a
 * write refused when the new tree would leave the file naming an OU that is gone.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  DeleteOrganizationalUnitCommand,
  MoveAccountCommand,
  OrganizationsClient,
  type ServiceInputTypes,
} from '@aws-sdk/client-organizations';
import { loadEnvironment } from '../../model/load.js';
import { organizationSectionOf } from '../../model/org-yaml.js';
import type { Environment } from '../../model/types.js';
import { clientConfig, startSandbox } from '../../sandbox/index.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { readLiveOrganization } from '../../rollout/flows/org-import.js';
import { Session } from '../../rollout/flows/session.js';
import { envPaths } from '../../rollout/state/paths.js';
import { runVerb, useFreshHome } from '../helpers/cli.js';
import { SANDBOX_DIR, SANDBOX_FILE } from '../helpers/environment.js';
import { runCli } from '../helpers/run-cli.js';
import { AS_OF } from '../helpers/sandbox-fixture.js';

useFreshHome();
let dir: string;
let file: string;
let original: string;

/**
 * A copy of the shipped sandbox file outside the project: its definition and content paths made
 * absolute and `fileRoots` appended, by editing those lines only (the rest of the text, comments
 * and padding included, is the shipped file's).
 */
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'org-import-'));
  file = join(dir, 'environment.yaml');
  original = readFileSync(SANDBOX_FILE, 'utf8')
    .replace(/definition: guardrails\//g, `definition: ${SANDBOX_DIR}/guardrails/`)
    .replace(/contentFile: smoke\//g, `contentFile: ${SANDBOX_DIR}/smoke/`)
    .concat(`fileRoots: [${JSON.stringify(SANDBOX_DIR)}]\n`);
  writeFileSync(file, original);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function orgImport(...extra: string[]) {
  const r = await runCli(['org', 'import', '--env', file, ...extra]);
  return { ...r, doc: extra.includes('--json') ? JSON.parse(r.out) : undefined };
}

/** Changes the organization out of band: the emulator on the state file the CLI's in-process sandbox keeps. */
async function outOfBand(change: (org: OrganizationsClient) => Promise<void>): Promise<void> {
  const env = await loadEnvironment(file);
  const sb = await startSandbox({ env, statePath: envPaths(env.name).sandboxState });
  try {
    await change(new OrganizationsClient(clientConfig(sb, env.managementAccountId, undefined, { maxAttempts: 1 })));
  } finally {
    await sb.close();
  }
}

const PROD = 'ou-sb01-prod0001';
const commentLines = (text: string) => text.split('\n').filter((l) => l.includes('#'));

test('org import reproduces the sandbox organization section; --write is a no-op that keeps the text', async () => {
  const shown = await orgImport('--json');
  expect(shown.code).toBe(0);
  expect(shown.doc).toMatchObject({
    kind: 'org-import',
    ok: true,
    inSync: true,
    changes: [],
    written: false,
    organizationId: 'o-sandbox001',
  });
  expect(shown.doc.organization).toEqual(organizationSectionOf(original));
  expect(shown.doc.organization).toEqual((await loadEnvironment(file, { definitions: 'skip' })).organization);

  const written = await orgImport('--write');
  expect(written.code).toBe(0);
  expect(written.out).toMatch(/matches the organization section/);
  expect(readFileSync(file, 'utf8')).toBe(original);
});

test('every list is read page by page: one item per page gives the same tree', async () => {
  const env = await loadEnvironment(file);
  const s = await Session.open(parseFlags({ env: file, json: true }), { env });
  const calls: { command: string; input: ServiceInputTypes }[] = [];
  try {
    const t = await s.target();
    const clients = t.access.forAccount(t.access.managementAccountId);
    const send = clients.organizations.send.bind(clients.organizations);
    // Record what is asked, then ask it.
    clients.organizations.send = ((cmd: { constructor: { name: string }; input: ServiceInputTypes }) => {
      calls.push({ command: cmd.constructor.name, input: cmd.input });
      return send(cmd as never);
    }) as never;
    const { organization } = await readLiveOrganization(s, { pageSize: 1 });
    expect(organization.root).toEqual(env.organization.root);
    // The same ids and values as the file, whatever the order the service lists them in.
    const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(organization.ous)).toEqual(byId(env.organization.ous));
    expect(byId(organization.accounts)).toEqual(byId(env.organization.accounts));
  } finally {
    await s.close();
  }
  const paged = calls.filter((c) => 'NextToken' in c.input && c.input.NextToken);
  expect(calls.every((c) => c.command === 'DescribeOrganizationCommand' || (c.input as { MaxResults?: number }).MaxResults === 1)).toBe(
    true,
  );
  // Pilot holds three accounts: three pages for it alone, each after the first asked with the token.
  expect(
    paged.filter((c) => c.command === 'ListAccountsForParentCommand' && (c.input as { ParentId?: string }).ParentId === 'ou-sb01-pilot001'),
  ).toHaveLength(2);
  expect(paged.some((c) => c.command === 'ListOrganizationalUnitsForParentCommand')).toBe(true);
});

test('an account and an OU added out of band: shown as added, written by --write (the file loads, comments kept)', async () => {
  await orgImport(); // the in-process sandbox's state file now exists
  let accountId = '';
  let ouId = '';
  await outOfBand(async (org) => {
    accountId = (await org.send(new CreateAccountCommand({ Email: 'aws-fraud@northwind.example', AccountName: 'fraud-detection' })))
      .CreateAccountStatus!.AccountId!;
    await org.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: 'r-sb01', DestinationParentId: PROD }));
    ouId = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: 'ou-sb01-wkld0001', Name: 'Staging' }))).OrganizationalUnit!.Id!;
  });

  const shown = await orgImport('--json');
  expect(shown.code).toBe(0);
  expect(shown.doc.inSync).toBe(false);
  expect(shown.doc.changes).toEqual([
    { kind: 'added', node: 'ou', id: ouId, name: 'Staging', parent: 'ou-sb01-wkld0001' },
    { kind: 'added', node: 'account', id: accountId, name: 'fraud-detection', parent: PROD },
  ]);
  expect(readFileSync(file, 'utf8')).toBe(original);
  const text = await orgImport();
  expect(text.out).toContain(`+ account ${accountId} (fraud-detection) added under ${PROD}`);
  expect(text.out).toContain('nothing written: run with --write');

  const written = await orgImport('--write');
  expect(written.code).toBe(0);
  expect(written.out).toMatch(/: 2 added, 0 removed, 0 renamed, 0 moved, 0 e-mail changed\n[\s\S]*\nwrote /);
  const after = readFileSync(file, 'utf8');
  const added = after.split('\n').filter((l) => !original.split('\n').includes(l));
  expect(added).toEqual([
    `    - { id: ${ouId}, name: Staging,        parent: ou-sb01-wkld0001 }`,
    `    - { id: "${accountId}", name: fraud-detection,    parent: ${PROD}, email: aws-fraud@northwind.example }`,
  ]);
  expect(original.split('\n').filter((l) => !after.split('\n').includes(l))).toEqual([]);
  expect(commentLines(after)).toEqual(commentLines(original));
  const env = await loadEnvironment(file);
  expect(env.organization.accounts).toContainEqual({
    id: accountId,
    name: 'fraud-detection',
    parent: PROD,
    email: 'aws-fraud@northwind.example',
  });
  expect((await orgImport('--json')).doc.inSync).toBe(true);
});

test('--write is refused (exit 2, nothing written) when the new tree would leave the file naming an OU that is gone', async () => {
  await orgImport();
  await outOfBand(async (org) => {
    // Dev emptied into Workloads and deleted (exception EXC-2026-002 targets it); the pilot account moved out of Pilot.
    for (const id of ['555555555551', '555555555552', '555555555553'])
      await org.send(
        new MoveAccountCommand({ AccountId: id, SourceParentId: 'ou-sb01-dev00001', DestinationParentId: 'ou-sb01-wkld0001' }),
      );
    await org.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-sb01-dev00001' }));
    await org.send(
      new MoveAccountCommand({ AccountId: '666666666661', SourceParentId: 'ou-sb01-pilot001', DestinationParentId: 'ou-sb01-sbx00001' }),
    );
  });
  const r = await orgImport('--write', '--json');
  expect(r.code).toBe(2);
  const message = JSON.parse(r.out).error.message as string;
  expect(message).toContain('nothing was written');
  expect(message).toContain('exceptions[1].target (EXC-2026-002) names ou-sb01-dev00001 (Dev), which is not in the organization any more');
  expect(message).toContain('pilot.account 666666666661 (genai-pilot) would no longer be inside pilot.ou ou-sb01-pilot001 (Pilot)');
  expect(readFileSync(file, 'utf8')).toBe(original);
});

test('verify reports an account added out of band (exit 1, the check names it) until the file lists it', async () => {
  const env: Environment = await loadEnvironment(file);
  const promoted = await runVerb('promote', 'pilot', { env, asOf: AS_OF });
  expect(promoted.ok).toBe(true);
  const clean = await runVerb('verify', 'pilot', { env, asOf: AS_OF });
  expect(clean).toMatchObject({ ok: true, exitCode: 0 });
  expect(clean.gates.find((g) => g.gate === 'effective-policy')?.checks).toContainEqual(
    expect.objectContaining({ id: 'organization:in-sync', status: 'passed' }),
  );

  let accountId = '';
  await outOfBand(async (org) => {
    accountId = (await org.send(new CreateAccountCommand({ Email: 'aws-new@northwind.example', AccountName: 'new-workload' })))
      .CreateAccountStatus!.AccountId!;
  });
  const v = await runVerb('verify', 'pilot', { env, asOf: AS_OF });
  expect(v).toMatchObject({ ok: false, exitCode: 1, outcome: 'verify-failed' });
  expect(v.gates.map((g) => g.gate)).toEqual(['propagation', 'smoke', 'effective-policy']);
  expect(v.failedChecks).toEqual([
    expect.objectContaining({
      gate: 'effective-policy',
      id: `organization:unlisted:${accountId}`,
      status: 'failed',
      account: accountId,
      detail: expect.stringMatching(new RegExp(`${accountId} \\(new-workload\\) under r-sb01 \\(Root\\).*rollout org import --write`)),
    }),
  ]);
  expect(v.message).toContain(`organization:unlisted:${accountId}`);

  // Through the CLI too: exit 1.
  const cli = await runCli(['verify', 'pilot', '--env', file, '--as-of', AS_OF, '--json']);
  expect(cli.code).toBe(1);

  expect((await orgImport('--write')).code).toBe(0);
  const after = await runVerb('verify', 'pilot', { env: await loadEnvironment(file), asOf: AS_OF });
  expect(after).toMatchObject({ ok: true, exitCode: 0 });
}, 120_000);
