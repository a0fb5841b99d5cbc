/**
 * Validation of BEDROCK_POLICY documents: rejects what AWS would reject and what would break
 * every Bedrock call in scope (a bad identifier fails all Bedrock calls in the targeted accounts —
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html).
 * Pure: no I/O. Paths are dotted key paths inside the document.
 */
// Model-id and version patterns: one definition each, in the catalog (shared with the constructs and schema).
import { GUARDRAIL_VERSION_PATTERN, MODEL_ID_PATTERN } from '../core/patterns.js';
import { InputError } from '../core/errors.js';
import { BEDROCK_POLICY_MAX_CHARS } from '../core/limits.js';
import { APPEND, ASSIGN, CHILD_CONTROL, CONFIG_KEY, REMOVE } from './document.js';

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const CONFIG_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const GUARDRAIL_ARN = /^arn:(aws|aws-cn|aws-us-gov):bedrock:([^:]*):([^:]*):guardrail\/([^:/]+)(?::(.*))?$/;

export interface PolicyIssue {
  severity: 'error' | 'warning';
  /** Dotted path inside the document, e.g. bedrock.guardrail_inference.us-east-1.config_1.identifier */
  path: string;
  message: string;
  file?: string;
}

export interface ValidationContext {
  managementAccountId: string;
  /** Regions the environment manages; a region key outside them is an error (empty = any). */
  regions: string[];
  file?: string;
  /** Strings containing `${` are unresolved cdktf references: opaque, not pattern-checked. */
  allowTokens?: boolean;
}

type Mode = 'document' | 'effective';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Collector {
  readonly issues: PolicyIssue[] = [];
  constructor(
    readonly ctx: ValidationContext,
    readonly mode: Mode,
  ) {}
  error(path: string, message: string) {
    this.issues.push({ severity: 'error', path, message, ...(this.ctx.file ? { file: this.ctx.file } : {}) });
  }
  warn(path: string, message: string) {
    this.issues.push({ severity: 'warning', path, message, ...(this.ctx.file ? { file: this.ctx.file } : {}) });
  }
  opaque(v: unknown): boolean {
    return Boolean(this.ctx.allowTokens) && typeof v === 'string' && v.includes('${');
  }
}

const join = (a: string, b: string) => (a ? `${a}.${b}` : b);

/** Validates a policy document (with inheritance operators), as attached to a root, OU or account. */
export function validatePolicyDocument(doc: unknown, ctx: ValidationContext): PolicyIssue[] {
  const c = new Collector(ctx, 'document');
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch (e) {
      c.error('', `not valid JSON (${(e as Error).message})`);
      return c.issues;
    }
  }
  walkTop(c, parsed);
  const size = JSON.stringify(parsed ?? null).length;
  if (size > BEDROCK_POLICY_MAX_CHARS) {
    c.error('', `document is ${size} characters; Organizations accepts at most ${BEDROCK_POLICY_MAX_CHARS} (BEDROCK_POLICY_MAX_CHARS)`);
  }
  return c.issues;
}

/** Validates an effective policy (plain values, as DescribeEffectivePolicy shows it): complete configs required. */
export function validateEffectivePolicy(doc: unknown, ctx: ValidationContext): PolicyIssue[] {
  const c = new Collector(ctx, 'effective');
  walkTop(c, typeof doc === 'string' ? safeParse(doc) : doc);
  return c.issues;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export class PolicyValidationError extends InputError {
  constructor(
    readonly issues: PolicyIssue[],
    file: string | undefined,
  ) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      file,
      errors[0]?.path || '(document)',
      errors.length === 1
        ? errors[0].message
        : `${errors.length} problems: ${errors.map((e) => `${e.path || '(document)'}: ${e.message}`).join('; ')}`,
    );
    this.name = 'PolicyValidationError';
  }
}

/** Throws (InputError → exit 2) naming the file and the path of the first error; warnings do not throw. */
export function assertValidPolicy(doc: unknown, ctx: ValidationContext): void {
  const issues = validatePolicyDocument(doc, ctx);
  if (issues.some((i) => i.severity === 'error')) throw new PolicyValidationError(issues, ctx.file);
}

