/**
 * AWS Organizations (awsJson1_1): the organization tree, policies, attachments and effective
 * policies. Shapes and errors: https://docs.aws.amazon.com/organizations/latest/APIReference/
 * Timestamps are epoch seconds (JSON numbers), member names PascalCase.
 */
import { BEDROCK_POLICY_MAX_CHARS } from '../../policy/validate.js';
import { AwsError } from '../errors.js';
import { contributingPolicies, effectiveFor, validateEffective } from '../effective.js';
import { json, paginate, type SvcRequest } from '../protocol.js';
import { accountById, isPolicyTypeEnabled, nextId, orgPathOf, ouById, type PolicyRecord, type SandboxState } from '../state.js';
import { iso, type HandlerResult, type ServiceContext } from './common.js';

const CT = 'application/x-amz-json-1.1';

export const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY',
  'INSPECTOR_POLICY',
  'UPGRADE_ROLLOUT_POLICY',
  'BEDROCK_POLICY',
  'S3_POLICY',
  'NETWORK_SECURITY_DIRECTOR_POLICY',
];
/** DescribeEffectivePolicy covers management policies only (no SCP / RCP). */
const EFFECTIVE_POLICY_TYPES = POLICY_TYPES.filter((t) => t !== 'SERVICE_CONTROL_POLICY' && t !== 'RESOURCE_CONTROL_POLICY');

/** Operations any organization member may call; all others are management-account only. */
const MEMBER_OPERATIONS = new Set(['DescribeOrganization', 'DescribeEffectivePolicy']);

type Input = Record<string, unknown>;

const invalid = (reason: string, message: string) => new AwsError('InvalidInputException', 400, message, { Reason: reason });

