/**
 * The resource types the sandbox engine can apply, each with its handler
 * (`resources/<type>.ts`), and how their arguments are compared in a plan.
 * The engine reaches the handlers only through this table.
 */
import { canonicalJson } from '../../../core/canonical-json.js';
import { ToolingError } from '../../../core/errors.js';
import { enforcedGuardrailConfiguration } from './resources/enforced-guardrail-configuration.js';
import { guardrail } from './resources/guardrail.js';
import { guardrailResourcePolicy } from './resources/guardrail-resource-policy.js';
import { guardrailVersion } from './resources/guardrail-version.js';
import type { Attrs, ResourceHandler } from './resources/handler.js';
import { organizationsPolicy } from './resources/organizations-policy.js';
import { organizationsPolicyAttachment } from './resources/organizations-policy-attachment.js';

export type { Attrs, ResourceContext, ResourceHandler } from './resources/handler.js';

const HANDLERS: Readonly<Record<string, ResourceHandler>> = {
  aws_bedrock_guardrail: guardrail,
  aws_bedrock_guardrail_version: guardrailVersion,
  aws_bedrock_guardrail_resource_policy: guardrailResourcePolicy,
  aws_bedrock_enforced_guardrail_configuration: enforcedGuardrailConfiguration,
  aws_organizations_policy: organizationsPolicy,
  aws_organizations_policy_attachment: organizationsPolicyAttachment,
};

export const SUPPORTED_TYPES: ReadonlySet<string> = new Set(Object.keys(HANDLERS));

export function handlerFor(type: string): ResourceHandler {
  const h = HANDLERS[type];
  if (!h)
    throw new ToolingError(`the sandbox engine does not support resource type "${type}" (supported: ${[...SUPPORTED_TYPES].join(', ')})`);
  return h;
}

const IGNORED_ARGS = new Set(['timeouts', 'tags_all', 'region']);

/** Arguments as compared in a plan: meta/ignored keys dropped, JSON documents canonicalised. */
export function comparableArgs(type: string, args: Attrs): Attrs {
  const h = HANDLERS[type];
  const out: Attrs = {};
  for (const [k, v] of Object.entries(args)) {
    if (IGNORED_ARGS.has(k) || v === null || v === undefined) continue;
    if (h?.jsonArgs?.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(canonicalJson(JSON.parse(v)));
        continue;
      } catch {
        /* not JSON: compare as text */
      }
    }
    out[k] = v;
  }
  return out;
}
