/**
 * Builds the BEDROCK_POLICY documents and attachments of a phase — the one implementation used by
 * the org-enforcement construct, the preview and the gates. Pure: no cdktf, AWS or I/O.
 *
 * Child-control choice (docs/policy-engine.md "Child control"):
 *  - `identifier` allows `@@assign` for children, so a narrower phase (pilot account via
 *    model-rules, pilot OU via ou) can run a NEWER release than the root;
 *  - every other setting is locked (`@@none`), except what ACTIVE exceptions need:
 *    `excluded_models` allows `@@append` only while an active exception appends models, and
 *    `system`/`messages` allow `@@assign` only while an active exception changes that mode;
 *  - container keys carry no child-control list: the engine applies a container's list to the
 *    whole subtree, which would also lock `identifier`; leaf-only locks behave the same under
 *    either reading of AWS's (unspecified) container semantics.
 * The same document (with that phase's identifiers) is attached in model-rules, ou and enterprise,
 * so a pilot/OU policy sitting between the root and an exception target never blocks it.
 */
import type { EnforcementException, Environment, GuardingMode, Phase } from '../model/types.js';
import {
  APPEND,
  ASSIGN,
  CHILD_CONTROL,
  CONFIG_KEY,
  type BedrockConfigDocument,
  type BedrockPolicyDocument,
  type ChildControlEntry,
} from './document.js';
import { activeExceptions } from '../model/exceptions.js';
import { assertValidPolicy } from './validate.js';
import { exceptionPolicyName, managedPolicyDescription, phasePolicyName } from '../core/naming.js';

export interface PolicySpec {
  key: string /* stable: 'baseline' | 'exception-<id>' */;
  name: string;
  description: string;
  content: BedrockPolicyDocument;
  targets: string[];
}

export interface BuildPhaseInput {
  env: Environment;
  phase: Phase;
  /** region → guardrail ARN + ':' + numeric version, OR an opaque cdktf token string. */
  identifiers: Record<string, string>;
  asOf: Date;
  /** Release name carried in descriptions; defaults to env.currentRelease. */
  release?: string;
}

/** Child-control lists the baseline carries at each leaf, given the active exceptions. */
export interface ChildControlPlan {
  identifier: ChildControlEntry[];
  system: ChildControlEntry[];
  messages: ChildControlEntry[];
  includedModels: ChildControlEntry[];
  excludedModels: ChildControlEntry[];
  /** One line per opened setting: why it is open. */
  reasons: string[];
}

export function childControlPlan(active: readonly EnforcementException[]): ChildControlPlan {
  const appendsModels = active.filter((e) => (e.changes.excludedModels?.length ?? 0) > 0).map((e) => e.id);
  const system = active.filter((e) => e.changes.system !== undefined).map((e) => e.id);
  const messages = active.filter((e) => e.changes.messages !== undefined).map((e) => e.id);
  const reasons = ['identifier: @@assign — narrower phases (pilot account, pilot OU) may run a newer release than the root'];
  if (appendsModels.length) reasons.push(`excluded_models: @@append — needed by active exception(s) ${appendsModels.join(', ')}`);
  if (system.length) reasons.push(`system: @@assign — needed by active exception(s) ${system.join(', ')}`);
  if (messages.length) reasons.push(`messages: @@assign — needed by active exception(s) ${messages.join(', ')}`);
  return {
    identifier: [ASSIGN],
    system: system.length ? [ASSIGN] : ['@@none'],
    messages: messages.length ? [ASSIGN] : ['@@none'],
    includedModels: ['@@none'],
    excludedModels: appendsModels.length ? [APPEND] : ['@@none'],
    reasons,
  };
}

function identifierFor(env: Environment, identifiers: Record<string, string>, region: string): string {
  const id = identifiers[region];
  if (typeof id !== 'string' || id.length === 0) {
    throw new Error(
      `no guardrail identifier for region ${region} of environment ${env.name} (got regions: ${Object.keys(identifiers).join(', ') || 'none'})`,
    );
  }
  return id;
}

/** The baseline document: every region of the environment, defaults from env.enforcement. */
export function baselineDocument(env: Environment, identifiers: Record<string, string>, ctl: ChildControlPlan): BedrockPolicyDocument {
  const gi: Record<string, Record<string, BedrockConfigDocument>> = {};
  for (const region of env.regions) {
    gi[region] = {
      [CONFIG_KEY]: {
        identifier: { [ASSIGN]: identifierFor(env, identifiers, region), [CHILD_CONTROL]: ctl.identifier },
        selective_content_guarding: {
          system: { [ASSIGN]: env.enforcement.system, [CHILD_CONTROL]: ctl.system },
          messages: { [ASSIGN]: env.enforcement.messages, [CHILD_CONTROL]: ctl.messages },
        },
        model_enforcement: {
          included_models: { [ASSIGN]: [...env.enforcement.models.included], [CHILD_CONTROL]: ctl.includedModels },
          excluded_models: { [ASSIGN]: [...env.enforcement.models.excluded], [CHILD_CONTROL]: ctl.excludedModels },
        },
      },
    };
  }
  return { bedrock: { guardrail_inference: gi } };
}

