/**
 * Loads `environments/<name>/environment.yaml`: YAML → zod schema → whole-file rules →
 * release definitions (dynamic import of the TypeScript module, relative to the file) →
 * the Environment model. Every problem becomes InputError(file, path, expected) naming the
 * line where the YAML has one. Nothing is changed on disk.
 *
 * Files the environment points at (`releases[].definition`, smoke `contentFile`) must resolve,
 * symbolic links followed, inside the environment file's directory or a directory listed in
 * `fileRoots`: a definition is code that runs with the user's privileges, and smoke content is
 * sent to Bedrock. `{ definitions: 'skip' }` validates all of that without importing (or
 * reading) any definition, for verbs that never need one.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument, parse as parseYaml, type Document } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../core/errors.js';
import { COMPILED_DIRS, PROJECT_ROOT } from '../core/project-root.js';
import { GuardrailDefinition, isGuardrailDefinition } from '../guardrail/definition.js';
import { GuardrailDefinitionError } from '../guardrail/errors.js';
import { contentHash } from '../guardrail/hash.js';
import { environmentFileSchema, parseDuration, type EnvironmentFile, type RawSmokeCase } from './schema.js';
import { checkEnvironment } from './validate.js';
import { checkTeamAdditions } from './team-additions.js';
import { toBakeAnalysis } from './analysis-schema.js';
import type {
  EnforcementException,
  Environment,
  ExceptionChange,
  GuardingMode,
  Phase,
  PhaseSettings,
  Release,
  SmokeCase,
  TeamAddition,
} from './types.js';
import { PHASES } from './types.js';

export const ENVIRONMENT_FILE = 'environment.yaml';

/** The project root: the directory holding `environments/` (also when run from the compiled dist/). */
export function projectRoot(): string {
  return PROJECT_ROOT;
}

/** Shown paths are relative to the working directory when inside it. */
function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/**
 * `sandbox` → `<root>/environments/sandbox/environment.yaml` (looked up under `cwd` first,
 * then the project root); a path may name a directory (its environment.yaml) or a YAML file.
 */
export function resolveEnvironmentPath(nameOrPath: string, opts: { cwd?: string } = {}): string {
  const cwd = resolve(opts.cwd ?? process.cwd());
  // A bare word is an environment name (note: the project has a `sandbox/` source folder, so a
  // name must win over a same-named directory); anything path-like is a path.
  const isName = /^[a-z0-9][a-z0-9-]*$/.test(nameOrPath);
  const byName = isName
    ? [cwd, projectRoot()].map((root) => join(root, 'environments', nameOrPath, ENVIRONMENT_FILE)).find((f) => existsSync(f))
    : undefined;
  if (byName) return byName;
  if (!isName || existsSync(join(resolve(cwd, nameOrPath), ENVIRONMENT_FILE))) {
    const p = resolve(cwd, nameOrPath);
    if (!existsSync(p))
      throw new InputError(
        displayPath(p, cwd),
        undefined,
        'expected an environment directory or YAML file, but nothing exists at this path',
      );
    if (statSync(p).isDirectory()) {
      const f = join(p, ENVIRONMENT_FILE);
      if (!existsSync(f)) throw new InputError(displayPath(p, cwd), undefined, `expected a directory containing ${ENVIRONMENT_FILE}`);
      return f;
    }
    return p;
  }
  const known = listEnvironments();
  throw new InputError(
    undefined,
    undefined,
    `no environment named "${nameOrPath}": expected environments/${nameOrPath}/${ENVIRONMENT_FILE}${known.length ? ` (known: ${known.join(', ')})` : ''}`,
  );
}

/** Names of the environments shipped under the project root. */
export function listEnvironments(root = projectRoot()): string[] {
  const dir = join(root, 'environments');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, ENVIRONMENT_FILE)))
    .sort();
}

// ───────────────────────────── YAML positions ─────────────────────────────

