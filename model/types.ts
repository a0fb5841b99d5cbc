/**
 * The environment model: one AWS Organization (or the sandbox) as validated data.
 * This file is the contract every other module codes against; `model/schema.ts`
 * (zod) must produce exactly these types (checked at compile time there).
 * Pure types: no I/O, no cdktf, no AWS imports.
 */
import type { GuardrailDefinition } from '../guardrail/definition.js';
import type { BakeAnalysis } from './analysis.js';
import type { TrafficProfileName } from './traffic.js';

export const PHASES = ['pilot', 'model-rules', 'ou', 'enterprise'] as const;
export type Phase = (typeof PHASES)[number];

/** GA guarding mode, lower-case as in organization policies (the Bedrock API uses upper case). */
export type GuardingMode = 'comprehensive' | 'selective';

export interface OrgUnit {
  id: string;
  name: string;
  parent: string;
}
export interface Account {
  id: string;
  name: string;
  parent: string;
  email?: string;
}

export interface Organization {
  root: { id: string; name: string };
  ous: OrgUnit[];
  accounts: Account[];
}

/** A named, immutable release: a guardrail definition frozen under a name. */
export interface Release {
  name: string; // e.g. "baseline@2026.11.2"
  definitionPath: string; // absolute path of the TypeScript module it was loaded from
  definition: GuardrailDefinition;
  contentHash: string; // sha256 hex of the canonical definition JSON
  description?: string;
}

export interface ModelRules {
  included: string[]; // ["ALL"] or model ids
  excluded: string[]; // model ids; exclusion wins
}

export interface EnforcementDefaults {
  system: GuardingMode;
  messages: GuardingMode;
  models: ModelRules;
}

export interface ExceptionChange {
  excludedModels?: string[]; // models added to the exclusion list at the target
  system?: GuardingMode;
  messages?: GuardingMode;
}

export interface EnforcementException {
  id: string; // e.g. "EXC-2026-001"
  target: string; // 12-digit account id or ou-… id
  changes: ExceptionChange;
  owner: string;
  reason: string;
  approver: string;
  expires: string; // ISO date YYYY-MM-DD; applies through the end of that day (UTC)
  ticket?: string;
}

/**
 * `teamAdditions[]`: an application team's account-level enforced guardrail for its own account,
 * layered under the organization baseline (docs/team-additions.md). Applied by its own stack
 * (`team-<id>`); never touches the organization policy, so it can only add restrictions.
 */
export interface TeamAddition {
  id: string; // [a-z0-9-], e.g. "support-bot-strict"
  account: string;
  owner: string;
  reason: string;
  approver?: string;
  /** ISO date; applies through the end of that day (UTC), then the next apply removes it (like exceptions). */
  expires?: string;
  /** Default: the environment's regions. */
  regions: string[];
  definitionPath: string;
  definition: GuardrailDefinition;
  contentHash: string;
  /** The team's own cases: every one expects blocked or anonymized, verified in `account`. */
  smoke: SmokeCase[];
}

export type SmokeSurface = 'system' | 'message';
export type SmokeExpectation = 'blocked' | 'anonymized' | 'allowed';

export interface SmokeTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface SmokeCase {
  id: string;
  description?: string;
  surface: SmokeSurface;
  model: string;
  content: string;
  /** Wrap the content in a guard-content block (tagged) instead of plain text. */
  tagged?: boolean;
  /** Earlier conversation turns sent before `content` (poisoned-conversation stories). */
  history?: SmokeTurn[];
  expect: SmokeExpectation;
}

export interface SampleSettings {
  /** Accounts per OU to invoke from; 'all' means every account in scope. */
  perOu: number | 'all';
  /** Never fewer than this many accounts in total (when the scope has them). */
  floor: number;
}

export interface PhaseSettings {
  bakeSeconds: number;
  /**
   * `phases.<phase>.propagationTimeout`, seconds: how long the propagation gate waits after an
   * apply for every account in scope to show the change (rollout/gates/propagation). Absent:
   * the gate's default (5 minutes).
   */
  propagationTimeoutSeconds?: number;
  approval: boolean;
  sample: SampleSettings;
  smoke: SmokeCase[];
  /** `phases.<phase>.analysis`: the bake judged by CloudWatch metrics (rollout/gates/analysis); absent = bake is a clock. */
  analysis?: BakeAnalysis;
}

export type BackendSettings =
  | { type: 'local'; directory?: string }
  | { type: 's3'; bucket: string; keyPrefix: string; region: string; useLockfile: boolean; encrypt: boolean; dynamodbTable?: string }
  | { type: 'cloud'; organization: string; hostname: string; workspacePrefix: string; project?: string };

