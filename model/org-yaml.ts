/**
 * The `organization:` section of environment.yaml against the live organization (pure: no I/O).
 *
 * - `diffOrganization`: what differs, per id (added / removed / renamed / moved / email).
 * - `mergeOrganization`: the section after an import: the live tree, in the file's order for the
 *   ids it already lists; a new OU or account goes after the last listed sibling with the same
 *   parent (an OU without one after its parent), else at the end of its list.
 * - `rewriteOrganizationSection`: the file's text with the section changed to the merge. The
 *   `yaml` Document locates every node; the text is then edited at those nodes' ranges only
 *   (a changed scalar, a removed item's lines, an inserted item's line), because re-printing the
 *   document would re-flow the whole file (flow-map padding, `[a, b]` spacing, long lines) and a
 *   one-account import would show as a rewrite of the file in review. Everything outside the
 *   edited ranges, comments included, stays byte for byte.
 * - `brokenReferences`: what in the rest of the file would name an id the merge no longer has.
 */
import { isMap, isScalar, isSeq, parse, parseDocument, type Node, type Pair, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { InputError } from '../core/errors.js';
import { ACCOUNT_ID } from '../core/patterns.js';
import type { Account, Organization, OrgUnit } from './types.js';

/** The organization as Organizations reports it (DescribeOrganization + the tree). */
export interface LiveOrganization extends Organization {
  id: string;
  managementAccountId: string;
}

export type OrgChangeKind = 'added' | 'removed' | 'renamed' | 'moved' | 'email';

export interface OrgChange {
  kind: OrgChangeKind;
  node: 'root' | 'ou' | 'account';
  id: string;
  /** Name in the organization (in the file, for a removed node). */
  name: string;
  /** Parent in the organization (in the file, for a removed node); absent for the root. */
  parent?: string;
  /** renamed: the file's name; moved: the file's parent; email: the file's e-mail. */
  from?: string;
  /** renamed: the live name; moved: the live parent; email: the live e-mail. */
  to?: string;
}

type Item = OrgUnit | Account;

/** Differences between the file's section and the live organization, root first, then OUs, then accounts. */
export function diffOrganization(file: Organization, live: Organization): OrgChange[] {
  const out: OrgChange[] = [];
  if (file.root.id !== live.root.id) {
    out.push({ kind: 'removed', node: 'root', id: file.root.id, name: file.root.name });
    out.push({ kind: 'added', node: 'root', id: live.root.id, name: live.root.name });
  } else if (file.root.name !== live.root.name) {
    out.push({ kind: 'renamed', node: 'root', id: live.root.id, name: live.root.name, from: file.root.name, to: live.root.name });
  }
  const compare = (node: 'ou' | 'account', fileItems: readonly Item[], liveItems: readonly Item[]) => {
    const inFile = new Map(fileItems.map((x) => [x.id, x]));
    const inLive = new Set(liveItems.map((x) => x.id));
    for (const l of liveItems) {
      const f = inFile.get(l.id);
      const base = { node, id: l.id, name: l.name, parent: l.parent };
      if (!f) {
        out.push({ kind: 'added', ...base });
        continue;
      }
      if (f.name !== l.name) out.push({ kind: 'renamed', ...base, from: f.name, to: l.name });
      if (f.parent !== l.parent) out.push({ kind: 'moved', ...base, from: f.parent, to: l.parent });
      const fe = (f as Account).email;
      const le = (l as Account).email;
      // Only a live e-mail counts: a file's e-mail the organization does not report is kept.
      if (node === 'account' && le !== undefined && fe !== le) out.push({ kind: 'email', ...base, ...(fe ? { from: fe } : {}), to: le });
    }
    for (const f of fileItems) if (!inLive.has(f.id)) out.push({ kind: 'removed', node, id: f.id, name: f.name, parent: f.parent });
  };
  compare('ou', file.ous, live.ous);
  compare('account', file.accounts, live.accounts);
  return out;
}

/**
 * Where new items go, as indices into the file's list: each new item (in live order) goes after
 * the file item at its anchor (-1: before the first, only when the file's list is empty).
 */
function anchors(fileItems: readonly Item[], liveItems: readonly Item[], isOu: boolean): Map<number, Item[]> {
  const live = new Set(liveItems.map((x) => x.id));
  const listed = new Set(fileItems.map((x) => x.id));
  const out = new Map<number, Item[]>();
  for (const item of liveItems) {
    if (listed.has(item.id)) continue;
    let at = -1;
    fileItems.forEach((f, i) => {
      if (live.has(f.id) && f.parent === item.parent) at = i;
    });
    if (at < 0 && isOu) at = fileItems.findIndex((f) => f.id === item.parent && live.has(f.id));
    if (at < 0) at = fileItems.length - 1;
    out.set(at, [...(out.get(at) ?? []), item]);
  }
  return out;
}

/** A file item with the live values; an e-mail the organization does not report is kept from the file. */
function updated(f: Item, l: Item, isOu: boolean): Item {
  if (isOu) return { id: l.id, name: l.name, parent: l.parent };
  const email = (l as Account).email ?? (f as Account).email;
  return { id: l.id, name: l.name, parent: l.parent, ...(email !== undefined ? { email } : {}) };
}

function mergeList(fileItems: readonly Item[], liveItems: readonly Item[], isOu: boolean): Item[] {
  const live = new Map(liveItems.map((x) => [x.id, x]));
  const inserts = anchors(fileItems, liveItems, isOu);
  const out: Item[] = [...(inserts.get(-1) ?? [])];
  fileItems.forEach((f, i) => {
    const l = live.get(f.id);
    if (l) out.push(updated(f, l, isOu));
    out.push(...(inserts.get(i) ?? []));
  });
  return out.map((x) => ({ ...x }));
}

/** The section after importing `live` into a file whose section is `file`. */
export function mergeOrganization(file: Organization, live: Organization): Organization {
  return {
    root: { id: live.root.id, name: live.root.name },
    ous: mergeList(file.ous, live.ous, true) as OrgUnit[],
    accounts: mergeList(file.accounts, live.accounts, false) as Account[],
  };
}

// ───────────────────────────── text edits ─────────────────────────────

interface Edit {
  start: number;
  end: number;
  text: string;
}

const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
/** A value YAML reads back as the same string when written plain, in block and flow context alike. */
const SAFE_PLAIN = /^[A-Za-z_/][A-Za-z0-9 _./@+()-]*$/;

/** A scalar as it is written: account ids always quoted (a plain 012… is a number), else plain when safe. */
function scalarText(value: string, style?: Scalar.Type | string | null): string {
  if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  const plain = SAFE_PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ');
  if (style === Scalar.QUOTE_DOUBLE || ACCOUNT_ID.test(value) || !plain) return JSON.stringify(value);
  return value;
}

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
/** Position after the newline that ends the line holding `at - 1` (the text's end when none). */
function afterLine(text: string, at: number): number {
  const nl = text.indexOf('\n', Math.max(0, at - 1));
  return nl < 0 ? text.length : nl + 1;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key) as Pair | undefined;
}

