/**
 * Reading a synthesized cdk.tf.json (Terraform JSON syntax) without Terraform: resources,
 * providers, outputs, remote-state data sources, `${…}` interpolations and dependency order.
 * Pure: no I/O, no AWS, no cdktf.
 *
 * Supported expressions (what the stacks emit, docs/stacks.md):
 *   ${<type>.<name>.<attr>}                           attribute of a resource in the same stack
 *   ${data.terraform_remote_state.<id>.outputs.<key>} output of another stack
 * inside any string, whole or embedded; `$${` is a literal `${`. Anything else (functions,
 * for-expressions, count/for_each) is refused with a ToolingError naming it.
 */
import { ToolingError } from '../../core/errors.js';

export const UNKNOWN = '(known after apply)';

export interface TfResource {
  address: string; // <type>.<name>
  type: string;
  name: string;
  args: Record<string, unknown>; // arguments without meta-arguments
  provider?: string; // e.g. "aws.us_east_1"; undefined = default "aws"
  dependsOn: string[]; // explicit depends_on addresses
  lifecycle: { createBeforeDestroy?: boolean; replaceTriggeredBy?: string[]; preventDestroy?: boolean };
}

export interface TfProvider {
  ref: string;
  region?: string;
  /** The role the provider acts as: the last of its assume_role blocks (a chain is assumed in order). */
  roleArn?: string;
}

export interface TfStack {
  resources: Map<string, TfResource>;
  providers: Map<string, TfProvider>;
  outputs: Record<string, unknown>;
  remoteStates: Map<string, { backend?: string; config: Record<string, unknown> }>;
}

export type Reference =
  | { kind: 'resource'; address: string; attr: string; path: string[]; expr: string }
  | { kind: 'remote'; id: string; key: string; expr: string };

const META = new Set(['provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'connection', 'provisioner', 'timeouts']);

function isMetaKey(k: string): boolean {
  return k.startsWith('//');
}

function asObject(v: unknown, where: string): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new ToolingError(`cdk.tf.json: ${where} is not an object`);
}

/** Terraform JSON blocks may be an object or a list of objects (cdktf emits lists). */
export function blocks(v: unknown): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[];
  if (typeof v === 'object') return [v as Record<string, unknown>];
  return [];
}

/** First element of a nested block given as list-of-one or object. */
export function single(v: unknown): Record<string, unknown> | undefined {
  return blocks(v)[0];
}

export function parseStack(json: Record<string, unknown>, supportedTypes?: ReadonlySet<string>): TfStack {
  const resources = new Map<string, TfResource>();
  const resourceRoot = json.resource === undefined ? {} : asObject(json.resource, 'resource');
  for (const [type, byName] of Object.entries(resourceRoot)) {
    if (isMetaKey(type)) continue;
    if (supportedTypes && !supportedTypes.has(type)) {
      throw new ToolingError(`the sandbox engine does not support resource type "${type}" (supported: ${[...supportedTypes].join(', ')})`);
    }
    for (const [name, raw] of Object.entries(asObject(byName, `resource.${type}`))) {
      if (isMetaKey(name)) continue;
      const body = asObject(raw, `resource.${type}.${name}`);
      const address = `${type}.${name}`;
      if (body.count !== undefined || body.for_each !== undefined) {
        throw new ToolingError(`${address}: count/for_each is not supported by the sandbox engine`);
      }
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) {
        if (isMetaKey(k) || META.has(k)) continue;
        args[k] = stripMeta(v);
      }
      const lc = single(body.lifecycle) ?? {};
      resources.set(address, {
        address,
        type,
        name,
        args,
        provider: typeof body.provider === 'string' ? body.provider : undefined,
        dependsOn: Array.isArray(body.depends_on) ? (body.depends_on as unknown[]).map((d) => String(d).replace(/^\$\{|\}$/g, '')) : [],
        lifecycle: {
          createBeforeDestroy: lc.create_before_destroy === true,
          preventDestroy: lc.prevent_destroy === true,
          replaceTriggeredBy: Array.isArray(lc.replace_triggered_by)
            ? (lc.replace_triggered_by as unknown[]).map((d) => String(d).replace(/^\$\{|\}$/g, ''))
            : undefined,
        },
      });
    }
  }

  const providers = new Map<string, TfProvider>();
  const providerRoot = json.provider === undefined ? {} : asObject(json.provider, 'provider');
  for (const [pname, cfgs] of Object.entries(providerRoot)) {
    if (isMetaKey(pname)) continue;
    for (const cfg of blocks(cfgs)) {
      const ref = typeof cfg.alias === 'string' ? `${pname}.${cfg.alias}` : pname;
      // Several assume_role blocks are a role chain, assumed in order: the last is who acts.
      const ar = blocks(cfg.assume_role).at(-1);
      providers.set(ref, {
        ref,
        region: typeof cfg.region === 'string' ? cfg.region : undefined,
        roleArn: typeof ar?.role_arn === 'string' ? ar.role_arn : undefined,
      });
    }
  }

  const outputs: Record<string, unknown> = {};
  const outputRoot = json.output === undefined ? {} : asObject(json.output, 'output');
  for (const [k, v] of Object.entries(outputRoot)) {
    if (isMetaKey(k)) continue;
    outputs[k] = asObject(v, `output.${k}`).value;
  }

  const remoteStates = new Map<string, { backend?: string; config: Record<string, unknown> }>();
  const data = json.data === undefined ? {} : asObject(json.data, 'data');
  for (const [dtype, byName] of Object.entries(data)) {
    if (isMetaKey(dtype)) continue;
    if (dtype !== 'terraform_remote_state') {
      throw new ToolingError(`the sandbox engine does not support data source type "${dtype}"`);
    }
    for (const [id, raw] of Object.entries(asObject(byName, `data.${dtype}`))) {
      if (isMetaKey(id)) continue;
      const body = asObject(raw, `data.${dtype}.${id}`);
      remoteStates.set(id, { backend: typeof body.backend === 'string' ? body.backend : undefined, config: single(body.config) ?? {} });
    }
  }
  return { resources, providers, outputs, remoteStates };
}

