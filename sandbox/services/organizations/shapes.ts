/**
 * Response shapes of the Organizations operations (Root, OrganizationalUnit, Account,
 * PolicySummary, Policy, PolicyTargetSummary): https://docs.aws.amazon.com/organizations/latest/APIReference/API_Types.html
 * Timestamps are epoch seconds (JSON numbers), member names PascalCase.
 */
import { accountById, orgPathOf, ouById, type PolicyRecord, type SandboxState } from '../../state.js';

export const epoch = (isoTime: string) => Math.floor(Date.parse(isoTime) / 1000);

export function rootShape(state: SandboxState) {
  const org = state.organization;
  return {
    Id: org.root.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:root/${org.id}/${org.root.id}`,
    Name: org.root.name,
    PolicyTypes: org.root.policyTypes.map((p) => ({ ...p })),
  };
}

export function ouShape(state: SandboxState, id: string) {
  const org = state.organization;
  const ou = ouById(state, id)!;
  return {
    Id: ou.id,
    Arn: `arn:aws:organizations::${org.masterAccountId}:ou/${org.id}/${ou.id}`,
    Name: ou.name,
    Path: orgPathOf(state, ou.id),
  };
}

export function accountShape(state: SandboxState, id: string) {
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

export function summaryShape(state: SandboxState, p: PolicyRecord) {
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

export function policyShape(state: SandboxState, p: PolicyRecord) {
  return { PolicySummary: summaryShape(state, p), Content: p.content };
}

export function targetShape(state: SandboxState, id: string) {
  const org = state.organization;
  if (id === org.root.id) return { TargetId: id, Arn: rootShape(state).Arn, Name: org.root.name, Type: 'ROOT' };
  const ou = ouById(state, id);
  if (ou) return { TargetId: id, Arn: ouShape(state, id).Arn, Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' };
  const a = accountById(state, id)!;
  return { TargetId: id, Arn: accountShape(state, id).Arn, Name: a?.name ?? id, Type: 'ACCOUNT' };
}