function checkChildControl(c: Collector, path: string, v: unknown): void {
  if (c.mode === 'effective') {
    c.error(path, 'effective policies carry no operators');
    return;
  }
  const allowed = ['@@all', '@@none', ASSIGN, APPEND, REMOVE];
  if (!Array.isArray(v) || v.length === 0) {
    c.error(path, `expected a non-empty list of ${allowed.join(', ')}`);
    return;
  }
  for (const [i, op] of v.entries())
    if (!allowed.includes(op as string))
      c.error(`${path}[${i}]`, `unknown operator ${JSON.stringify(op)}; expected one of ${allowed.join(', ')}`);
  if ((v.includes('@@none') || v.includes('@@all')) && v.length > 1) c.error(path, '@@all and @@none must be used alone');
}

/** Container keys: only the listed children, plus the child-control operator in documents. */
function containerKeys(c: Collector, path: string, v: unknown, what: string): Record<string, unknown> | undefined {
  if (!isObj(v)) {
    c.error(path, `expected an object (${what})`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === CHILD_CONTROL) checkChildControl(c, join(path, k), val);
    else if (k.startsWith('@@')) c.error(join(path, k), `operator ${k} is not allowed on ${what}; value operators belong on settings`);
    else out[k] = val;
  }
  return out;
}

function walkTop(c: Collector, doc: unknown): void {
  const top = containerKeys(c, '', doc, 'the policy document');
  if (!top) return;
  for (const k of Object.keys(top)) if (k !== 'bedrock') c.error(k, 'unknown key; a BEDROCK_POLICY has only "bedrock"');
  if (!('bedrock' in top)) {
    c.error('bedrock', 'missing');
    return;
  }
  const bedrock = containerKeys(c, 'bedrock', top.bedrock, '"bedrock"');
  if (!bedrock) return;
  for (const k of Object.keys(bedrock))
    if (k !== 'guardrail_inference') c.error(join('bedrock', k), 'unknown key; expected "guardrail_inference"');
  if (!('guardrail_inference' in bedrock)) {
    c.error('bedrock.guardrail_inference', 'missing');
    return;
  }
  const giPath = 'bedrock.guardrail_inference';
  const gi = containerKeys(c, giPath, bedrock.guardrail_inference, '"guardrail_inference"');
  if (!gi) return;
  for (const [region, block] of Object.entries(gi)) {
    const rPath = join(giPath, region);
    if (!REGION_PATTERN.test(region)) c.error(rPath, `"${region}" is not an AWS Region code (e.g. us-east-1)`);
    else if (c.ctx.regions.length && !c.ctx.regions.includes(region))
      c.error(rPath, `region ${region} is not one of the environment's regions (${c.ctx.regions.join(', ')})`);
    const configs = containerKeys(c, rPath, block, `region ${region}`);
    if (!configs) continue;
    const names = Object.keys(configs);
    if (names.length > 1) c.warn(rPath, `${names.length} configurations in one region; AWS documents only one (${CONFIG_KEY})`);
    for (const name of names) {
      const cPath = join(rPath, name);
      if (!CONFIG_NAME_PATTERN.test(name)) c.error(cPath, `"${name}" is not a valid configuration name`);
      else if (name !== CONFIG_KEY) c.warn(cPath, `configuration name "${name}"; every AWS example and this tool use "${CONFIG_KEY}"`);
      walkConfig(c, cPath, region, configs[name]);
    }
  }
}

/** Reads a setting: returns the value(s) per operator, reporting bare values / unknown operators. */
function setting(
  c: Collector,
  path: string,
  v: unknown,
  kind: 'scalar' | 'list',
): { assign?: unknown; append?: unknown; remove?: unknown; present: boolean } {
  if (c.mode === 'effective') return { assign: v, present: true };
  if (!isObj(v)) {
    c.error(
      path,
      `expected {"@@assign": …}; policy documents set values through inheritance operators (an effective policy cannot be attached as a policy)`,
    );
    return { present: false };
  }
  const out: { assign?: unknown; append?: unknown; remove?: unknown; present: boolean } = { present: false };
  let ops = 0;
  for (const [k, val] of Object.entries(v)) {
    const p = join(path, k);
    if (k === CHILD_CONTROL) checkChildControl(c, p, val);
    else if (k === ASSIGN) {
      out.assign = val;
      out.present = true;
      ops++;
    } else if (k === APPEND || k === REMOVE) {
      // https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html: @@append and
      // @@remove work "with only multi-valued settings".
      if (kind === 'scalar') {
        c.error(p, `${k} applies to lists only; use @@assign for this setting`);
        continue;
      }
      if (k === APPEND) out.append = val;
      else out.remove = val;
      out.present = true;
      ops++;
    } else if (k.startsWith('@@')) c.error(p, `unknown operator ${k}; expected @@assign, @@append, @@remove or ${CHILD_CONTROL}`);
    else c.error(p, `unknown key "${k}" inside a setting`);
  }
  if (ops > 1)
    c.warn(path, 'several value-setting operators on one setting; use one per setting (how Organizations orders them is undocumented)');
  return out;
}