function str(
  input: Input,
  key: string,
  opts: { required?: boolean; pattern?: RegExp; reason?: string; min?: number; max?: number } = {},
): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) {
    if (opts.required) throw invalid('INPUT_REQUIRED', `You must specify a value for ${key}.`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalid('INVALID_INPUT', `${key} must be a string.`);
  if (opts.min !== undefined && v.length < opts.min)
    throw invalid('MIN_LENGTH_EXCEEDED', `${key} must be at least ${opts.min} characters.`);
  if (opts.max !== undefined && v.length > opts.max) throw invalid('MAX_LENGTH_EXCEEDED', `${key} must be at most ${opts.max} characters.`);
  if (opts.pattern && !opts.pattern.test(v)) throw invalid(opts.reason ?? 'INVALID_PATTERN', `The value "${v}" for ${key} is not valid.`);
  return v;
}

function policyType(input: Input, key: string, allowed = POLICY_TYPES): string {
  const t = str(input, key, { required: true })!;
  if (!allowed.includes(t)) throw invalid('INVALID_ENUM_POLICY_TYPE', `The policy type ${t} is not valid for this operation.`);
  return t;
}

const ROOT_RE = /^r-[0-9a-z]{4,32}$/;
const ACCOUNT_RE = /^\d{12}$/;
const POLICY_RE = /^p-[0-9a-zA-Z_]{8,128}$/;
const TARGET_RE = /^(r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

const epoch = (isoTime: string) => Math.floor(Date.parse(isoTime) / 1000);

function page<T>(input: Input, items: T[]) {
  const max = input.MaxResults as number | undefined;
  return paginate(items, input.NextToken as string | undefined, max, {
    defaultMax: 20,
    cap: 20,
    invalid: (m) => invalid(m.includes('token') ? 'INVALID_NEXT_TOKEN' : 'INVALID_INPUT', m),
  });
}

export function handleOrganizations(ctx: ServiceContext, req: SvcRequest): HandlerResult {
  const { state } = ctx;
  let input: Input;
  try {
    input = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Input) : {};
  } catch {
    throw new AwsError('SerializationException', 400, 'Could not parse the request body as JSON.');
  }
  const caller = req.caller.account;
  if (!accountById(state, caller)) {
    throw new AwsError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
  }
  const isManagement = caller === state.organization.masterAccountId;
  if (!isManagement && !MEMBER_OPERATIONS.has(req.operation)) {
    throw new AwsError(
      'AccessDeniedException',
      400,
      `You don't have permissions to access this resource. ${req.operation} can be called only from the organization's management account.`,
    );
  }
  const ok = (body: unknown, mutated = false): HandlerResult => ({ response: json(200, body ?? {}, CT), mutated });
  const org = state.organization;
  const now = iso(ctx.now());

  switch (req.operation) {
    case 'DescribeOrganization':
      return ok({
        Organization: {
          Id: org.id,
          Arn: `arn:aws:organizations::${org.masterAccountId}:organization/${org.id}`,
          FeatureSet: org.featureSet,
          MasterAccountArn: `arn:aws:organizations::${org.masterAccountId}:account/${org.id}/${org.masterAccountId}`,
          MasterAccountId: org.masterAccountId,
          MasterAccountEmail: org.masterAccountEmail,
          AvailablePolicyTypes: org.root.policyTypes,
        },
      });

    case 'ListRoots': {
      const p = page(input, [rootShape(state)]);
      return ok({ Roots: p.page, NextToken: p.nextToken });
    }

    case 'ListOrganizationalUnitsForParent': {
      const parent = str(input, 'ParentId', {
        required: true,
        pattern: /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
        reason: 'INVALID_PATTERN',
      })!;
      requireParent(state, parent);
      const p = page(
        input,
        org.ous.filter((o) => o.parent === parent).map((o) => ouShape(state, o.id)),
      );
      return ok({ OrganizationalUnits: p.page, NextToken: p.nextToken });
    }

    case 'ListAccountsForParent': {
      const parent = str(input, 'ParentId', { required: true, pattern: /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/ })!;
      requireParent(state, parent);
      const p = page(
        input,
        org.accounts.filter((a) => a.parent === parent).map((a) => accountShape(state, a.id)),
      );
      return ok({ Accounts: p.page, NextToken: p.nextToken });
    }

    case 'ListAccounts': {
      const p = page(
        input,
        org.accounts.map((a) => accountShape(state, a.id)),
      );
      return ok({ Accounts: p.page, NextToken: p.nextToken });
    }

    case 'ListParents': {
      const child = str(input, 'ChildId', {
        required: true,
        pattern: /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/,
        reason: 'INVALID_PATTERN',
      })!;
      const parent = accountById(state, child)?.parent ?? ouById(state, child)?.parent;
      if (!parent)
        throw new AwsError(
          'ChildNotFoundException',
          400,
          `We can't find an organizational unit (OU) or account with the ChildId ${child}.`,
        );
      const p = page(input, [{ Id: parent, Type: parent === org.root.id ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }]);
      return ok({ Parents: p.page, NextToken: p.nextToken });
    }

    case 'EnablePolicyType':
    case 'DisablePolicyType': {
      const rootId = str(input, 'RootId', { required: true, pattern: ROOT_RE, reason: 'INVALID_PATTERN' })!;
      const type = policyType(input, 'PolicyType');
      if (rootId !== org.root.id) throw new AwsError('RootNotFoundException', 400, `We can't find a root with the RootId ${rootId}.`);
      const enabled = isPolicyTypeEnabled(state, type);
      if (req.operation === 'EnablePolicyType') {
        if (enabled) throw new AwsError('PolicyTypeAlreadyEnabledException', 400, 'The specified policy type is already enabled.');
        // Real Organizations goes through PENDING_ENABLE; the sandbox enables synchronously.
        org.root.policyTypes.push({ Type: type, Status: 'ENABLED' });
      } else {
        if (!enabled)
          throw new AwsError('PolicyTypeNotEnabledException', 400, 'This operation can be performed only for enabled policy types.');
        org.root.policyTypes = org.root.policyTypes.filter((p) => p.Type !== type);
        // Disabling a policy type detaches every policy of that type.
        // https://docs.aws.amazon.com/organizations/latest/APIReference/API_DisablePolicyType.html
        const ofType = new Set(state.policies.filter((p) => p.type === type).map((p) => p.id));
        state.attachments = state.attachments.filter((a) => !ofType.has(a.policyId));
      }
      return ok({ Root: rootShape(state) }, true);
    }

    case 'CreatePolicy': {
      const name = str(input, 'Name', { required: true, min: 1, max: 128 })!;
      const description = str(input, 'Description', { required: true, max: 512 })!;
      const type = policyType(input, 'Type');
      const content = str(input, 'Content', { required: true, min: 1, max: 1_000_000 })!;
      checkContent(type, content);
      if (state.policies.some((p) => p.type === type && p.name === name)) {
        throw new AwsError('DuplicatePolicyException', 400, 'A policy with the same name already exists.');
      }
      const policy: PolicyRecord = {
        id: `p-${nextId(state, 'policy', 8)}`,
        name,
        description,
        type,
        content,
        awsManaged: false,
        updatedAt: now,
      };
      state.policies.push(policy);
      return ok({ Policy: policyShape(state, policy) }, true);
    }

    case 'UpdatePolicy': {
      const policy = requirePolicy(state, input);
      const name = str(input, 'Name', { min: 1, max: 128 });
      const description = str(input, 'Description', { max: 512 });
      const content = str(input, 'Content', { min: 1, max: 1_000_000 });
      if (content !== undefined) checkContent(policy.type, content);
      if (name !== undefined && name !== policy.name && state.policies.some((p) => p.type === policy.type && p.name === name)) {
        throw new AwsError('DuplicatePolicyException', 400, 'A policy with the same name already exists.');
      }
      if (name !== undefined) policy.name = name;
      if (description !== undefined) policy.description = description;
      if (content !== undefined) policy.content = content;
      policy.updatedAt = now;
      return ok({ Policy: policyShape(state, policy) }, true);
    }

    case 'DeletePolicy': {
      const policy = requirePolicy(state, input);
      if (state.attachments.some((a) => a.policyId === policy.id)) {
        throw new AwsError(
          'PolicyInUseException',
          400,
          'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
        );
      }
      state.policies = state.policies.filter((p) => p.id !== policy.id);
      return ok({}, true);
    }

    case 'DescribePolicy':
      return ok({ Policy: policyShape(state, requirePolicy(state, input)) });

    case 'ListPolicies': {
      const type = policyType(input, 'Filter');
      const p = page(
        input,
        state.policies.filter((x) => x.type === type).map((x) => summaryShape(state, x)),
      );
      return ok({ Policies: p.page, NextToken: p.nextToken });
    }

    case 'AttachPolicy':
    case 'DetachPolicy': {
      const policy = requirePolicy(state, input);
      const target = str(input, 'TargetId', { required: true, pattern: TARGET_RE, reason: 'INVALID_PATTERN_TARGET_ID' })!;
      requireTarget(state, target);
      const attached = state.attachments.some((a) => a.policyId === policy.id && a.targetId === target);
      if (req.operation === 'AttachPolicy') {
        if (!isPolicyTypeEnabled(state, policy.type)) {
          throw new AwsError('PolicyTypeNotEnabledException', 400, 'This operation can be performed only for enabled policy types.');
        }
        if (attached)
          throw new AwsError('DuplicatePolicyAttachmentException', 400, 'The selected policy is already attached to the specified target.');
        state.attachments.push({ policyId: policy.id, targetId: target, attachedAt: now });
      } else {
        if (!attached)
          throw new AwsError('PolicyNotAttachedException', 400, "The policy isn't attached to the specified target in the specified root.");
        state.attachments = state.attachments.filter((a) => !(a.policyId === policy.id && a.targetId === target));
      }
      return ok({}, true);
    }

    case 'ListTargetsForPolicy': {
      const policy = requirePolicy(state, input);
      const targets = state.attachments.filter((a) => a.policyId === policy.id).map((a) => targetShape(state, a.targetId));
      const p = page(input, targets);
      return ok({ Targets: p.page, NextToken: p.nextToken });
    }

    case 'ListPoliciesForTarget': {
      const target = str(input, 'TargetId', { required: true, pattern: TARGET_RE, reason: 'INVALID_PATTERN_TARGET_ID' })!;
      const type = policyType(input, 'Filter');
      requireTarget(state, target);
      const ids = state.attachments.filter((a) => a.targetId === target).map((a) => a.policyId);
      const list = ids.map((id) => state.policies.find((p) => p.id === id)!).filter((p) => p && p.type === type);
      const p = page(
        input,
        list.map((x) => summaryShape(state, x)),
      );
      return ok({ Policies: p.page, NextToken: p.nextToken });
    }

    case 'DescribeEffectivePolicy': {
      const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
      const target = str(input, 'TargetId', { pattern: TARGET_RE, reason: 'INVALID_PATTERN_TARGET_ID' }) ?? caller;
      if (!ACCOUNT_RE.test(target)) {
        throw invalid(
          'TARGET_NOT_SUPPORTED',
          "You can't perform the operation on the requested target type. Effective policies are available for accounts only.",
        );
      }
      if (!accountById(state, target))
        throw new AwsError('TargetNotFoundException', 400, `We can't find a root, OU, account, or policy with the TargetId ${target}.`);
      if (!isManagement && target !== caller) {
        throw new AwsError(
          'AccessDeniedException',
          400,
          "You don't have permissions to access this resource. A member account can view only its own effective policy.",
        );
      }
      const notFound = () =>
        new AwsError('EffectivePolicyNotFoundException', 400, "We can't find an effective policy of the specified type for the target.");
      if (!isPolicyTypeEnabled(state, type)) throw notFound();
      if (type !== 'BEDROCK_POLICY') throw notFound();
      const doc = effectiveFor(state, ctx.engine, target);
      if (!doc) throw notFound();
      return ok({
        EffectivePolicy: {
          PolicyContent: JSON.stringify(doc),
          LastUpdatedTimestamp: lastChange(state, target),
          TargetId: target,
          PolicyType: type,
        },
      });
    }

    case 'ListAccountsWithInvalidEffectivePolicy': {
      const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
      const bad =
        type === 'BEDROCK_POLICY' && isPolicyTypeEnabled(state, type)
          ? org.accounts.filter((a) => validateEffective(state, ctx.engine, a.id).length > 0)
          : [];
      const p = page(
        input,
        bad.map((a) => accountShape(state, a.id)),
      );
      return ok({ Accounts: p.page, PolicyType: type, NextToken: p.nextToken });
    }

    case 'ListEffectivePolicyValidationErrors': {
      const account = str(input, 'AccountId', { required: true, pattern: ACCOUNT_RE })!;
      const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
      if (!accountById(state, account))
        throw new AwsError('AccountNotFoundException', 400, `We can't find an account with the AccountId ${account}.`);
      const errors = type === 'BEDROCK_POLICY' && isPolicyTypeEnabled(state, type) ? validateEffective(state, ctx.engine, account) : [];
      const p = page(input, errors);
      return ok({
        AccountId: account,
        PolicyType: type,
        Path: accountShape(state, account).Paths[0],
        EvaluationTimestamp: Math.floor(ctx.now() / 1000),
        EffectivePolicyValidationErrors: p.page,
        NextToken: p.nextToken,
      });
    }

    default:
      throw new AwsError('UnknownOperationException', 400, `The sandbox does not implement Organizations ${req.operation}.`);
  }
}

// ---- content checks ----

const OP_KEY = /^@@/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const CONFIG_KEYS = new Set(['identifier', 'selective_content_guarding', 'model_enforcement', 'input_tags']);

/**
 * Organizations refuses content that is not JSON or not the policy type's syntax
 * (MalformedPolicyDocumentException). Identifier semantics (DRAFT, region, existence) are not
 * checked here: AWS accepts such policies and reports them as invalid effective policies.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
export function checkContent(type: string, content: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw malformed('The policy content is not valid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('The policy content must be a JSON object.');
  if (type !== 'BEDROCK_POLICY') return;
  // Content submitted through the API counts as given (whitespace included). The BEDROCK_POLICY
  // limit is not published; the policy engine's assumed limit (that of the other declarative
  // types) is applied so an oversized document fails here as it would on AWS.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
  if (content.length > BEDROCK_POLICY_MAX_CHARS) {
    throw new AwsError(
      'ConstraintViolationException',
      400,
      `The policy content is ${content.length} characters; the maximum for this policy type is ${BEDROCK_POLICY_MAX_CHARS}.`,
      { Reason: 'POLICY_CONTENT_LIMIT_EXCEEDED' },
    );
  }
  const problem = bedrockShapeProblem(doc as Record<string, unknown>);
  if (problem) throw malformed(problem);
}

function malformed(message: string) {
  return new AwsError('MalformedPolicyDocumentException', 400, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function bedrockShapeProblem(doc: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(doc)) if (k !== 'bedrock') return `Unknown top-level key "${k}"; a Bedrock policy has only "bedrock".`;
  const bedrock = doc.bedrock;
  if (!isObject(bedrock)) return '"bedrock" must be an object.';
  for (const k of Object.keys(bedrock)) if (k !== 'guardrail_inference' && !OP_KEY.test(k)) return `Unknown key "bedrock.${k}".`;
  const gi = bedrock.guardrail_inference;
  if (gi === undefined) return 'Missing "bedrock.guardrail_inference".';
  if (!isObject(gi)) return '"bedrock.guardrail_inference" must be an object.';
  for (const [region, configs] of Object.entries(gi)) {
    if (OP_KEY.test(region)) continue;
    if (!REGION_RE.test(region)) return `"bedrock.guardrail_inference.${region}" is not a Region code.`;
    if (!isObject(configs)) return `"bedrock.guardrail_inference.${region}" must be an object.`;
    for (const [name, config] of Object.entries(configs)) {
      if (OP_KEY.test(name)) continue;
      const at = `bedrock.guardrail_inference.${region}.${name}`;
      if (!isObject(config)) return `"${at}" must be an object.`;
      for (const [key, value] of Object.entries(config)) {
        if (OP_KEY.test(key)) continue;
        if (!CONFIG_KEYS.has(key)) return `Unknown key "${at}.${key}".`;
        if (!isObject(value)) return `"${at}.${key}" must be an object.`;
      }
    }
  }
  return undefined;
}

// ---- shapes ----

function requirePolicy(state: SandboxState, input: Input): PolicyRecord {
  const id = str(input, 'PolicyId', { required: true, pattern: POLICY_RE, reason: 'INVALID_PATTERN' })!;
  const p = state.policies.find((x) => x.id === id);
  if (!p) throw new AwsError('PolicyNotFoundException', 400, `We can't find a policy with the PolicyId ${id}.`);
  return p;
}

function requireParent(state: SandboxState, id: string): void {
  if (id !== state.organization.root.id && !ouById(state, id)) {
    throw new AwsError('ParentNotFoundException', 400, `We can't find a root or OU with the ParentId ${id}.`);
  }
}

function requireTarget(state: SandboxState, id: string): void {
  if (id !== state.organization.root.id && !ouById(state, id) && !accountById(state, id)) {
    throw new AwsError('TargetNotFoundException', 400, `We can't find a root, OU, account, or policy with the TargetId ${id}.`);
  }
}

function rootShape(state: SandboxState) {
  const org = state.organization;
  return {
    Id: org.root.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:root/${org.id}/${org.root.id}`,
    Name: org.root.name,
    PolicyTypes: org.root.policyTypes.map((p) => ({ ...p })),
  };
}

function ouShape(state: SandboxState, id: string) {
  const org = state.organization;
  const ou = ouById(state, id)!;
  return {
    Id: ou.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:ou/${org.id}/${ou.id}`,
    Name: ou.name,
    Path: orgPathOf(state, ou.id),
  };
}

function accountShape(state: SandboxState, id: string) {
  const org = state.organization;
  const a = accountById(state, id)!;
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:account/${org.id}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    Paths: [`${orgPathOf(state, a.id)}${a.id}/`],
    JoinedMethod: a.id === org.masterAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: epoch(a.joinedAt),
  };
}

function summaryShape(state: SandboxState, p: PolicyRecord) {
  const org = state.organization;
  return {
    Id: p.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:policy/${org.id}/${p.type.toLowerCase()}/${p.id}`,
    Name: p.name,
    Description: p.description,
    Type: p.type,
    AwsManaged: false,
  };
}

function policyShape(state: SandboxState, p: PolicyRecord) {
  return { PolicySummary: summaryShape(state, p), Content: p.content };
}

function targetShape(state: SandboxState, id: string) {
  const org = state.organization;
  if (id === org.root.id) return { TargetId: id, Arn: rootShape(state).Arn, Name: org.root.name, Type: 'ROOT' };
  const ou = ouById(state, id);
  if (ou) return { TargetId: id, Arn: ouShape(state, id).Arn, Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' };
  const a = accountById(state, id)!;
  return { TargetId: id, Arn: accountShape(state, id).Arn, Name: a?.name ?? id, Type: 'ACCOUNT' };
}

/** Latest change (policy update or attachment) among what reaches the account, epoch seconds. */
function lastChange(state: SandboxState, account: string): number {
  const ids = new Set(contributingPolicies(state, account));
  const times = [
    ...state.policies.filter((p) => ids.has(p.id)).map((p) => p.updatedAt),
    ...state.attachments.filter((a) => ids.has(a.policyId)).map((a) => a.attachedAt),
  ].map((t) => Date.parse(t));
  return Math.floor(Math.max(0, ...times) / 1000);
}
