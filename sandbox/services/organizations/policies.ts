/**
 * Policy types, policies and attachments: Enable/DisablePolicyType, Create/Update/Delete/
 * Describe/ListPolicies, Attach/DetachPolicy, ListTargetsForPolicy, ListPoliciesForTarget.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
 */
import { POLICY_TARGET_ID, ROOT_ID } from '../../../core/patterns.js';
import { AwsError } from '../../errors.js';
import { isPolicyTypeEnabled, nextId, type PolicyRecord, type SandboxState } from '../../state.js';
import { checkContent } from './content.js';
import { type Input, ok, type OrgHandler, page, policyType, requirePolicy, requireTarget, str } from './input.js';
import { policyShape, rootShape, summaryShape, targetShape } from './shapes.js';

/** RootId and PolicyType of Enable/DisablePolicyType, in the order the checks apply. */
function rootAndType(state: SandboxState, input: Input): { type: string; enabled: boolean } {
  const rootId = str(input, 'RootId', { required: true, pattern: ROOT_ID, reason: 'INVALID_PATTERN' })!;
  const type = policyType(input, 'PolicyType');
  if (rootId !== state.organization.root.id)
    throw new AwsError('RootNotFoundException', 400, `We can't find a root with the RootId ${rootId}.`);
  return { type, enabled: isPolicyTypeEnabled(state, type) };
}

export const enablePolicyType: OrgHandler = ({ state, input }) => {
  const { type, enabled } = rootAndType(state, input);
  if (enabled) throw new AwsError('PolicyTypeAlreadyEnabledException', 400, 'The specified policy type is already enabled.');
  // Real Organizations goes through PENDING_ENABLE; the sandbox enables synchronously.
  state.organization.root.policyTypes.push({ Type: type, Status: 'ENABLED' });
  return ok({ Root: rootShape(state) }, true);
};

export const disablePolicyType: OrgHandler = ({ state, input }) => {
  const { type, enabled } = rootAndType(state, input);
  if (!enabled) throw new AwsError('PolicyTypeNotEnabledException', 400, 'This operation can be performed only for enabled policy types.');
  state.organization.root.policyTypes = state.organization.root.policyTypes.filter((p) => p.Type !== type);
  // Disabling a policy type detaches every policy of that type.
  // https://docs.aws.amazon.com/organizations/latest/APIReference/API_DisablePolicyType.html
  const ofType = new Set(state.policies.filter((p) => p.type === type).map((p) => p.id));
  state.attachments = state.attachments.filter((a) => !ofType.has(a.policyId));
  return ok({ Root: rootShape(state) }, true);
};

const duplicateName = () => new AwsError('DuplicatePolicyException', 400, 'A policy with the same name already exists.');

export const createPolicy: OrgHandler = ({ state, input, now }) => {
  const name = str(input, 'Name', { required: true, min: 1, max: 128 })!;
  const description = str(input, 'Description', { required: true, max: 512 })!;
  const type = policyType(input, 'Type');
  const content = str(input, 'Content', { required: true, min: 1, max: 1_000_000 })!;
  checkContent(type, content);
  if (state.policies.some((p) => p.type === type && p.name === name)) throw duplicateName();
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
};

export const updatePolicy: OrgHandler = ({ state, input, now }) => {
  const policy = requirePolicy(state, input);
  const name = str(input, 'Name', { min: 1, max: 128 });
  const description = str(input, 'Description', { max: 512 });
  const content = str(input, 'Content', { min: 1, max: 1_000_000 });
  if (content !== undefined) checkContent(policy.type, content);
  if (name !== undefined && name !== policy.name && state.policies.some((p) => p.type === policy.type && p.name === name)) {
    throw duplicateName();
  }
  if (name !== undefined) policy.name = name;
  if (description !== undefined) policy.description = description;
  if (content !== undefined) policy.content = content;
  policy.updatedAt = now;
  return ok({ Policy: policyShape(state, policy) }, true);
};

export const deletePolicy: OrgHandler = ({ state, input }) => {
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
};

export const describePolicy: OrgHandler = ({ state, input }) => ok({ Policy: policyShape(state, requirePolicy(state, input)) });

export const listPolicies: OrgHandler = ({ state, input }) => {
  const type = policyType(input, 'Filter');
  const p = page(
    input,
    state.policies.filter((x) => x.type === type).map((x) => summaryShape(state, x)),
  );
  return ok({ Policies: p.page, NextToken: p.nextToken });
};

/** PolicyId and TargetId of Attach/DetachPolicy, in the order the checks apply. */
function policyAndTarget(state: SandboxState, input: Input) {
  const policy = requirePolicy(state, input);
  const target = str(input, 'TargetId', { required: true, pattern: POLICY_TARGET_ID, reason: 'INVALID_PATTERN_TARGET_ID' })!;
  requireTarget(state, target);
  const attached = state.attachments.some((a) => a.policyId === policy.id && a.targetId === target);
  return { policy, target, attached };
}

export const attachPolicy: OrgHandler = ({ state, input, now }) => {
  const { policy, target, attached } = policyAndTarget(state, input);
  if (!isPolicyTypeEnabled(state, policy.type)) {
    throw new AwsError('PolicyTypeNotEnabledException', 400, 'This operation can be performed only for enabled policy types.');
  }
  if (attached)
    throw new AwsError('DuplicatePolicyAttachmentException', 400, 'The selected policy is already attached to the specified target.');
  state.attachments.push({ policyId: policy.id, targetId: target, attachedAt: now });
  return ok({}, true);
};

export const detachPolicy: OrgHandler = ({ state, input }) => {
  const { policy, target, attached } = policyAndTarget(state, input);
  if (!attached)
    throw new AwsError('PolicyNotAttachedException', 400, "The policy isn't attached to the specified target in the specified root.");
  state.attachments = state.attachments.filter((a) => !(a.policyId === policy.id && a.targetId === target));
  return ok({}, true);
};

export const listTargetsForPolicy: OrgHandler = ({ state, input }) => {
  const policy = requirePolicy(state, input);
  const targets = state.attachments.filter((a) => a.policyId === policy.id).map((a) => targetShape(state, a.targetId));
  const p = page(input, targets);
  return ok({ Targets: p.page, NextToken: p.nextToken });
};

export const listPoliciesForTarget: OrgHandler = ({ state, input }) => {
  const target = str(input, 'TargetId', { required: true, pattern: POLICY_TARGET_ID, reason: 'INVALID_PATTERN_TARGET_ID' })!;
  const type = policyType(input, 'Filter');
  requireTarget(state, target);
  const ids = state.attachments.filter((a) => a.targetId === target).map((a) => a.policyId);
  const list = ids.map((id) => state.policies.find((p) => p.id === id)!).filter((p) => p && p.type === type);
  const p = page(
    input,
    list.map((x) => summaryShape(state, x)),
  );
  return ok({ Policies: p.page, NextToken: p.nextToken });
};
