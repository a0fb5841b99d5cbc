/**
 * Contract between the sandbox server/state (which owns the data) and the Bedrock Runtime
 * handlers + guardrail evaluator (which decide what an inference call sees).
 * Plain data in, plain data out: no HTTP here.
 */
import type { CreateGuardrailCommandInput } from '@aws-sdk/client-bedrock';
import type { GuardrailEvaluation } from './evaluations.js';

/** A guardrail at one version: DRAFT or an immutable numbered snapshot. */
export interface GuardrailSnapshot {
  guardrailId: string;
  guardrailArn: string; // arn:aws:bedrock:<region>:<owner>:guardrail/<id>
  ownerAccount: string;
  region: string;
  version: string; // "DRAFT" | "1" | "2" …
  /** The configuration in Bedrock API *input* names (as sent to Create/UpdateGuardrail). */
  config: Omit<CreateGuardrailCommandInput, 'tags' | 'clientRequestToken'>;
}

/** Account-level enforced configuration (PutEnforcedGuardrailConfiguration), API spelling. */
export interface EnforcedConfig {
  configId: string;
  account: string;
  region: string;
  guardrailIdentifier: string; // id or ARN as given
  guardrailVersion: string;
  selectiveContentGuarding?: { system?: 'SELECTIVE' | 'COMPREHENSIVE'; messages?: 'SELECTIVE' | 'COMPREHENSIVE' };
  modelEnforcement?: { includedModels: string[]; excludedModels: string[] };
}

/** What the runtime needs to know about the world, answered by the sandbox state. */
export interface RuntimeWorld {
  organizationId(): string | undefined;
  /**
   * The organization's management account (optional, added by the enforcement audit): an
   * organization policy may only reference a guardrail it owns ("The Guardrail must be owned by
   * the Management account":
   * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html).
   * When absent, ownership of organization-enforced guardrails is not checked.
   */
  managementAccountId?(): string | undefined;
  /** aws:PrincipalOrgPaths value of an account, e.g. "o-abc/r-ab12/ou-ab12-11111111/". */
  orgPathOf(account: string): string | undefined;
  isOrgMember(account: string): boolean;
  /** Resolves an id or ARN (+ version) as seen from the caller's account and region. */
  findGuardrail(identifier: string, version: string, callerAccount: string, region: string): GuardrailSnapshot | undefined;
  accountEnforcement(account: string, region: string): EnforcedConfig | undefined;
  /** Effective BEDROCK_POLICY of the account (operators resolved), or null when none reaches it. */
  effectivePolicy(account: string): Record<string, unknown> | null;
  /** Resource-based policy text attached to a guardrail ARN (unversioned), if any. */
  resourcePolicy(resourceArn: string): string | undefined;
}

/** The calling principal and what its identity-based policies allow (RoleRecord.allowedActions). */
export interface CallerIdentity {
  /** The caller's ARN (an assumed-role session ARN, or arn:aws:iam::<acct>:root for account keys). */
  arn: string;
  /** Allowed IAM actions; undefined = not modelled (everything allowed). */
  actions?: readonly string[];
}

export interface RuntimeRequest {
  operation: 'ApplyGuardrail' | 'Converse' | 'InvokeModel';
  callerAccount: string;
  /** Who calls; absent = the account's root identity with no identity policy modelled. */
  identity?: CallerIdentity;
  region: string;
  /** Decoded path labels: guardrailIdentifier/guardrailVersion or modelId. */
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Receives the guardrail evaluations of a successful call (the CloudWatch metrics); absent = not published. */
  onEvaluations?(evaluations: GuardrailEvaluation[]): void;
}

export interface RuntimeResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