function walkConfig(c: Collector, path: string, region: string, v: unknown): void {
  const cfg = containerKeys(c, path, v, 'a configuration');
  if (!cfg) return;
  const known = ['identifier', 'selective_content_guarding', 'model_enforcement', 'input_tags'];
  for (const k of Object.keys(cfg)) if (!known.includes(k)) c.error(join(path, k), `unknown key; expected one of ${known.join(', ')}`);

  let complete = false;
  if ('identifier' in cfg) {
    const p = join(path, 'identifier');
    const s = setting(c, p, cfg.identifier, 'scalar');
    if (s.assign !== undefined) {
      complete = true;
      checkIdentifier(c, c.mode === 'document' ? join(p, ASSIGN) : p, s.assign, region);
    }
  } else if (c.mode === 'effective')
    c.error(join(path, 'identifier'), 'missing: every enforced configuration needs a guardrail identifier');

  if ('selective_content_guarding' in cfg) {
    const p = join(path, 'selective_content_guarding');
    const scg = containerKeys(c, p, cfg.selective_content_guarding, 'selective_content_guarding');
    if (scg) {
      for (const k of Object.keys(scg)) {
        if (k !== 'system' && k !== 'messages') {
          c.error(join(p, k), 'unknown key; expected "system" or "messages"');
          continue;
        }
        const s = setting(c, join(p, k), scg[k], 'scalar');
        if (s.assign !== undefined)
          checkEnum(c, c.mode === 'document' ? join(join(p, k), ASSIGN) : join(p, k), s.assign, ['comprehensive', 'selective']);
      }
      if (!('system' in scg) && !('messages' in scg) && (c.mode === 'effective' || Object.keys(scg).length === 0)) {
        c.error(p, 'needs at least one of "system" or "messages"');
      }
    }
  }

  if ('input_tags' in cfg) {
    const p = join(path, 'input_tags');
    c.warn(p, 'legacy preview key input_tags; the GA schema uses selective_content_guarding (system/messages)');
    if ('selective_content_guarding' in cfg)
      c.error(p, 'do not mix the legacy input_tags with selective_content_guarding in one configuration');
    const s = setting(c, p, cfg.input_tags, 'scalar');
    if (s.assign !== undefined) checkEnum(c, c.mode === 'document' ? join(p, ASSIGN) : p, s.assign, ['honor', 'ignore']);
  }

  if ('model_enforcement' in cfg) {
    const p = join(path, 'model_enforcement');
    const me = containerKeys(c, p, cfg.model_enforcement, 'model_enforcement');
    if (me) {
      for (const k of Object.keys(me))
        if (k !== 'included_models' && k !== 'excluded_models')
          c.error(join(p, k), 'unknown key; expected "included_models" and "excluded_models"');
      const inc = 'included_models' in me ? setting(c, join(p, 'included_models'), me.included_models, 'list') : undefined;
      const exc = 'excluded_models' in me ? setting(c, join(p, 'excluded_models'), me.excluded_models, 'list') : undefined;
      const explicitIncluded = new Set<string>();
      const excluded = new Set<string>();
      for (const [name, s] of [
        ['included_models', inc],
        ['excluded_models', exc],
      ] as const) {
        if (!s) continue;
        for (const op of ['assign', 'append', 'remove'] as const) {
          if (s[op] === undefined) continue;
          const opPath = c.mode === 'document' ? join(join(p, name), `@@${op}`) : join(p, name);
          const models = checkModelList(c, opPath, s[op], name === 'included_models');
          if (op === 'remove') continue;
          for (const m of models) (name === 'included_models' ? explicitIncluded : excluded).add(m);
        }
      }
      // Both lists are required inside model_enforcement (Bedrock syntax page). In a policy document
      // this applies to a complete configuration (one that sets the identifier); an overlay such as
      // an exception may touch one list only.
      const needsBoth = c.mode === 'effective' || complete;
      if (needsBoth && (!inc?.present || !exc?.present)) {
        c.error(
          p,
          `model_enforcement needs both included_models and excluded_models (missing ${!inc?.present ? 'included_models' : 'excluded_models'})`,
        );
      }
      for (const m of explicitIncluded) {
        if (m !== 'ALL' && excluded.has(m))
          c.warn(join(p, 'excluded_models'), `model ${m} is both included and excluded explicitly; exclusion wins`);
      }
    }
  }
}