function rangeOf(node: unknown): [number, number, number] {
  const r = (node as Node | undefined)?.range;
  if (!r) throw new Error('a YAML node without a source range');
  return r;
}

/** Sets `key` of a mapping in the text: the scalar replaced in place, or the key added (flow or block). */
function setKey(text: string, map: YAMLMap, key: string, value: string, edits: Edit[]): void {
  const pair = pairOf(map, key);
  if (pair?.value) {
    const v = pair.value as Node;
    if (isScalar(v) && String(v.value) === value) return;
    const [start, end] = rangeOf(v);
    const written = scalarText(value, isScalar(v) ? v.type : undefined);
    // Columns padded after the comma (`name: Dev,      parent:`) stay aligned: the padding takes up the difference.
    const pad = map.flow ? /^(\s*,)( +)(?=\S)/.exec(text.slice(end)) : null;
    if (pad) {
      const spaces = Math.max(1, pad[2]!.length - (written.length - (end - start)));
      edits.push({ start, end: end + pad[0].length, text: `${written}${pad[1]}${' '.repeat(spaces)}` });
    } else edits.push({ start, end, text: written });
    return;
  }
  const entry = `${key}: ${scalarText(value)}`;
  const [mapStart, mapEnd] = rangeOf(map);
  if (map.flow) {
    let at = text.lastIndexOf('}', mapEnd);
    while (at > mapStart && /\s/.test(text[at - 1]!)) at--;
    edits.push({ start: at, end: at, text: map.items.length ? `, ${entry}` : ` ${entry}` });
    return;
  }
  const first = rangeOf(map.items[0]!.key)[0];
  const last = map.items[map.items.length - 1]!;
  const end = rangeOf(last.value ?? last.key)[1];
  edits.push({ start: end, end, text: `\n${' '.repeat(first - lineStart(text, first))}${entry}` });
}

const KEYS = ['id', 'name', 'parent', 'email'] as const;
function valuesOf(item: Item): [string, string][] {
  const values = item as unknown as Record<string, unknown>;
  return KEYS.flatMap((k): [string, string][] => (values[k] !== undefined ? [[k, String(values[k])]] : []));
}

/**
 * One list item in the style of its neighbour: a flow map on one line (each key at the column
 * the neighbour has it, when the neighbour's columns are padded), or a block map.
 */