/**
 * Probe roles (docs/environments.md#probe-roles): the identity workloads use in an account, which
 * preflight's ApplyGuardrail check and the smoke invocations act as. An account takes its own
 * `byTarget` entry, else the entry of the nearest OU above it, else `default`; no role at all = the
 * deployment role (a warning: workload identity policies are then not tested).
 */
export interface ProbeRoleSettings {
  /** Role name in every account that no `byTarget` entry reaches. */
  default?: string;
  /** Account id (12 digits) or OU id (ou-…) → role name. */
  byTarget: Record<string, string>;
}

/**
 * `deployment.stateStore`: where the rollout state, ledger, lock and kept stacks live
 * (docs/rollout.md#state-store). `local`: `.rollout/<env>/` on this machine; `s3`: a bucket every
 * CI runner shares (it may be the Terraform S3 backend's), with S3 conditional writes for the
 * lock, the state and the ledger.
 */
export type StateStoreSettings =
  | { type: 'local' }
  | {
      type: 's3';
      bucket: string;
      /**
       * Key prefix; objects go under `<prefix>/<env>/`.
       * @default "guardrail-rollout"
       */
      prefix: string;
      /**
       * Region of the bucket.
       * @default - the environment's homeRegion
       */
      region: string;
    };

export interface DeploymentSettings {
  /** Role assumed in every member account (and the management account unless overridden). */
  roleName: string;
  managementRoleName?: string;
  /** Workload identities to prove reachability with; assumed from the deployment role's session. */
  probeRoles?: ProbeRoleSettings;
  backend: BackendSettings;
  /** Terraform-compatible binary for the terraform engine. */
  terraformBinary: 'terraform' | 'tofu';
  /** Version constraint of hashicorp/aws written into every synthesized stack. */
  awsProviderVersion: string;
  /**
   * Where state, ledger, lock and kept stacks live.
   * @default { type: 'local' }
   */
  stateStore?: StateStoreSettings;
}

/** Events a notification sink may subscribe to (docs/notifications.md#events). */
export const NOTIFICATION_EVENTS = [
  'promotion-started',
  'promotion-passed',
  'promotion-halted',
  'rolled-back',
  'gate-failed',
  'exceptions-expiring',
] as const;
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** One `notifications.sinks[]` entry: where events are POSTed (docs/notifications.md). */
export interface NotificationSink {
  /** Unique within the environment; what the ledger records instead of the URL. */
  name: string;
  /** `slack`: an incoming-webhook message (text + blocks); `webhook`: the generic JSON payload. */
  type: 'slack' | 'webhook';
  /** An http(s) URL, or `${env:VAR}`: read from the environment variable at send time (a webhook URL is a secret). */
  url: string;
  /**
   * Events sent to this sink.
   * @default - all of NOTIFICATION_EVENTS
   */
  events: NotificationEventName[];
}

/** `notifications`: best-effort webhooks at the end of a verb (docs/notifications.md). */
export interface NotificationSettings {
  /** @default [] */
  sinks: NotificationSink[];
  /**
   * Total seconds a verb waits at its end for deliveries (from the first event); the rest is abandoned.
   * @default 5
   */
  timeoutSeconds: number;
  /**
   * Attempts after the first for a 429, 5xx, network error or timeout (back-off with jitter, within the budget).
   * @default 3
   */
  retries: number;
  /**
   * An exception with at most this many days left is reported by `exceptions-expiring`.
   * @default 14
   */
  exceptionsExpiringWithinDays: number;
}

export interface Environment {
  name: string;
  /** Absolute path of the file it was loaded from (for error messages and relative paths). */
  sourceFile: string;
  managementAccountId: string;
  organizationId: string;
  regions: string[];
  /** Region for global services (Organizations, STS) calls; defaults to regions[0]. */
  homeRegion: string;
  organization: Organization;
  pilot: { account: string; ou: string };
  releases: Release[];
  /** Release promoted when `--release` is not given. */
  currentRelease: string;
  enforcement: EnforcementDefaults;
  exceptions: EnforcementException[];
  /** Account-level additions of application teams (absent: none). */
  teamAdditions?: TeamAddition[];
  phases: Record<Phase, PhaseSettings>;
  deployment: DeploymentSettings;
  /** Sandbox-only knobs (seeded state); ignored for real organizations. */
  sandbox?: { policyTypeEnabled: boolean; traffic?: TrafficProfileName };
  /** Webhook notifications; absent: none are sent. */
  notifications?: NotificationSettings;
  /** Non-fatal findings of the loader (e.g. the deprecated `inputTags` key was read). */
  warnings?: string[];
}
