/**
 * Builds the BEDROCK_POLICY documents and attachments of a phase — the one implementation used by
 * the org-enforcement construct, the preview and the gates. Pure: no cdktf, AWS or I/O.
 *
 * Each phase's baseline carries the enforcement settings of the unit THAT phase holds
 * (`held[phase]`, default env.enforcement), and its child control comes from `locksFor()`
 * (policy/locks.ts, docs/policy-engine.md "Child control"):
 *  - `identifier` allows `@@assign` for children, so a narrower phase (pilot account via
 *    model-rules, pilot OU via ou) can run a NEWER release than the root;
 *  - every other setting is locked (`@@none`), except while a narrower phase holds another value
 *    of it (in flight: `@@assign`, until this phase holds the same value) and what ACTIVE
 *    exceptions need (`@@append` on `excluded_models`, `@@assign` on a mode they change);
 *  - container keys carry no child-control list: the engine applies a container's list to the
 *    whole subtree, which would also lock `identifier`; leaf-only locks behave the same under
 *    either reading of AWS's (unspecified) container semantics.
 * Exceptions open the same settings in model-rules, ou and enterprise, so a pilot/OU policy
 * sitting between the root and an exception target never blocks it.
 */
import type { EnforcementDefaults, EnforcementException, Environment, GuardingMode, Phase } from '../model/types.js';
import { APPEND, ASSIGN, CHILD_CONTROL, CONFIG_KEY, type BedrockConfigDocument, type BedrockPolicyDocument } from './document.js';
import { activeExceptions } from '../model/exceptions.js';
import { heldEnforcement, locksFor, ORG_PHASES, type ChildControlPlan, type EnforcementByPhase, type OrgPhase } from './locks.js';
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
  /**
   * The enforcement settings of the unit each phase holds, one entry per phase that holds one
   * (`heldEnforcement()`). This phase's baseline carries `held[phase]` (default env.enforcement);
   * a narrower phase holding another value opens that setting (`locksFor`). Missing: every phase
   * is taken to hold env.enforcement, so nothing is in flight.
   */
  held?: EnforcementByPhase;
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

/** The baseline document: every region of the environment, the settings of the phase's unit (default env.enforcement). */
export function baselineDocument(
  env: Environment,
  identifiers: Record<string, string>,
  ctl: ChildControlPlan,
  settings: EnforcementDefaults = env.enforcement,
): BedrockPolicyDocument {
  const gi: Record<string, Record<string, BedrockConfigDocument>> = {};
  for (const region of env.regions) {
    gi[region] = {
      [CONFIG_KEY]: {
        identifier: { [ASSIGN]: identifierFor(env, identifiers, region), [CHILD_CONTROL]: ctl.identifier },
        selective_content_guarding: {
          system: { [ASSIGN]: settings.system, [CHILD_CONTROL]: ctl.system },
          messages: { [ASSIGN]: settings.messages, [CHILD_CONTROL]: ctl.messages },
        },
        model_enforcement: {
          included_models: { [ASSIGN]: [...settings.models.included], [CHILD_CONTROL]: ctl.includedModels },
          excluded_models: { [ASSIGN]: [...settings.models.excluded], [CHILD_CONTROL]: ctl.excludedModels },
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
  const own = input.held?.[phase] ?? env.enforcement;
  const ctl = locksFor(phase, { ...input.held, [phase]: own }, active);
  const target = phaseTarget(env, phase);
  const validation = { managementAccountId: env.managementAccountId, regions: env.regions, file: env.sourceFile, allowTokens: true };

  const baseline = baselineDocument(env, identifiers, ctl, own);
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

export interface OrgPoliciesInput {
  env: Environment;
  /** Release each phase holds; a phase without one attaches nothing and opens no lock. */
  releases: Partial<Record<Phase, string | undefined>>;
  /** region → identifier of a release (see BuildPhaseInput.identifiers). */
  identifiers: (release: string, phase: OrgPhase) => Record<string, string>;
  /** Exceptions are taken as of this instant (per phase when a function). */
  asOf: Date | ((phase: OrgPhase) => Date);
  /** Settings of the unit each phase holds; a phase holding a release but missing here ⇒ env.enforcement. */
  enforcement?: EnforcementByPhase;
}

/**
 * The policies of every org phase that holds a release, each with its unit's settings and the
 * locks what the others hold requires: what the organization carries once those phases are
 * applied. `rollout preview` and the effective-policy gate build the organization from it.
 */
export function buildOrgPolicies(input: OrgPoliciesInput): { phase: OrgPhase; spec: PolicySpec }[] {
  const { env, releases } = input;
  const held = heldEnforcement(env, releases, input.enforcement);
  const out: { phase: OrgPhase; spec: PolicySpec }[] = [];
  for (const phase of ORG_PHASES) {
    const release = releases[phase];
    if (!release) continue;
    const asOf = typeof input.asOf === 'function' ? input.asOf(phase) : input.asOf;
    for (const spec of buildPhasePolicies({ env, phase, identifiers: input.identifiers(release, phase), asOf, release, held })) {
      out.push({ phase, spec });
    }
  }
  return out;
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

/**
 * The pilot account-level configuration (PutEnforcedGuardrailConfiguration shape), from the
 * settings of the unit the pilot holds (default env.enforcement).
 */
export function accountEnforcementConfig(
  env: Pick<Environment, 'enforcement'>,
  settings: EnforcementDefaults = env.enforcement,
): AccountEnforcementConfig {
  return {
    selectiveContentGuarding: { system: toApiGuarding(settings.system), messages: toApiGuarding(settings.messages) },
    modelEnforcement: {
      // The API requires includedModels to have at least one item; an empty list means all models.
      includedModels: settings.models.included.length ? [...settings.models.included] : ['ALL'],
      excludedModels: [...settings.models.excluded],
    },
  };
}