function itemText(item: Item, flow: boolean, prefix: string, columns: ReadonlyMap<string, number> = new Map()): string {
  const pairs = valuesOf(item).map(([k, v]) => `${k}: ${scalarText(v)}`);
  if (!flow) return `${prefix}${pairs.join(`\n${' '.repeat(prefix.length)}`)}\n`;
  let line = `${prefix}{ `;
  pairs.forEach((p, i) => {
    if (i > 0) line += ', ';
    const col = columns.get(p.slice(0, p.indexOf(':')));
    if (col !== undefined && line.length < col) line += ' '.repeat(col - line.length);
    line += p;
  });
  return `${line} }\n`;
}

/** Column (from the line's start) of each key of a one-line flow map. */
function keyColumns(text: string, map: YAMLMap): Map<string, number> {
  const out = new Map<string, number>();
  const ls = lineStart(text, rangeOf(map)[0]);
  for (const p of map.items) {
    const k = p.key as Node;
    if (isScalar(k)) out.set(String(k.value), rangeOf(k)[0] - ls);
  }
  return out;
}

/** The items of an `ous` / `accounts` list as plain values (what the loader reads). */
function plainItems(seq: YAMLSeq): Item[] {
  return seq.items.map((n) => (n as YAMLMap).toJSON() as Item);
}

/** Edits that turn a block list into `merged`, keeping every surviving item's text. */
function editList(text: string, seq: YAMLSeq, liveItems: readonly Item[], isOu: boolean, edits: Edit[]): void {
  const fileItems = plainItems(seq);
  const live = new Map(liveItems.map((x) => [x.id, x]));
  const inserts = anchors(fileItems, liveItems, isOu);
  seq.items.forEach((node, i) => {
    const map = node as YAMLMap;
    const f = fileItems[i]!;
    const l = live.get(f.id);
    const [start, end] = rangeOf(map);
    if (!l) {
      edits.push({ start: lineStart(text, start), end: afterLine(text, end), text: '' });
    } else {
      for (const [k, v] of valuesOf(updated(f, l, isOu))) setKey(text, map, k, v, edits);
    }
    const adds = inserts.get(i);
    if (adds) {
      const at = afterLine(text, end);
      const ls = lineStart(text, start);
      const prefix = /^\s*-\s+$/.test(text.slice(ls, start)) ? text.slice(ls, start) : `${' '.repeat(start - ls)}- `;
      const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
      const columns = map.flow && !text.slice(start, end).includes('\n') ? keyColumns(text, map) : undefined;
      edits.push({ start: at, end: at, text: lead + adds.map((a) => itemText(a, Boolean(map.flow), prefix, columns)).join('') });
    }
  });
}

/** A whole block list under `key` (for a list that is missing, empty or written in flow style). */
function blockList(items: readonly Item[], indent: number): string {
  return items.map((x) => itemText(x, true, `${' '.repeat(indent)}- `).replace(/\n$/, '')).join('\n');
}

/**
 * The file's text with its organization section set to the merge of the section and `live`.
 * Throws when the file has no `organization:` mapping (the loader refuses such a file first).
 */
export function rewriteOrganizationSection(text: string, live: Organization): { text: string; section: Organization } {
  const doc = parseDocument(text);
  const org = doc.get('organization', true);
  if (!isMap(org) || org.flow)
    throw new InputError(undefined, 'organization', 'expected a block mapping (one key per line) for `org import --write` to edit');
  const edits: Edit[] = [];
  const root = org.get('root', true);
  if (!isMap(root)) throw new InputError(undefined, 'organization.root', 'expected a mapping { id, name }');
  setKey(text, root, 'id', live.root.id, edits);
  const rootName = pairOf(root, 'name');
  // An absent root name is the default "Root": written only when the organization's differs.
  if (rootName || live.root.name !== 'Root') setKey(text, root, 'name', live.root.name, edits);
  const fileLists: Pick<Organization, 'ous' | 'accounts'> = { ous: [], accounts: [] };
  for (const key of ['ous', 'accounts'] as const) {
    const isOu = key === 'ous';
    const pair = pairOf(org, key);
    const seq = pair?.value;
    if (isSeq(seq) && !seq.flow && seq.items.length > 0 && seq.items.every((n) => isMap(n))) {
      fileLists[key] = plainItems(seq) as never;
      editList(text, seq, live[key], isOu, edits);
      continue;
    }
    // Missing, empty or a flow list: written out as a block list of one-line items.
    const existing = isSeq(seq) ? (seq.toJSON() as Item[]) : [];
    fileLists[key] = existing as never;
    const items = mergeList(existing, live[key], isOu);
    const keyNode = pair?.key ?? pairOf(org, 'root')!.key;
    const keyCol = rangeOf(keyNode)[0] - lineStart(text, rangeOf(keyNode)[0]);
    if (pair && seq) {
      const [start, end] = rangeOf(seq);
      // From just after the colon, so no space is left at the end of `ous:`.
      let from = start;
      while (items.length && text[from - 1] === ' ') from--;
      edits.push({ start: from, end, text: items.length ? `\n${blockList(items, keyCol + 2)}` : '[]' });
    } else if (items.length) {
      const at = afterLine(text, rangeOf(root)[1]);
      edits.push({ start: at, end: at, text: `${' '.repeat(keyCol)}${key}:\n${blockList(items, keyCol + 2)}\n` });
    }
  }
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const section = organizationSectionOf(out);
  const expected = mergeOrganization(
    {
      root: { id: String(root.get('id')), name: String(root.get('name') ?? 'Root') },
      ous: fileLists.ous,
      accounts: fileLists.accounts,
    },
    live,
  );
  // The edits are local; what the loader will read back must be exactly the merge.
  if (JSON.stringify(section) !== JSON.stringify(expected)) {
    throw new Error(`rewriting the organization section did not produce the merged tree (got ${JSON.stringify(section)})`);
  }
  return { text: out, section };
}