function checkEnum(c: Collector, path: string, v: unknown, values: string[]): void {
  if (c.opaque(v)) return;
  if (typeof v !== 'string') {
    c.error(path, `expected one of ${values.map((x) => `"${x}"`).join(', ')}`);
    return;
  }
  if (values.includes(v)) return;
  if (values.includes(v.toLowerCase())) {
    c.error(path, `"${v}" must be lower-case "${v.toLowerCase()}" in organization policies (the Bedrock API uses upper case)`);
  } else c.error(path, `"${v}" is not one of ${values.map((x) => `"${x}"`).join(', ')}`);
}

function checkModelList(c: Collector, path: string, v: unknown, included: boolean): string[] {
  if (!Array.isArray(v)) {
    c.error(path, 'expected a list of model ids');
    return [];
  }
  const out: string[] = [];
  v.forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (c.opaque(m)) return;
    if (typeof m !== 'string') {
      c.error(p, 'expected a model id string');
      return;
    }
    out.push(m);
    if (m === 'ALL') {
      if (!included) c.error(p, '"ALL" is only valid in included_models');
      return;
    }
    if (m.toUpperCase() === 'ALL') {
      c.error(p, `"${m}" must be upper-case "ALL"`);
      return;
    }
    if (MODEL_ID_PATTERN.test(m)) return;
    if (/^(us|eu|apac|ap|ca|jp|au|us-gov|global)\./.test(m))
      c.error(
        p,
        `"${m}" looks like an inference-profile id; model_enforcement takes foundation-model ids such as anthropic.claude-3-5-sonnet-20240620-v1:0`,
      );
    else if (m.startsWith('arn:')) c.error(p, `"${m}" is an ARN; model_enforcement takes foundation-model ids (provider.model[:version])`);
    else c.error(p, `"${m}" is not a Bedrock model id (provider.model[:version], lower-case)`);
  });
  return out;
}

function checkIdentifier(c: Collector, path: string, v: unknown, region: string): void {
  if (c.opaque(v)) return;
  const expected = `arn:aws:bedrock:${region}:${c.ctx.managementAccountId}:guardrail/<id>:<numeric version>`;
  if (typeof v !== 'string') {
    c.error(path, `expected a string ${expected}`);
    return;
  }
  const m = GUARDRAIL_ARN.exec(v);
  if (!m) {
    c.error(path, `"${v}" is not a guardrail ARN with version; expected ${expected}`);
    return;
  }
  const [, , arnRegion, account, id, version] = m;
  if (arnRegion !== region)
    c.error(
      path,
      `guardrail is in region "${arnRegion}" but sits under region key "${region}"; a guardrail must be used in its own region`,
    );
  if (account !== c.ctx.managementAccountId)
    c.error(
      path,
      `guardrail is owned by account "${account}"; organization policies can only reference guardrails of the management account ${c.ctx.managementAccountId}`,
    );
  if (!/^[a-z0-9]+$/.test(id)) c.error(path, `guardrail id "${id}" is not valid ([a-z0-9]+)`);
  if (version === undefined || version === '')
    c.error(path, `missing version: append ":<numeric version>" to the guardrail ARN (${expected})`);
  else if (version.toUpperCase() === 'DRAFT') c.error(path, 'DRAFT cannot be enforced; publish a version and reference it as :<number>');
  else if (!GUARDRAIL_VERSION_PATTERN.test(version)) c.error(path, `version "${version}" is not a published numeric version`);
}
