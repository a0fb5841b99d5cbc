/**
 * Which guardrails apply to one inference call, and what content each of them evaluates.
 * Pure functions over RuntimeWorld answers (no HTTP), so every rule is unit-testable.
 *
 * Rules (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html):
 * - three layers: organization policy (effective BEDROCK_POLICY, per region), account-level
 *   enforced configuration (per account and region), and the request's own guardrail; all that
 *   apply are evaluated (union, most restrictive wins);
 * - model_enforcement: absent ⇒ every model; included ["ALL"] or [] ⇒ every model; a model in
 *   both lists is excluded (exclusion wins);
 * - selective_content_guarding per surface (matrix in selectSegments).
 */
import { GUARDRAIL_VERSION_PATTERN } from '../../core/patterns.js';
import { AwsError } from '../errors.js';
import { policyAllows } from '../rbp.js';
import type { CallerIdentity, GuardrailSnapshot, RuntimeWorld } from './context.js';

export type Origin = 'REQUEST' | 'ACCOUNT_ENFORCED' | 'ORGANIZATION_ENFORCED';
export type Mode = 'SELECTIVE' | 'COMPREHENSIVE';
export interface Modes {
  system: Mode;
  messages: Mode;
}
/**
 * How a guardrail picks content: enforced guardrails use their modes; a request guardrail on
 * Converse behaves like SELECTIVE/SELECTIVE (system only via guardContent, messages tagged-or-all);
 * a request guardrail on InvokeModel evaluates tagged text if any tag is present, else everything.
 */
export type SelectionRule = Modes | 'TAGGED_OR_ALL';
export const CONVERSE_REQUEST_RULE: Modes = { system: 'SELECTIVE', messages: 'SELECTIVE' };

export interface GuardrailRef {
  origin: Origin;
  identifier: string;
  version: string;
  rule: SelectionRule;
  models?: { included: string[]; excluded: string[] };
  /** Where it came from, for error messages: "organization policy us-east-1.config_1". */
  where: string;
  /** Set when the reference itself is malformed (e.g. an org identifier without ":<version>"). */
  invalid?: string;
}

export interface AppliedGuardrail {
  snapshot: GuardrailSnapshot;
  origins: Origin[];
  rules: SelectionRule[];
  ownership: 'SELF' | 'CROSS_ACCOUNT';
}

/** One piece of prompt text, on a surface, tagged (guardContent / guard tags) or not. */
export interface Segment {
  surface: 'system' | 'message';
  text: string;
  tagged: boolean;
  qualifiers?: string[];
  role?: string;
  /** Index of the message it belongs to (system segments: -1). */
  message: number;
}

const unwrap = (v: unknown): unknown =>
  v && typeof v === 'object' && !Array.isArray(v) && '@@assign' in (v as object) ? (v as Record<string, unknown>)['@@assign'] : v;
const strList = (v: unknown): string[] => {
  const u = unwrap(v);
  return Array.isArray(u) ? u.map(String) : typeof u === 'string' ? [u] : [];
};
function mode(v: unknown): Mode | undefined {
  const s = unwrap(v);
  if (typeof s !== 'string') return undefined;
  const up = s.toUpperCase();
  return up === 'SELECTIVE' || up === 'COMPREHENSIVE' ? up : undefined;
}