interface YamlSource {
  doc: Document;
  lines: LineCounter;
}

function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return keys;
}

/** " (line N)" for a path inside the YAML, walking up to the nearest existing node. */
function lineOf(src: YamlSource | undefined, path: string | undefined): string {
  if (!src || !path) return '';
  const keys = pathKeys(path);
  while (keys.length) {
    const node = src.doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return ` (line ${src.lines.linePos(node.range[0]).line})`;
    keys.pop();
  }
  return '';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** A user-facing line for one zod issue. */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; unknown keys are not allowed)`;
    case 'invalid_type':
      if (issue.message.startsWith('expected') || issue.message.startsWith('"')) return issue.message;
      return (issue as { input?: unknown }).input === undefined
        ? `required but missing: expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
        : `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'too_small':
      if (issue.message.startsWith('expected')) return issue.message;
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} entries`
        : issue.origin === 'string'
          ? `expected at least ${issue.minimum} characters`
          : `expected a value ≥ ${issue.minimum}`;
    case 'too_big':
      if (issue.message.startsWith('expected')) return issue.message;
      return issue.origin === 'array'
        ? `expected at most ${issue.maximum} entries`
        : issue.origin === 'string'
          ? `expected at most ${issue.maximum} characters`
          : `expected a value ≤ ${issue.maximum}`;
    case 'invalid_union':
      // Report the most specific branch error when the union is a smoke entry or backend.
      if (issue.errors?.length) {
        const best = issue.errors
          .map((errs) => errs[0])
          .filter(Boolean)
          .sort((a, b) => b.path.length - a.path.length)[0];
        if (best?.path.length) return `${formatPath(best.path)}: ${issueText(best)}`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

/** Throws one InputError describing the first few schema problems. */
function schemaError(error: z.ZodError, file: string, src: YamlSource | undefined): never {
  const issues = error.issues;
  const first = issues[0];
  const firstPath = formatPath(first.path);
  const rest = issues.slice(1, 4).map((i) => `${formatPath(i.path) || '(top level)'}: ${issueText(i)}${lineOf(src, formatPath(i.path))}`);
  const more = issues.length > 4 ? ` (and ${issues.length - 4} more)` : '';
  const tail = rest.length ? `; also ${rest.join('; ')}${more}` : '';
  throw new InputError(file, firstPath || undefined, `${issueText(first)}${lineOf(src, firstPath)}${tail}`);
}

// ───────────────────────────── loading ─────────────────────────────

export interface LoadOptions {
  cwd?: string;
  /**
   * `load` (default): import every release definition (.ts/.js modules run) and check its pin.
   * `skip`: check the definition paths only (exist, inside the allowed directories); nothing is
   * imported or read. For read-only verbs that never use a definition (`exceptions`).
   */
  definitions?: 'load' | 'skip';
}

/** A release as `{ definitions: 'skip' }` loads it: the path, no definition. */
export type ReleaseRef = Pick<Release, 'name' | 'definitionPath' | 'description'>;
/** A team addition as `{ definitions: 'skip' }` loads it: everything but its definition. */
export type TeamAdditionRef = Omit<TeamAddition, 'definition' | 'contentHash'>;
/** An environment loaded with `{ definitions: 'skip' }`. */
export type EnvironmentWithoutDefinitions = Omit<Environment, 'releases' | 'teamAdditions'> & {
  releases: ReleaseRef[];
  teamAdditions?: TeamAdditionRef[];
};

/** Loads and validates an environment by name (`sandbox`), directory or YAML path. */
export async function loadEnvironment(
  nameOrPath: string,
  opts: LoadOptions & { definitions: 'skip' },
): Promise<EnvironmentWithoutDefinitions>;
export async function loadEnvironment(nameOrPath: string, opts?: LoadOptions & { definitions?: 'load' }): Promise<Environment>;
export async function loadEnvironment(nameOrPath: string, opts: LoadOptions = {}): Promise<Environment | EnvironmentWithoutDefinitions> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const abs = resolveEnvironmentPath(nameOrPath, { cwd });
  const file = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `could not read the file: ${(e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(file, undefined, `expected valid YAML: ${msg}${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`);
  }
  const raw = yamlToJs(doc, file);
  return buildEnvironment(raw, abs, { file, src: { doc, lines }, definitions: opts.definitions ?? 'load' });
}

/**
 * Aliases may expand to at most YAML_MAX_ALIAS_COUNT nodes (the `yaml` package's guard against
 * "billion laughs" alias bombs, default 100; the shipped files reuse anchors, hence more). A file
 * over it, or one whose expansion exhausts the stack, is bad input naming the file (exit 2).
 */
export const YAML_MAX_ALIAS_COUNT = 1000;

function yamlToJs(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) as unknown;
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    if (/alias|resource exhaustion|call stack/i.test(msg) || e instanceof RangeError || e instanceof ReferenceError) {
      throw new InputError(
        file,
        undefined,
        `expected YAML whose aliases (*name) expand to at most ${YAML_MAX_ALIAS_COUNT} nodes: ${msg} (a YAML alias bomb, or anchors nested too deeply; write the values out instead)`,
      );
    }
    throw new InputError(file, undefined, `expected valid YAML: ${msg}`);
  }
}

/** Loads an environment from an already-parsed object (tests, generated files). */
export async function environmentFromObject(raw: unknown, sourceFile: string): Promise<Environment> {
  return buildEnvironment(raw, resolve(sourceFile), { file: sourceFile, definitions: 'load' }) as Promise<Environment>;
}

interface Ctx {
  file: string;
  src?: YamlSource;
  definitions: 'load' | 'skip';
  /** Directories (real paths) that referenced files must resolve inside: the environment's own first. */
  roots?: string[];
}

const realpath = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

/** Roots referenced files may live under: the environment file's directory, then `fileRoots`. */
function fileRoots(f: EnvironmentFile, dir: string, err: ErrFn): string[] {
  const roots = [realpath(dir)];
  (f.fileRoots ?? []).forEach((r, i) => {
    const abs = resolve(dir, r);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      err(`fileRoots[${i}]`, `expected a directory (relative to the environment file, or absolute), but ${abs} is not one`);
    roots.push(realpath(abs));
  });
  return roots;
}

const inside = (p: string, root: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Checks that an existing file resolves (links followed) inside one of the roots; throws an
 * InputError at `path` otherwise. Returns the path to read.
 */
function confine(abs: string, path: string, what: string, ctx: Ctx, err: ErrFn): string {
  const roots = ctx.roots ?? [realpath(dirname(abs))];
  const real = realpath(abs);
  if (roots.some((r) => inside(real, r))) return abs;
  const shown = displayPath(abs, process.cwd());
  const via = real !== abs ? ` (a link to ${real})` : '';
  const listed = roots.length > 1 ? ` or the fileRoots ${roots.slice(1).join(', ')}` : '';
  return err(
    path,
    `expected ${what} inside the environment directory ${roots[0]}${listed}, but ${shown}${via} is outside it; ` +
      'list its directory under fileRoots to allow it (definitions are code that runs with your privileges)',
  );
}

async function buildEnvironment(raw: unknown, abs: string, ctx: Ctx): Promise<Environment | EnvironmentWithoutDefinitions> {
  const { file, src } = ctx;
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      file,
      undefined,
      'expected a YAML mapping with managementAccountId, organizationId, regions, organization, pilot, releases, currentRelease, phases',
    );
  }
  const parsed = environmentFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) schemaError(parsed.error, file, src);
  const f: EnvironmentFile = parsed.data;
  const err = (path: string, expected: string): never => {
    throw new InputError(file, path, expected + lineOf(src, path));
  };
  const warnings: string[] = [];
  const dir = dirname(abs);
  ctx.roots = fileRoots(f, dir, err);

  // Enforcement defaults (legacy inputTags mapped, never mixed with the GA keys).
  const e = f.enforcement;
  const defaults = guarding(e, 'enforcement', err, warnings);
  const enforcement = {
    system: defaults.system ?? 'comprehensive',
    messages: defaults.messages ?? 'comprehensive',
    models: { included: [...e.models.included], excluded: [...e.models.excluded] },
  } satisfies Environment['enforcement'];
  if (enforcement.models.included.includes('ALL') && enforcement.models.included.length > 1) {
    warnings.push(`${file}: enforcement.models.included lists "ALL" and specific models; the specific ids are redundant`);
  }

  const exceptions: EnforcementException[] = f.exceptions.map((x, i) => {
    const g = guarding(x.changes, `exceptions[${i}].changes`, err, warnings);
    const changes: ExceptionChange = {};
    if (x.changes.excludedModels) changes.excludedModels = [...x.changes.excludedModels];
    if (g.system) changes.system = g.system;
    if (g.messages) changes.messages = g.messages;
    const out: EnforcementException = {
      id: x.id,
      target: x.target,
      changes,
      owner: x.owner,
      reason: x.reason,
      approver: x.approver,
      expires: x.expires,
    };
    if (x.ticket !== undefined) out.ticket = x.ticket;
    return out;
  });

  // Phases: expand suites, read content files, turn durations into seconds.
  const suites = f.smokeSuites ?? {};
  const phases = {} as Record<Phase, PhaseSettings>;
  for (const phase of PHASES) {
    const p = f.phases[phase];
    const smoke: SmokeCase[] = [];
    const ids = new Map<string, string>();
    const add = (c: RawSmokeCase, path: string) => {
      if (ids.has(c.id))
        err(`${path}.id`, `expected smoke case ids unique within phase ${phase}; "${c.id}" is also used at ${ids.get(c.id)}`);
      ids.set(c.id, path);
      smoke.push(smokeCase(c, path, dir, err, ctx));
    };
    p.smoke.forEach((entry, i) => {
      const path = `phases.${phase}.smoke[${i}]`;
      if ('include' in entry) {
        const suite = suites[entry.include];
        if (!suite)
          err(
            `${path}.include`,
            `expected the name of a smokeSuites entry (${Object.keys(suites).join(', ') || 'none defined'}), got "${entry.include}"`,
          );
        suite.forEach((c, j) => {
          add(c, `smokeSuites.${entry.include}[${j}]`);
        });
      } else add(entry, path);
    });
    phases[phase] = {
      bakeSeconds: p.bakeSeconds ?? parseDuration(p.bake!)!,
      ...(p.propagationTimeout !== undefined ? { propagationTimeoutSeconds: parseDuration(p.propagationTimeout)! } : {}),
      ...(p.analysis ? { analysis: toBakeAnalysis(p.analysis) } : {}),
      approval: p.approval,
      sample: { ...p.sample },
      smoke,
    };
  }

  // Team additions: smoke content read like the phases'; definitions imported below.
  const additions = (f.teamAdditions ?? []).map((a, i) => {
    const out: Omit<TeamAddition, 'definition' | 'contentHash' | 'definitionPath'> = {
      id: a.id,
      account: a.account,
      owner: a.owner,
      reason: a.reason,
      regions: [...(a.regions ?? f.regions)],
      smoke: a.smoke.map((c, j) => smokeCase(c, `teamAdditions[${i}].smoke[${j}]`, dir, err, ctx)),
    };
    if (a.approver !== undefined) out.approver = a.approver;
    if (a.expires !== undefined) out.expires = a.expires;
    return out;
  });

  const shape = {
    name: f.name ?? dirname(abs).split(sep).pop()!,
    sourceFile: abs,
    managementAccountId: f.managementAccountId,
    organizationId: f.organizationId,
    regions: [...f.regions],
    homeRegion: f.homeRegion ?? f.regions[0],
    organization: {
      root: { ...f.organization.root },
      ous: f.organization.ous.map((o) => ({ ...o })),
      accounts: f.organization.accounts.map((a) => ({ ...a })),
    },
    pilot: { ...f.pilot },
    releases: f.releases.map((r) => ({ name: r.name })),
    currentRelease: f.currentRelease,
    enforcement,
    exceptions,
    phases,
    deployment: {
      ...f.deployment,
      backend: { ...f.deployment.backend },
      stateStore:
        f.deployment.stateStore.type === 's3'
          ? { ...f.deployment.stateStore, region: f.deployment.stateStore.region ?? f.homeRegion ?? f.regions[0] }
          : { type: 'local' },
    } as Environment['deployment'],
    ...(f.sandbox
      ? { sandbox: { policyTypeEnabled: f.sandbox.policyTypeEnabled, ...(f.sandbox.traffic ? { traffic: f.sandbox.traffic } : {}) } }
      : {}),
    ...(f.notifications
      ? { notifications: { ...f.notifications, sinks: f.notifications.sinks.map((k) => ({ ...k, events: [...k.events] })) } }
      : {}),
  };
  try {
    checkEnvironment(shape, file);
    checkTeamAdditions(shape, additions, (path, expected) => {
      throw new InputError(file, path, expected);
    });
  } catch (e2) {
    if (e2 instanceof InputError) throw new InputError(e2.file, e2.path, e2.expected + lineOf(src, e2.path));
    throw e2;
  }

  if (ctx.definitions === 'skip') {
    const refs: ReleaseRef[] = f.releases.map((r, i) => {
      const out: ReleaseRef = { name: r.name, definitionPath: definitionPath(r, i, dir, ctx) };
      if (r.description !== undefined) out.description = r.description;
      return out;
    });
    const env: EnvironmentWithoutDefinitions = { ...shape, releases: refs };
    // Kept without their definitions (status lists them), the paths checked as for releases.
    if (f.teamAdditions)
      env.teamAdditions = additions.map((a, i) => ({
        ...a,
        definitionPath: definitionPath(f.teamAdditions![i]!, i, dir, ctx, `teamAdditions[${i}].definition`),
      }));
    if (warnings.length) env.warnings = warnings;
    return env;
  }
  const releases: Release[] = [];
  for (const [i, r] of f.releases.entries()) {
    releases.push(await loadRelease(r, i, dir, ctx, warnings));
  }
  const env: Environment = { ...shape, releases };
  if (f.teamAdditions) {
    env.teamAdditions = [];
    for (const [i, a] of additions.entries())
      env.teamAdditions.push(await loadTeamDefinition(a, f.teamAdditions[i]!, i, dir, ctx, warnings));
  }
  if (warnings.length) env.warnings = warnings;
  return env;
}

type ErrFn = (path: string, expected: string) => never;

/** GA guarding modes from `system`/`messages`, or from the legacy preview `inputTags`. */
function guarding(
  v: { system?: GuardingMode; messages?: GuardingMode; inputTags?: 'honor' | 'ignore' },
  path: string,
  err: ErrFn,
  warnings: string[],
): { system?: GuardingMode; messages?: GuardingMode } {
  if (v.inputTags === undefined) return { system: v.system, messages: v.messages };
  if (v.system !== undefined || v.messages !== undefined) {
    err(`${path}.inputTags`, 'expected either the legacy inputTags or system/messages, not both (do not mix the preview and GA schemas)');
  }
  // docs/aws-facts.md#legacy-input-tags: ignore → comprehensive; honor → selective (system: selective
  // with no tags checks NOTHING in the system prompt, which honor did not distinguish).
  const mode: GuardingMode = v.inputTags === 'ignore' ? 'comprehensive' : 'selective';
  warnings.push(
    `${path}.inputTags: "${v.inputTags}" is the deprecated preview key; read as system: ${mode}, messages: ${mode}. ` +
      `Replace it with system/messages${v.inputTags === 'honor' ? ' (note: system: selective checks nothing in an untagged system prompt)' : ''}.`,
  );
  return { system: mode, messages: mode };
}

function smokeCase(c: RawSmokeCase, path: string, dir: string, err: ErrFn, ctx: Ctx): SmokeCase {
  let content = c.content;
  if (c.contentFile !== undefined) {
    const p = resolve(dir, c.contentFile);
    if (!existsSync(p)) err(`${path}.contentFile`, `expected a text file relative to the environment file, but ${p} does not exist`);
    confine(p, `${path}.contentFile`, 'a smoke content file', ctx, err);
    if (!statSync(p).isFile()) err(`${path}.contentFile`, `expected a text file, but ${p} is not a regular file`);
    content = readFileSync(p, 'utf8');
    if (!content.trim()) err(`${path}.contentFile`, `expected non-empty content in ${p}`);
  }
  const out: SmokeCase = { id: c.id, surface: c.surface, model: c.model, content: content!, expect: c.expect };
  if (c.description !== undefined) out.description = c.description;
  if (c.tagged !== undefined) out.tagged = c.tagged;
  if (c.history !== undefined) out.history = c.history.map((t) => ({ ...t }));
  return out;
}

// ───────────────────────────── releases ─────────────────────────────

/**
 * Outside this project (no package.json with "type": "module" above it) a .ts definition is
 * compiled as CommonJS and its relative imports of modules/ do not resolve; Node's message for
 * that ("Cannot require() ES Module … in a cycle") does not say so.
 */
function moduleHint(e: unknown): string {
  const msg = String((e as Error)?.message ?? e);
  if (!/require\(\) ES Module|ERR_REQUIRE|Cannot find module|ERR_MODULE_NOT_FOUND/.test(msg)) return '';
  return (
    " — hint: .ts/.js definitions are ES modules that import this project's guardrail/ by relative path " +
    '(e.g. ../../../guardrail/index.js): keep the environment in environments/<name>/ of this project, ' +
    'or write the definition as .json/.yaml'
  );
}

/**
 * From source (tsx, ts-jest) a .ts definition imports like any module. The compiled CLI (dist/,
 * plain Node) cannot, so there the hooks of definition-hooks.ts are registered — only when a .ts
 * definition is read, so verbs that read none never load them (nor esbuild).
 */
let hooksRegistered = false;
async function importDefinition(absPath: string): Promise<unknown> {
  if (/\.ts$/.test(absPath) && !/\.ts$/.test(import.meta.url) && !hooksRegistered) {
    hooksRegistered = true;
    const { register } = await import('node:module');
    const { hooksRegistration } = await import('./definition-hooks.js');
    const { url, data } = hooksRegistration(PROJECT_ROOT, COMPILED_DIRS);
    register(url, { data });
  }
  return import(pathToFileURL(absPath).href);
}

/** Imports a definition module (.ts/.js) or reads a .json/.yaml one and validates it. */
export async function loadDefinitionFile(absPath: string, displayFile = absPath): Promise<GuardrailDefinition> {
  const ext = extname(absPath);
  let value: unknown;
  try {
    if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
      value = parseYaml(readFileSync(absPath, 'utf8'));
      return GuardrailDefinition.fromPlain(value, displayFile);
    }
    const mod = (await importDefinition(absPath)) as { default?: unknown };
    value = mod.default;
  } catch (e) {
    if (e instanceof GuardrailDefinitionError) throw new InputError(displayFile, e.path, e.expected);
    if (e instanceof InputError) throw e;
    throw new InputError(
      displayFile,
      undefined,
      `could not load the guardrail definition: ${(e as Error)?.message ?? String(e)}${moduleHint(e)}`,
    );
  }
  if (isGuardrailDefinition(value)) return value;
  if (value && typeof value === 'object') {
    try {
      return GuardrailDefinition.fromPlain(value, displayFile);
    } catch (e) {
      if (e instanceof GuardrailDefinitionError) throw new InputError(displayFile, e.path, e.expected);
      throw e;
    }
  }
  throw new InputError(
    displayFile,
    undefined,
    'expected the module to `export default` a GuardrailDefinition (new GuardrailDefinition({...}))',
  );
}

/** The definition's absolute path, checked: it exists, is a file, and lies inside the allowed directories. */
function definitionPath(r: { definition: string }, i: number, dir: string, ctx: Ctx, path = `releases[${i}].definition`): string {
  const abs = resolve(dir, r.definition);
  const err: ErrFn = (p, expected) => {
    throw new InputError(ctx.file, p, expected + lineOf(ctx.src, p));
  };
  if (!existsSync(abs)) {
    err(
      path,
      `expected a guardrail definition file relative to the environment file, but ${displayPath(abs, process.cwd())} does not exist`,
    );
  }
  confine(abs, path, 'a guardrail definition file', ctx, err);
  if (!statSync(abs).isFile())
    err(path, `expected a guardrail definition file, but ${displayPath(abs, process.cwd())} is not a regular file`);
  return abs;
}

/** A definition file imported and content-hashed (a release's or a team addition's); bad content names the file. */
async function loadHashedDefinition(abs: string, shown: string): Promise<{ definition: GuardrailDefinition; hash: string }> {
  const definition = await loadDefinitionFile(abs, shown);
  try {
    return { definition, hash: contentHash(definition.toSpec()) };
  } catch (e) {
    if (e instanceof GuardrailDefinitionError) throw new InputError(shown, e.path, e.expected);
    throw e;
  }
}

async function loadRelease(r: EnvironmentFile['releases'][number], i: number, dir: string, ctx: Ctx, warnings: string[]): Promise<Release> {
  const abs = definitionPath(r, i, dir, ctx);
  const shown = displayPath(abs, process.cwd());
  const { definition, hash } = await loadHashedDefinition(abs, shown);
  if (r.sha256 !== undefined && r.sha256 !== hash) {
    throw new InputError(
      ctx.file,
      `releases[${i}].sha256`,
      `release ${r.name} is immutable: definition changed (pinned sha256 ${r.sha256}, ${shown} now hashes to ${hash}). ` +
        `Publish the change as a new release instead${lineOf(ctx.src, `releases[${i}].sha256`)}`,
    );
  }
  if (definition.hasAutomatedReasoning) {
    warnings.push(
      `release ${r.name}: the guardrail has an Automated Reasoning policy, which organization enforcement does not support; it cannot be promoted`,
    );
  }
  if (!definition.isFrozen) definition.freeze();
  const out: Release = { name: r.name, definitionPath: abs, definition, contentHash: hash };
  if (r.description !== undefined) out.description = r.description;
  return out;
}

/** A team addition's definition: imported and hashed like a release's; Automated Reasoning is refused for enforcement. */
async function loadTeamDefinition(
  a: Omit<TeamAddition, 'definition' | 'contentHash' | 'definitionPath'>,
  raw: { definition: string },
  i: number,
  dir: string,
  ctx: Ctx,
  warnings: string[],
): Promise<TeamAddition> {
  const abs = definitionPath(raw, i, dir, ctx, `teamAdditions[${i}].definition`);
  const shown = displayPath(abs, process.cwd());
  const { definition, hash } = await loadHashedDefinition(abs, shown);
  if (definition.hasAutomatedReasoning) {
    warnings.push(
      `team addition ${a.id}: the guardrail has an Automated Reasoning policy, which enforcement does not support; it cannot be applied`,
    );
  }
  if (!definition.isFrozen) definition.freeze();
  return { ...a, definitionPath: abs, definition, contentHash: hash };
}