function stripMeta(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripMeta);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !isMetaKey(k))
        .map(([k, x]) => [k, stripMeta(x)]),
    );
  }
  return v;
}

/** Splits a template string into literal and `${…}` parts (brace-balanced; `$${` escapes). */
export function templateParts(s: string): Array<{ lit: string } | { expr: string }> {
  const out: Array<{ lit: string } | { expr: string }> = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i)) {
      lit += '${';
      i += 3;
      continue;
    }
    if (s.startsWith('%{', i) && !s.startsWith('%%{', i)) {
      throw new ToolingError(`template directives (%{…}) are not supported by the sandbox engine: ${s.slice(i, i + 40)}`);
    }
    if (s.startsWith('%%{', i)) {
      lit += '%{';
      i += 3;
      continue;
    }
    if (s.startsWith('${', i)) {
      let depth = 1;
      let j = i + 2;
      while (j < s.length && depth > 0) {
        if (s[j] === '{') depth++;
        else if (s[j] === '}') depth--;
        j++;
      }
      if (depth !== 0) throw new ToolingError(`unterminated interpolation in ${JSON.stringify(s.slice(i, i + 60))}`);
      if (lit) {
        out.push({ lit });
        lit = '';
      }
      out.push({ expr: s.slice(i + 2, j - 1).trim() });
      i = j;
      continue;
    }
    lit += s[i];
    i++;
  }
  if (lit || out.length === 0) out.push({ lit });
  return out;
}

const RESOURCE_REF = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)((?:\[\d+\]|\.[a-z_][a-z0-9_]*)*)$/;
const REMOTE_REF = /^data\.terraform_remote_state\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)$/;

export function parseExpression(expr: string): Reference {
  const r = REMOTE_REF.exec(expr);
  if (r) return { kind: 'remote', id: r[1]!, key: r[2]!, expr };
  const m = RESOURCE_REF.exec(expr);
  if (m && m[1] !== 'data' && m[1] !== 'var' && m[1] !== 'local') {
    const path = (m[4] ?? '').match(/\[\d+\]|\.[a-z_][a-z0-9_]*/g)?.map((p) => p.replace(/^\.|\[|\]/g, '')) ?? [];
    return { kind: 'resource', address: `${m[1]}.${m[2]}`, attr: m[3]!, path, expr };
  }
  throw new ToolingError(
    `the sandbox engine cannot evaluate the expression \${${expr}} (only resource attributes and terraform_remote_state outputs)`,
  );
}

