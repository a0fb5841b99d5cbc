/**
 * Input readers of the Organizations operations: typed request members with the service's
 * InvalidInputException reasons, pagination, and the ids that must name something that exists.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_InvalidInputException.html
 */
import { ACCOUNT_ID, OU_ID, POLICY_ID, ROOT_ID } from '../../../core/patterns.js';
import { AwsError } from '../../errors.js';
import { json, paginate } from '../../protocol.js';
import { accountById, ouById, type PolicyRecord, type SandboxState } from '../../state.js';
import type { HandlerResult, ServiceContext } from '../common.js';

export type Input = Record<string, unknown>;

/** One Organizations call, as every operation handler receives it. */
export interface OrgCall {
  ctx: ServiceContext;
  state: SandboxState;
  operation: string;
  input: Input;
  /** The calling account (a member of the organization). */
  caller: string;
  isManagement: boolean;
  /** The time of the call, ISO-8601. */
  now: string;
}

export type OrgHandler = (call: OrgCall) => HandlerResult;

const CT = 'application/x-amz-json-1.1';

export const ok = (body: unknown, mutated = false): HandlerResult => ({ response: json(200, body ?? {}, CT), mutated });

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
export const EFFECTIVE_POLICY_TYPES = POLICY_TYPES.filter((t) => t !== 'SERVICE_CONTROL_POLICY' && t !== 'RESOURCE_CONTROL_POLICY');

/** One anchored pattern matching any of the given anchored core patterns. */
const anyOf = (...patterns: RegExp[]) => new RegExp(`^(?:${patterns.map((p) => p.source.replace(/^\^|\$$/g, '')).join('|')})$`);
/** A ParentId: the root or an OU. */
export const PARENT_ID = anyOf(ROOT_ID, OU_ID);
/** A ChildId: an account or an OU. */
export const CHILD_ID = anyOf(ACCOUNT_ID, OU_ID);

export const invalid = (reason: string, message: string) => new AwsError('InvalidInputException', 400, message, { Reason: reason });

export function str(
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

export function policyType(input: Input, key: string, allowed = POLICY_TYPES): string {
  const t = str(input, key, { required: true })!;
  if (!allowed.includes(t)) throw invalid('INVALID_ENUM_POLICY_TYPE', `The policy type ${t} is not valid for this operation.`);
  return t;
}

/** NextToken / MaxResults as Organizations pages its lists (at most 20 per page). */
export function page<T>(input: Input, items: T[]) {
  const max = input.MaxResults as number | undefined;
  return paginate(items, input.NextToken as string | undefined, max, {
    defaultMax: 20,
    cap: 20,
    invalid: (m) => invalid(m.includes('token') ? 'INVALID_NEXT_TOKEN' : 'INVALID_INPUT', m),
  });
}

export function requirePolicy(state: SandboxState, input: Input): PolicyRecord {
  const id = str(input, 'PolicyId', { required: true, pattern: POLICY_ID, reason: 'INVALID_PATTERN' })!;
  const p = state.policies.find((x) => x.id === id);
  if (!p) throw new AwsError('PolicyNotFoundException', 400, `We can't find a policy with the PolicyId ${id}.`);
  return p;
}

export function requireParent(state: SandboxState, id: string): void {
  if (id !== state.organization.root.id && !ouById(state, id)) {
    throw new AwsError('ParentNotFoundException', 400, `We can't find a root or OU with the ParentId ${id}.`);
  }
}

export function requireTarget(state: SandboxState, id: string): void {
  if (id !== state.organization.root.id && !ouById(state, id) && !accountById(state, id)) {
    throw new AwsError('TargetNotFoundException', 400, `We can't find a root, OU, account, or policy with the TargetId ${id}.`);
  }
}
