/**
 * Effective BEDROCK_POLICY per account (the emulator's own inheritance,
 * sandbox/organizations/inheritance.ts) and its validation, as Organizations' invalid
 * effective policy alerts report it:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_invalid_policy_alerts.html
 * The identifier checks need the world (does the guardrail version exist in the management
 * account, in the region of its key); the form checks read the document alone. Error codes are
 * the sandbox's own (AWS does not publish a list).
 */
import { GUARDRAIL_VERSION_PATTERN, MODEL_ID_PATTERN } from '../core/patterns.js';
import { effectivePolicyOf, type AttachedPolicy } from './organizations/inheritance.js';
import { ancestorsOf, type SandboxState } from './state.js';

export interface EffectiveValidationError {
  ErrorCode: string;
  ErrorMessage: string;
  PathToError: string;
  ContributingPolicies: string[];
}

/** The policies of a type with the targets they are attached to. */
export function attachedPolicies(state: SandboxState, type = 'BEDROCK_POLICY'): AttachedPolicy[] {
  return state.policies
    .filter((p) => p.type === type)
    .map((p) => ({ id: p.id, content: p.content, targets: state.attachments.filter((a) => a.policyId === p.id).map((a) => a.targetId) }));
}

/** The account's effective BEDROCK_POLICY; null when no policy of the type is on its path. */
export function effectiveFor(state: SandboxState, account: string): Record<string, unknown> | null {
  const org = state.organization;
  return effectivePolicyOf({ root: org.root.id, ous: org.ous, accounts: org.accounts }, attachedPolicies(state), account);
}

/** Policies of the type attached on the account's path (root → OUs → account). */
export function contributingPolicies(state: SandboxState, account: string, type = 'BEDROCK_POLICY'): string[] {
  const nodes = new Set([...ancestorsOf(state, account), account]);
  const ids = state.attachments.filter((a) => nodes.has(a.targetId)).map((a) => a.policyId);
  return [...new Set(ids)].filter((id) => state.policies.some((p) => p.id === id && p.type === type));
}

const IDENTIFIER_RE = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+):(.+)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateEffective(state: SandboxState, account: string): EffectiveValidationError[] {
  const doc = effectiveFor(state, account);
  if (!doc) return [];
  const contributing = contributingPolicies(state, account);
  const errors: EffectiveValidationError[] = [];
  const add = (code: string, path: string, message: string) => {
    if (!errors.some((e) => e.PathToError === path && e.ErrorMessage === message)) {
      errors.push({ ErrorCode: code, ErrorMessage: message, PathToError: path, ContributingPolicies: contributing });
    }
  };
  const mgmt = state.organization.masterAccountId;
  for (const { region, name, config } of configsOf(doc)) {
    const path = `bedrock.guardrail_inference.${region}.${name}.identifier`;
    const identifier = config.identifier;
    if (typeof identifier !== 'string') {
      add('MISSING_IDENTIFIER', path, 'identifier is required');
      continue;
    }
    const m = IDENTIFIER_RE.exec(identifier);
    if (!m) {
      add('INVALID_IDENTIFIER', path, `"${identifier}" is not a guardrail ARN followed by :<version>`);
      continue;
    }
    const [, arnRegion, owner, id, version] = m;
    if (!GUARDRAIL_VERSION_PATTERN.test(version)) {
      add('INVALID_GUARDRAIL_VERSION', path, `version "${version}" is not a published numeric version (DRAFT is not allowed)`);
      continue;
    }
    if (arnRegion !== region) {
      add('REGION_MISMATCH', path, `guardrail region ${arnRegion} does not match the policy key ${region}`);
      continue;
    }
    if (owner !== mgmt) {
      add('GUARDRAIL_NOT_OWNED_BY_MANAGEMENT_ACCOUNT', path, `guardrail owner ${owner} is not the management account ${mgmt}`);
      continue;
    }
    const g = state.guardrails.find((x) => x.owner === owner && x.region === arnRegion && x.id === id);
    if (!g) {
      add('GUARDRAIL_NOT_FOUND', path, `guardrail ${id} does not exist in ${owner} ${arnRegion}`);
      continue;
    }
    if (!g.versions.some((v) => v.version === version))
      add('GUARDRAIL_VERSION_NOT_FOUND', path, `guardrail ${id} has no version ${version}`);
  }
  for (const p of formProblems(doc)) add('INVALID_POLICY', p.path, p.message);
  return errors;
}

/** Every configuration object of the document, with its region and name. */
function configsOf(doc: Record<string, unknown>): { region: string; name: string; config: Record<string, unknown> }[] {
  const inference = isObject(doc.bedrock) ? doc.bedrock.guardrail_inference : undefined;
  if (!isObject(inference)) return [];
  const out: { region: string; name: string; config: Record<string, unknown> }[] = [];
  for (const [region, configs] of Object.entries(inference)) {
    if (!isObject(configs)) continue;
    for (const [name, config] of Object.entries(configs)) if (isObject(config)) out.push({ region, name, config });
  }
  return out;
}