/** Every reference in a value (deep). */
export function referencesIn(value: unknown): Reference[] {
  const out: Reference[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const p of templateParts(v)) if ('expr' in p) out.push(parseExpression(p.expr));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/**
 * Resolves interpolations. `lookup` returns the referenced value or UNKNOWN; a string whose
 * interpolation is unknown becomes UNKNOWN as a whole (like Terraform's "known after apply").
 * A string that is exactly one interpolation takes the referenced value's type.
 */
export function resolveValue(value: unknown, lookup: (ref: Reference) => unknown): unknown {
  if (typeof value === 'string') {
    const parts = templateParts(value);
    if (parts.length === 1 && 'expr' in parts[0]!) return lookup(parseExpression(parts[0].expr));
    let s = '';
    for (const p of parts) {
      if ('lit' in p) {
        s += p.lit;
        continue;
      }
      const v = lookup(parseExpression(p.expr));
      if (v === UNKNOWN) return UNKNOWN;
      s += typeof v === 'string' ? v : JSON.stringify(v);
    }
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, lookup));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, lookup)]));
  }
  return value;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === 'object') return Object.values(value).some(containsUnknown);
  return false;
}

/** Addresses a resource depends on (references + depends_on), restricted to `known`. */
export function dependenciesOf(r: TfResource, known: ReadonlySet<string>): string[] {
  const deps = new Set<string>(r.dependsOn);
  for (const ref of referencesIn(r.args)) if (ref.kind === 'resource') deps.add(ref.address);
  for (const d of deps) {
    if (!known.has(d)) throw new ToolingError(`${r.address} refers to ${d}, which is not in the stack`);
  }
  deps.delete(r.address);
  return [...deps].sort();
}

/**
 * Kahn's algorithm with a deterministic tie-break (the `order` function, then name).
 * Throws on a cycle naming its members.
 */
export function topoSort<T extends string>(
  nodes: readonly T[],
  deps: (n: T) => readonly T[],
  order: (a: T, b: T) => number = (a, b) => a.localeCompare(b),
): T[] {
  const indeg = new Map<T, number>();
  const dependents = new Map<T, T[]>();
  for (const n of nodes) {
    indeg.set(n, 0);
    dependents.set(n, []);
  }
  for (const n of nodes) {
    for (const d of deps(n)) {
      if (!indeg.has(d)) continue;
      indeg.set(n, indeg.get(n)! + 1);
      dependents.get(d)!.push(n);
    }
  }
  const ready = nodes.filter((n) => indeg.get(n) === 0).sort(order);
  const out: T[] = [];
  while (ready.length) {
    const n = ready.shift()!;
    out.push(n);
    for (const m of dependents.get(n)!) {
      indeg.set(m, indeg.get(m)! - 1);
      if (indeg.get(m) === 0) {
        ready.push(m);
        ready.sort(order);
      }
    }
  }
  if (out.length !== nodes.length) {
    const cyc = nodes.filter((n) => !out.includes(n));
    throw new ToolingError(`dependency cycle between: ${cyc.join(', ')}`);
  }
  return out;
}

/** Account id of a role ARN (arn:aws:iam::<acct>:role/<name>). */
export function accountOfRoleArn(arn: string | undefined): string | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(arn ?? '');
  return m?.[1];
}

/**
 * Which of `stacks` a terraform_remote_state data source reads, from the last segment of its
 * `path` (local), `key` (s3) or `workspaces.name` (remote): `<stack>` or `<prefix>-<stack>`,
 * `.tfstate` dropped; else the data source's own name if it is a stack. Undefined if neither.
 */
export function remoteStateStack(id: string, config: Record<string, unknown>, stacks: readonly string[]): string | undefined {
  const ws = config.workspaces && typeof config.workspaces === 'object' ? (config.workspaces as { name?: string }).name : undefined;
  const candidates = [config.path, config.key, ws].filter((x): x is string => typeof x === 'string');
  const longestFirst = [...stacks].sort((a, b) => b.length - a.length);
  for (const c of candidates) {
    const base = c
      .replace(/\\/g, '/')
      .split('/')
      .pop()!
      .replace(/\.tfstate$/, '');
    const hit = longestFirst.find((n) => base === n || base.endsWith(`-${n}`));
    if (hit) return hit;
  }
  return stacks.includes(id) ? id : undefined;
}