/** Organization-enforced references from the caller's effective BEDROCK_POLICY for the region. */
export function organizationRefs(policy: Record<string, unknown> | null, region: string): GuardrailRef[] {
  const bedrock = unwrap(policy?.bedrock) as Record<string, unknown> | undefined;
  const inference = unwrap(bedrock?.guardrail_inference) as Record<string, unknown> | undefined;
  const regional = unwrap(inference?.[region]) as Record<string, unknown> | undefined;
  if (!regional || typeof regional !== 'object') return [];
  const refs: GuardrailRef[] = [];
  for (const key of Object.keys(regional).sort()) {
    const cfg = unwrap(regional[key]) as Record<string, unknown>;
    if (!cfg || typeof cfg !== 'object') continue;
    const where = `organization policy ${region}.${key}`;
    const identifier = unwrap(cfg.identifier);
    // GA schema: selective_content_guarding; the preview key input_tags is read only when it is absent
    // (honor ≈ selective/selective, ignore ≈ comprehensive/comprehensive).
    const scg = unwrap(cfg.selective_content_guarding) as Record<string, unknown> | undefined;
    let modes: Modes = { system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' };
    if (scg && typeof scg === 'object') {
      modes = { system: mode(scg.system) ?? 'COMPREHENSIVE', messages: mode(scg.messages) ?? 'COMPREHENSIVE' };
    } else {
      const tags = unwrap(cfg.input_tags);
      if (typeof tags === 'string' && tags.toLowerCase() === 'honor') modes = { system: 'SELECTIVE', messages: 'SELECTIVE' };
    }
    const me = unwrap(cfg.model_enforcement) as Record<string, unknown> | undefined;
    const models =
      me && typeof me === 'object' ? { included: strList(me.included_models), excluded: strList(me.excluded_models) } : undefined;
    // The identifier is the guardrail ARN plus ":<numeric version>"; split at the last ':'.
    const id = typeof identifier === 'string' ? identifier : '';
    const cut = id.lastIndexOf(':');
    const arn = cut > 0 ? id.slice(0, cut) : id;
    const version = cut > 0 ? id.slice(cut + 1) : '';
    let invalid: string | undefined;
    if (!/^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]+$/.test(arn)) invalid = `malformed identifier "${id}"`;
    else if (!GUARDRAIL_VERSION_PATTERN.test(version))
      invalid = `identifier "${id}" must end with ":<numeric version>" (DRAFT is not allowed)`;
    refs.push({ origin: 'ORGANIZATION_ENFORCED', identifier: arn, version, rule: modes, models, where, invalid });
  }
  return refs;
}

/** The account-level enforced configuration of the caller for the region, if any. */
export function accountRefs(world: RuntimeWorld, account: string, region: string): GuardrailRef[] {
  const e = world.accountEnforcement(account, region);
  if (!e) return [];
  const invalid = GUARDRAIL_VERSION_PATTERN.test(e.guardrailVersion)
    ? undefined
    : `version "${e.guardrailVersion}" is not a numeric version`;
  return [
    {
      origin: 'ACCOUNT_ENFORCED',
      identifier: e.guardrailIdentifier,
      version: e.guardrailVersion,
      rule: {
        system: e.selectiveContentGuarding?.system ?? 'COMPREHENSIVE',
        messages: e.selectiveContentGuarding?.messages ?? 'COMPREHENSIVE',
      },
      models: e.modelEnforcement ? { included: e.modelEnforcement.includedModels, excluded: e.modelEnforcement.excludedModels } : undefined,
      where: `account-level enforced configuration ${e.configId}`,
      invalid,
    },
  ];
}

export function enforcedRefs(world: RuntimeWorld, account: string, region: string): GuardrailRef[] {
  return [...organizationRefs(world.effectivePolicy(account), region), ...accountRefs(world, account, region)];
}

const GEO_PREFIX = /^(?:us|eu|apac|ap|global|ca|jp|au|us-gov)\./;
/**
 * The foundation-model id behind a model identifier: bare ids stay, foundation-model ARNs and
 * system inference profiles (us.…, eu.…, global.…) map to the model id. Matching enforced lists on
 * the underlying model is an inferred reading: AWS does not say how inference-profile ids and ARNs
 * match the lists (docs/evaluator.md, "Enforcement semantics", item 2).
 */
export function underlyingModelId(modelId: string): string {
  let id = modelId;
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/.exec(id);
  if (arn) id = arn[1];
  return id.replace(GEO_PREFIX, '');
}

/** Does an enforced guardrail apply to the called model? Absent/[]/["ALL"] ⇒ all; exclusion wins. */
export function appliesToModel(models: GuardrailRef['models'], modelId: string): boolean {
  if (!models) return true;
  const ids = new Set([modelId, underlyingModelId(modelId)]);
  if (models.excluded.some((m) => ids.has(m))) return false;
  if (models.included.length === 0 || models.included.includes('ALL')) return true;
  return models.included.some((m) => ids.has(m));
}

const arnRegion = (arn: string) => arn.split(':')[3];

/** Does the caller's identity policy allow `action`? (IAM: actions are case-insensitive; trailing "*" wildcards.) */
export function identityAllows(identity: CallerIdentity | undefined, action: string): boolean {
  const allowed = identity?.actions;
  if (!allowed) return true;
  const a = action.toLowerCase();
  return allowed.some((p) => {
    const q = p.toLowerCase();
    return q === '*' || q === a || (q.endsWith('*') && a.startsWith(q.slice(0, -1)));
  });
}