const CONFIG_KEYS = ['identifier', 'selective_content_guarding', 'model_enforcement', 'input_tags'];
const CONFIG_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What an effective BEDROCK_POLICY must look like besides its identifier (checked above), from the
 * syntax page: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 * (the guarding modes, both model lists, model ids in Bedrock form, "ALL" only in included_models).
 * CreatePolicy already refuses unknown keys in each policy; an @@assign of a whole object can still
 * bring them into the effective document, so they are checked here too. Region keys are not
 * checked again: CreatePolicy refuses malformed ones, and an identifier naming another region or a
 * guardrail that does not exist is reported above.
 */
function formProblems(doc: Record<string, unknown>): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const problem = (path: string, message: string) => out.push({ path, message });
  for (const k of Object.keys(doc)) if (k !== 'bedrock') problem(k, 'unknown key; a BEDROCK_POLICY has only "bedrock"');
  if (!isObject(doc.bedrock)) {
    problem('bedrock', doc.bedrock === undefined ? 'missing' : 'expected an object');
    return out;
  }
  for (const k of Object.keys(doc.bedrock))
    if (k !== 'guardrail_inference') problem(`bedrock.${k}`, 'unknown key; expected "guardrail_inference"');
  const inference = doc.bedrock.guardrail_inference;
  if (!isObject(inference)) {
    problem('bedrock.guardrail_inference', inference === undefined ? 'missing' : 'expected an object');
    return out;
  }
  for (const [region, configs] of Object.entries(inference)) {
    const rPath = `bedrock.guardrail_inference.${region}`;
    if (!isObject(configs)) {
      problem(rPath, 'expected an object (region → configurations)');
      continue;
    }
    for (const [name, config] of Object.entries(configs)) {
      const at = `${rPath}.${name}`;
      if (!CONFIG_NAME_RE.test(name)) problem(at, `"${name}" is not a valid configuration name`);
      if (!isObject(config)) {
        problem(at, 'expected an object (a configuration)');
        continue;
      }
      for (const k of Object.keys(config))
        if (!CONFIG_KEYS.includes(k)) problem(`${at}.${k}`, `unknown key; expected one of ${CONFIG_KEYS.join(', ')}`);
      if ('selective_content_guarding' in config)
        guardingProblems(config.selective_content_guarding, `${at}.selective_content_guarding`, problem);
      if ('input_tags' in config) {
        if ('selective_content_guarding' in config)
          problem(`${at}.input_tags`, 'do not mix the legacy input_tags with selective_content_guarding in one configuration');
        oneOf(config.input_tags, ['honor', 'ignore'], `${at}.input_tags`, problem);
      }
      if ('model_enforcement' in config) modelProblems(config.model_enforcement, `${at}.model_enforcement`, problem);
    }
  }
  return out;
}

type Problem = (path: string, message: string) => void;

function guardingProblems(v: unknown, path: string, problem: Problem): void {
  if (!isObject(v)) {
    problem(path, 'expected an object');
    return;
  }
  for (const k of Object.keys(v)) {
    if (k === 'system' || k === 'messages') oneOf(v[k], ['comprehensive', 'selective'], `${path}.${k}`, problem);
    else problem(`${path}.${k}`, 'unknown key; expected "system" or "messages"');
  }
  if (!('system' in v) && !('messages' in v)) problem(path, 'needs at least one of "system" or "messages"');
}

function oneOf(v: unknown, values: string[], path: string, problem: Problem): void {
  if (typeof v === 'string' && values.includes(v)) return;
  problem(path, `${JSON.stringify(v)} is not one of ${values.map((x) => `"${x}"`).join(', ')} (lower case)`);
}

function modelProblems(v: unknown, path: string, problem: Problem): void {
  if (!isObject(v)) {
    problem(path, 'expected an object');
    return;
  }
  for (const k of Object.keys(v))
    if (k !== 'included_models' && k !== 'excluded_models')
      problem(`${path}.${k}`, 'unknown key; expected "included_models" and "excluded_models"');
  for (const list of ['included_models', 'excluded_models']) {
    if (!(list in v)) {
      problem(path, `model_enforcement needs both included_models and excluded_models (missing ${list})`);
      continue;
    }
    const models = v[list];
    if (!Array.isArray(models)) {
      problem(`${path}.${list}`, 'expected a list of model ids');
      continue;
    }
    models.forEach((m, i) => {
      const at = `${path}.${list}[${i}]`;
      if (m === 'ALL') {
        if (list !== 'included_models') problem(at, '"ALL" is only valid in included_models');
      } else if (typeof m !== 'string' || !MODEL_ID_PATTERN.test(m))
        problem(at, `${JSON.stringify(m)} is not a Bedrock foundation-model id (provider.model[:version], lower case)`);
    });
  }
}