/** An exception's overlay: @@append for excluded models, @@assign for guarding modes. Null when it changes nothing. */
export function exceptionDocument(env: Environment, exception: EnforcementException): BedrockPolicyDocument | null {
  const { excludedModels, system, messages } = exception.changes;
  if (!excludedModels?.length && system === undefined && messages === undefined) return null;
  const gi: Record<string, Record<string, BedrockConfigDocument>> = {};
  for (const region of env.regions) {
    const cfg: BedrockConfigDocument = {};
    if (system !== undefined || messages !== undefined) {
      cfg.selective_content_guarding = {
        ...(system !== undefined ? { system: { [ASSIGN]: system as GuardingMode } } : {}),
        ...(messages !== undefined ? { messages: { [ASSIGN]: messages as GuardingMode } } : {}),
      };
    }
    if (excludedModels?.length) cfg.model_enforcement = { excluded_models: { [APPEND]: [...excludedModels] } };
    gi[region] = { [CONFIG_KEY]: cfg };
  }
  return { bedrock: { guardrail_inference: gi } };
}

/**
 * The node a phase applies to: the pilot account (pilot, model-rules), the pilot OU (ou) or the
 * organization root (enterprise). The policies, the gates' scope and the reports all use this.
 */
export function phaseTarget(env: Pick<Environment, 'pilot' | 'organization'>, phase: Phase): string {
  if (phase === 'pilot' || phase === 'model-rules') return env.pilot.account;
  if (phase === 'ou') return env.pilot.ou;
  return env.organization.root.id;
}

/**
 * Policies (documents + targets) a phase attaches.
 * pilot → [] (account-level enforcement only); model-rules → baseline on the pilot account;
 * ou → baseline on the pilot OU; enterprise → baseline on the root + one policy per exception
 * active as of `asOf`, on its target.
 */
export function buildPhasePolicies(input: BuildPhaseInput): PolicySpec[] {
  const { env, phase, identifiers, asOf } = input;
  if (phase === 'pilot') return [];
  const release = input.release ?? env.currentRelease;
  const active = activeSorted(env, asOf);
  const ctl = childControlPlan(active);
  const target = phaseTarget(env, phase);
  const validation = { managementAccountId: env.managementAccountId, regions: env.regions, file: env.sourceFile, allowTokens: true };

  const baseline = baselineDocument(env, identifiers, ctl);
  assertValidPolicy(baseline, validation);
  const specs: PolicySpec[] = [
    {
      key: 'baseline',
      name: phasePolicyName(phase),
      description: managedPolicyDescription({ phase, release }),
      content: baseline,
      targets: [target],
    },
  ];
  if (phase !== 'enterprise') return specs;

  for (const e of active) {
    const doc = exceptionDocument(env, e);
    if (!doc) continue;
    assertValidPolicy(doc, validation);
    specs.push({
      key: `exception-${e.id}`,
      name: exceptionPolicyName(e.id),
      description: managedPolicyDescription({ phase, release, exception: e.id, expires: e.expires, owner: e.owner, ticket: e.ticket }),
      content: doc,
      targets: [e.target],
    });
  }
  return specs;
}

/** Exceptions active as of `asOf` (through the end of their expiry day, UTC), by id: stable policy order. */
export function activeSorted(env: Pick<Environment, 'exceptions'>, asOf: Date): EnforcementException[] {
  return activeExceptions(env, asOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Org-policy guarding mode (lower case) → Bedrock API enum (upper case). */
export function toApiGuarding(mode: GuardingMode): 'COMPREHENSIVE' | 'SELECTIVE' {
  return mode === 'comprehensive' ? 'COMPREHENSIVE' : 'SELECTIVE';
}

export interface AccountEnforcementConfig {
  selectiveContentGuarding: { system: 'COMPREHENSIVE' | 'SELECTIVE'; messages: 'COMPREHENSIVE' | 'SELECTIVE' };
  modelEnforcement: { includedModels: string[]; excludedModels: string[] };
}

/** The pilot account-level configuration (PutEnforcedGuardrailConfiguration shape), from env.enforcement. */
export function accountEnforcementConfig(env: Environment): AccountEnforcementConfig {
  return {
    selectiveContentGuarding: { system: toApiGuarding(env.enforcement.system), messages: toApiGuarding(env.enforcement.messages) },
    modelEnforcement: {
      // The API requires includedModels to have at least one item; an empty list means all models.
      includedModels: env.enforcement.models.included.length ? [...env.enforcement.models.included] : ['ALL'],
      excludedModels: [...env.enforcement.models.excluded],
    },
  };
}