/** The organization section of a file's text as the loader reads it (root name defaulted, ous defaulted). */
export function organizationSectionOf(text: string): Organization {
  const raw = (parse(text) as { organization?: Partial<Organization> } | null)?.organization ?? {};
  const root = raw.root ?? { id: '', name: 'Root' };
  return {
    root: { id: String(root.id), name: root.name ?? 'Root' },
    ous: (raw.ous ?? []).map((o) => ({ id: o.id, name: o.name, parent: o.parent })),
    accounts: (raw.accounts ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      parent: a.parent,
      ...(a.email !== undefined ? { email: a.email } : {}),
    })),
  };
}

// ───────────────────────────── references ─────────────────────────────

/** Keys of the file outside the section that name accounts or OUs. */
interface Referring {
  managementAccountId?: unknown;
  pilot?: { account?: unknown; ou?: unknown };
  exceptions?: { id?: unknown; target?: unknown }[];
  deployment?: { probeRoles?: { byTarget?: Record<string, unknown> } };
}

/**
 * What the file would name that `section` no longer has (each a sentence with the path, the id
 * and the name it had), plus a pilot account left outside the pilot OU. Empty: the references hold.
 */
export function brokenReferences(fileText: string, before: Organization, section: Organization): string[] {
  const raw = (parse(fileText) ?? {}) as Referring;
  const kind = new Map<string, 'ou' | 'account'>([
    ...section.ous.map((o) => [o.id, 'ou'] as const),
    ...section.accounts.map((a) => [a.id, 'account'] as const),
  ]);
  const oldName = new Map<string, string>([...before.ous, ...before.accounts].map((x) => [x.id, x.name]));
  const named = (id: string) => (oldName.has(id) ? `${id} (${oldName.get(id)})` : id);
  const out: string[] = [];
  const need = (path: string, id: unknown, want: 'ou' | 'account' | 'either') => {
    if (typeof id !== 'string') return;
    const k = kind.get(id);
    if (k && (want === 'either' || k === want)) return;
    out.push(`${path} names ${named(id)}, which is not in the organization any more`);
  };
  need('managementAccountId', raw.managementAccountId, 'account');
  need('pilot.account', raw.pilot?.account, 'account');
  need('pilot.ou', raw.pilot?.ou, 'ou');
  (raw.exceptions ?? []).forEach((x, i) => {
    need(`exceptions[${i}].target${typeof x?.id === 'string' ? ` (${x.id})` : ''}`, x?.target, 'either');
  });
  for (const target of Object.keys(raw.deployment?.probeRoles?.byTarget ?? {}))
    need(`deployment.probeRoles.byTarget.${target}`, target, 'either');
  const pilotAccount = raw.pilot?.account;
  const pilotOu = raw.pilot?.ou;
  if (
    typeof pilotAccount === 'string' &&
    typeof pilotOu === 'string' &&
    kind.get(pilotAccount) === 'account' &&
    kind.get(pilotOu) === 'ou'
  ) {
    const parent = new Map<string, string>([...section.ous, ...section.accounts].map((x) => [x.id, x.parent]));
    let up = parent.get(pilotAccount);
    const seen = new Set<string>();
    while (up !== undefined && up !== pilotOu && !seen.has(up)) {
      seen.add(up);
      up = parent.get(up);
    }
    if (up !== pilotOu)
      out.push(
        `pilot.account ${named(pilotAccount)} would no longer be inside pilot.ou ${named(pilotOu)} (its parent is ${parent.get(pilotAccount)})`,
      );
  }
  return out;
}