/**
 * Throws AccessDeniedException (AWS's text) unless the caller's identity-based policy allows
 * `action` on `resource`: for a role session the message names the assumed role.
 */
export function requireIdentity(identity: CallerIdentity | undefined, action: string, resource: string, context?: string): void {
  if (identityAllows(identity, action)) return;
  throw new AwsError(
    'AccessDeniedException',
    403,
    `User: ${identity!.arn} is not authorized to perform: ${action} on resource: ${resource} ` +
      `because no identity-based policy allows the ${action} action${context ? ` (${context})` : ''}`,
  );
}

/**
 * Throws AccessDeniedException unless the caller may use the guardrail. Across accounts a caller
 * needs both the guardrail's resource-based policy and an identity policy allowing
 * bedrock:ApplyGuardrail (docs/aws-facts.md#supported-statement-patterns); in the owning account the
 * identity policy (the sandbox does not let an org-wide `*` statement stand in for it there).
 */
export function checkAccess(
  world: RuntimeWorld,
  g: GuardrailSnapshot,
  caller: string,
  context: string,
  identity?: CallerIdentity,
): 'SELF' | 'CROSS_ACCOUNT' {
  if (g.ownerAccount === caller) {
    requireIdentity(identity, 'bedrock:ApplyGuardrail', g.guardrailArn, context);
    return 'SELF';
  }
  const allowed = policyAllows(
    world.resourcePolicy(g.guardrailArn),
    'bedrock:ApplyGuardrail',
    { account: caller, orgId: world.isOrgMember(caller) ? world.organizationId() : undefined, orgPath: world.orgPathOf(caller) },
    { resourceArn: g.guardrailArn, owner: g.ownerAccount, orgId: world.organizationId() },
  );
  if (!allowed) {
    throw new AwsError(
      'AccessDeniedException',
      403,
      `User: ${identity?.arn ?? `arn:aws:iam::${caller}:root`} is not authorized to perform: bedrock:ApplyGuardrail on resource: ${g.guardrailArn} ` +
        `because no resource-based policy allows the bedrock:ApplyGuardrail action (${context}).`,
    );
  }
  requireIdentity(identity, 'bedrock:ApplyGuardrail', g.guardrailArn, context);
  return 'CROSS_ACCOUNT';
}

/**
 * Resolves the enforced references for a call. Fail-closed: an enforced identifier that does not
 * resolve (typo, DRAFT, deleted version, other region) fails every inference call of the account
 * in that region, whatever the model (failure stories 2 and 6). Returns the guardrails that apply
 * to the model, with access checked (failure story 1).
 */
export function resolveEnforced(
  world: RuntimeWorld,
  caller: string,
  region: string,
  modelId: string,
): { ref: GuardrailRef; snapshot: GuardrailSnapshot }[] {
  const out: { ref: GuardrailRef; snapshot: GuardrailSnapshot }[] = [];
  const management = world.managementAccountId?.();
  for (const ref of enforcedRefs(world, caller, region)) {
    // An organization policy can only reference a guardrail of the management account
    // (orgs_manage_policies_bedrock_syntax.html); any other owner is an incorrect identifier,
    // which fails closed like the others (AWS: "all Amazon Bedrock API calls … fail").
    if (!ref.invalid && ref.origin === 'ORGANIZATION_ENFORCED' && management) {
      const owner = ref.identifier.split(':')[4];
      if (owner !== management) ref.invalid = `guardrail owner ${owner} is not the management account ${management}`;
    }
    const snapshot = ref.invalid ? undefined : world.findGuardrail(ref.identifier, ref.version, caller, region);
    if (
      !snapshot ||
      snapshot.version === 'DRAFT' ||
      snapshot.region !== region ||
      (ref.identifier.startsWith('arn:') && arnRegion(ref.identifier) !== region)
    ) {
      throw new AwsError(
        'ValidationException',
        400,
        `The guardrail identifier or version provided in the ${ref.where} does not exist in ${region}: ` +
          `${ref.identifier}${ref.version ? `:${ref.version}` : ''}${ref.invalid ? ` (${ref.invalid})` : ''}. ` +
          'Every Bedrock inference call in scope fails until the enforced configuration is fixed.',
      );
    }
    out.push({ ref, snapshot });
  }
  return out.filter(({ ref }) => appliesToModel(ref.models, modelId));
}

