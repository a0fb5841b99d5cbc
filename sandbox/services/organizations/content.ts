/**
 * Content checks of CreatePolicy / UpdatePolicy. Organizations refuses content that is not JSON
 * or not the policy type's syntax (MalformedPolicyDocumentException), and BEDROCK_POLICY content
 * over the size limit (ConstraintViolationException). Identifier semantics (DRAFT, region,
 * existence) are not checked here: AWS accepts such policies and reports them as invalid effective
 * policies (sandbox/effective.ts).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 */
import { BEDROCK_POLICY_MAX_CHARS } from '../../../core/limits.js';
import { REGION_CODE } from '../../../core/patterns.js';
import { AwsError } from '../../errors.js';

const OP_KEY = /^@@/;
const CONFIG_KEYS = new Set(['identifier', 'selective_content_guarding', 'model_enforcement', 'input_tags']);

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
  // limit is not published; the assumed limit of core/limits.ts (that of the other declarative
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
    if (!REGION_CODE.test(region)) return `"bedrock.guardrail_inference.${region}" is not a Region code.`;
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
