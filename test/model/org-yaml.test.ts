/** The organization section against a live tree (model/org-yaml.ts): diff, merge, text edits, references. */
import { readFileSync } from 'node:fs';
import {
  brokenReferences,
  diffOrganization,
  mergeOrganization,
  organizationSectionOf,
  rewriteOrganizationSection,
} from '../../model/org-yaml.js';
import type { Organization } from '../../model/types.js';
import { SANDBOX_FILE } from '../helpers/environment.js';

const TEXT = readFileSync(SANDBOX_FILE, 'utf8');
const FILE = organizationSectionOf(TEXT);
const live = (change: (o: Organization) => void = () => {}): Organization => {
  const o = structuredClone(FILE);
  change(o);
  return o;
};
/** Lines of `after` that are not in `before`, and the reverse. */
function lineDiff(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

test('the same tree: no change, and the rewrite is the text itself', () => {
  expect(diffOrganization(FILE, live())).toEqual([]);
  expect(rewriteOrganizationSection(TEXT, live()).text).toBe(TEXT);
});

test('each kind of change, per id', () => {
  const l = live((o) => {
    o.ous.find((u) => u.id === 'ou-sb01-dev00001')!.name = 'Development';
    o.accounts.find((a) => a.id === '666666666662')!.parent = 'r-sb01';
    o.accounts = o.accounts.filter((a) => a.id !== '333333333332');
    o.accounts.push({ id: '777777777771', name: 'new-app', parent: 'ou-sb01-prod0001', email: 'new@example.com' });
    o.accounts.find((a) => a.id === '222222222221')!.email = 'audit@example.com';
  });
  expect(diffOrganization(FILE, l).map((c) => [c.kind, c.node, c.id, c.from, c.to])).toEqual([
    ['renamed', 'ou', 'ou-sb01-dev00001', 'Dev', 'Development'],
    ['email', 'account', '222222222221', 'aws-audit@northwind.example', 'audit@example.com'],
    ['moved', 'account', '666666666662', 'ou-sb01-sbx00001', 'r-sb01'],
    ['added', 'account', '777777777771', undefined, undefined],
    ['removed', 'account', '333333333332', undefined, undefined],
  ]);
});

test('the rewrite edits only the lines of what changed, keeping padding, quoting and every comment', () => {
  const l = live((o) => {
    o.ous.find((u) => u.id === 'ou-sb01-dev00001')!.name = 'Development';
    o.ous.push({ id: 'ou-sb01-newou001', name: 'New OU', parent: 'ou-sb01-sbx00001' });
    o.accounts = o.accounts.filter((a) => a.id !== '333333333332');
    o.accounts.push({ id: '777777777771', name: 'new-app', parent: 'ou-sb01-prod0001', email: 'new@example.com' });
    o.accounts.push({ id: '077777777772', name: 'odd, name: yes', parent: 'ou-sb01-newou001' });
  });
  const { text, section } = rewriteOrganizationSection(TEXT, l);
  expect(lineDiff(TEXT, text)).toEqual({
    added: [
      '    - { id: ou-sb01-dev00001, name: Development,    parent: ou-sb01-wkld0001 }',
      '    - { id: ou-sb01-newou001, name: New OU,         parent: ou-sb01-sbx00001 }',
      '    - { id: "777777777771", name: new-app,            parent: ou-sb01-prod0001, email: new@example.com }',
      // Quoted where plain would read differently; the 12-digit id stays a string with its zero.
      '    - { id: "077777777772", name: "odd, name: yes",   parent: ou-sb01-newou001 }',
    ],
    removed: [
      '    - { id: ou-sb01-dev00001, name: Dev,            parent: ou-sb01-wkld0001 }',
      '    - { id: "333333333332", name: shared-services,    parent: ou-sb01-infra001, email: aws-shared@northwind.example }',
    ],
  });
  // New items sit after the last sibling of their parent (a new OU's children after it).
  expect(section.accounts.map((a) => a.id).indexOf('777777777771')).toBe(section.accounts.map((a) => a.id).indexOf('444444444443') + 1);
  expect(organizationSectionOf(text)).toEqual(section);
  expect(section).toEqual(mergeOrganization(FILE, l));
  for (const comment of TEXT.split('\n').filter((x) => x.includes('#'))) expect(text).toContain(comment);
});

test('block-style items, a missing ous list and a file without a final newline', () => {
  const text = [
    'managementAccountId: "111111111111"',
    'organization:',
    '  root:',
    '    id: r-ab12',
    '  accounts:',
    '    # the payer',
    '    - id: "111111111111"',
    '      name: mgmt # kept',
    '      parent: r-ab12',
    '    - id: "222222222222"',
    '      name: gone',
    '      parent: r-ab12',
    'pilot: { account: "111111111111", ou: ou-ab12-aaaaaaaa }',
  ].join('\n');
  const l: Organization = {
    root: { id: 'r-ab12', name: 'Root' },
    ous: [{ id: 'ou-ab12-aaaaaaaa', name: 'A', parent: 'r-ab12' }],
    accounts: [
      { id: '111111111111', name: 'management', parent: 'r-ab12', email: 'm@example.com' },
      { id: '333333333333', name: 'app', parent: 'ou-ab12-aaaaaaaa' },
    ],
  };
  const { text: out, section } = rewriteOrganizationSection(text, l);
  expect(out).toBe(
    [
      'managementAccountId: "111111111111"',
      'organization:',
      '  root:',
      '    id: r-ab12',
      '  ous:',
      '    - { id: ou-ab12-aaaaaaaa, name: A, parent: r-ab12 }',
      '  accounts:',
      '    # the payer',
      '    - id: "111111111111"',
      '      name: management # kept',
      '      parent: r-ab12',
      '      email: m@example.com',
      '    - id: "333333333333"',
      '      name: app',
      '      parent: ou-ab12-aaaaaaaa',
      'pilot: { account: "111111111111", ou: ou-ab12-aaaaaaaa }',
    ].join('\n'),
  );
  expect(section).toEqual(l);
});

test('an empty flow list is written out as a block list', () => {
  const text = 'organization:\n  root: { id: r-ab12 }\n  ous: []\n  accounts:\n    - { id: "111111111111", name: m, parent: r-ab12 }\n';
  const l: Organization = {
    root: { id: 'r-ab12', name: 'Top' },
    ous: [{ id: 'ou-ab12-aaaaaaaa', name: 'A', parent: 'r-ab12' }],
    accounts: [{ id: '111111111111', name: 'm', parent: 'r-ab12' }],
  };
  expect(rewriteOrganizationSection(text, l).text).toBe(
    'organization:\n  root: { id: r-ab12, name: Top }\n  ous:\n    - { id: ou-ab12-aaaaaaaa, name: A, parent: r-ab12 }\n  accounts:\n    - { id: "111111111111", name: m, parent: r-ab12 }\n',
  );
});

test('references the new tree would break: pilot, exceptions, probe roles, the pilot leaving its OU', () => {
  const gone = live((o) => {
    o.ous = o.ous.filter((u) => u.id !== 'ou-sb01-dev00001');
    o.accounts = o.accounts.filter((a) => a.id !== '444444444443' && a.parent !== 'ou-sb01-dev00001');
    o.accounts.find((a) => a.id === '666666666661')!.parent = 'ou-sb01-sbx00001';
  });
  const broken = brokenReferences(TEXT, FILE, mergeOrganization(FILE, gone));
  expect(broken).toEqual([
    'exceptions[0].target (EXC-2026-001) names 444444444443 (data-platform-prod), which is not in the organization any more',
    'exceptions[1].target (EXC-2026-002) names ou-sb01-dev00001 (Dev), which is not in the organization any more',
    'exceptions[2].target (EXC-2026-003) names 555555555552 (claims-dev), which is not in the organization any more',
    'deployment.probeRoles.byTarget.555555555553 names 555555555553 (ml-research), which is not in the organization any more',
    'pilot.account 666666666661 (genai-pilot) would no longer be inside pilot.ou ou-sb01-pilot001 (Pilot) (its parent is ou-sb01-sbx00001)',
  ]);
  expect(brokenReferences(TEXT, FILE, FILE)).toEqual([]);
});