/** Resolves a request guardrail (Converse guardrailConfig / InvokeModel headers). */
export function resolveRequest(
  world: RuntimeWorld,
  caller: string,
  region: string,
  identifier: string,
  version: string,
): GuardrailSnapshot {
  const snapshot = world.findGuardrail(identifier, version, caller, region);
  if (!snapshot || snapshot.region !== region) {
    throw new AwsError(
      'ValidationException',
      400,
      `The guardrail identifier or version provided in the request does not exist: ${identifier}:${version}.`,
    );
  }
  return snapshot;
}

/**
 * Every guardrail that runs for the call, deduplicated by ARN + version (the same guardrail via
 * two origins is evaluated once, its origins listed together), ordered organization → account →
 * request. Access is checked for each; automated-reasoning guardrails cannot be enforced.
 */
export function applicableGuardrails(
  world: RuntimeWorld,
  caller: string,
  region: string,
  modelId: string,
  request: { identifier: string; version: string; rule: SelectionRule } | undefined,
  identity?: CallerIdentity,
): AppliedGuardrail[] {
  const entries = resolveEnforced(world, caller, region, modelId).map((e) => ({
    ...e,
    rule: e.ref.rule,
    origin: e.ref.origin,
    where: e.ref.where,
  }));
  if (request) {
    const snapshot = resolveRequest(world, caller, region, request.identifier, request.version);
    entries.push({ ref: undefined as never, snapshot, rule: request.rule, origin: 'REQUEST', where: 'request guardrail' });
  }
  const byKey = new Map<string, AppliedGuardrail>();
  for (const e of entries) {
    if (e.origin !== 'REQUEST' && (e.snapshot.config.automatedReasoningPolicyConfig?.policies?.length ?? 0) > 0) {
      throw new AwsError(
        'ValidationException',
        400,
        `The guardrail ${e.snapshot.guardrailArn}:${e.snapshot.version} enforced by the ${e.where} contains an Automated Reasoning policy, ` +
          'which enforced guardrails do not support.',
      );
    }
    const key = `${e.snapshot.guardrailArn}:${e.snapshot.version}`;
    const ownership = checkAccess(world, e.snapshot, caller, e.where, identity);
    const seen = byKey.get(key);
    if (seen) {
      if (!seen.origins.includes(e.origin)) seen.origins.push(e.origin);
      seen.rules.push(e.rule);
    } else {
      byKey.set(key, { snapshot: e.snapshot, origins: [e.origin], rules: [e.rule], ownership });
    }
  }
  return [...byKey.values()];
}

/**
 * The segments a guardrail evaluates under one rule (the selective/comprehensive matrix of
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html, as
 * docs/evaluator.md "Enforcement semantics", item 3, spells it out):
 * system COMPREHENSIVE → all system text; SELECTIVE → tagged system text only (none if untagged);
 * messages COMPREHENSIVE → all message text (every turn); SELECTIVE → tagged message text, or all
 * messages when no message is tagged.
 */
export function selectSegments(segments: Segment[], rule: SelectionRule): number[] {
  const idx = segments.map((_, i) => i);
  if (rule === 'TAGGED_OR_ALL') {
    const tagged = idx.filter((i) => segments[i].tagged);
    return tagged.length > 0 ? tagged : idx;
  }
  const sys = idx.filter((i) => segments[i].surface === 'system');
  const msg = idx.filter((i) => segments[i].surface === 'message');
  const pickSys = rule.system === 'COMPREHENSIVE' ? sys : sys.filter((i) => segments[i].tagged);
  const taggedMsg = msg.filter((i) => segments[i].tagged);
  const pickMsg = rule.messages === 'COMPREHENSIVE' || taggedMsg.length === 0 ? msg : taggedMsg;
  return [...pickSys, ...pickMsg].sort((a, b) => a - b);
}

/** Union of the selections of every origin through which a guardrail applies. */
export function selectForGuardrail(segments: Segment[], g: AppliedGuardrail): number[] {
  const set = new Set<number>();
  for (const r of g.rules) for (const i of selectSegments(segments, r)) set.add(i);
  return [...set].sort((a, b) => a - b);
}
