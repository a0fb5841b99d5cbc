/**
 * STS (awsQuery, XML responses): GetCallerIdentity and AssumeRole.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 *
 * AssumeRole succeeds only when the role exists in the target account and its trust policy
 * (sandbox/state.ts RoleRecord) allows the caller; otherwise AccessDenied (403) with AWS's text,
 * the same for a missing role as for a refused trust. A call signed by a role session is role
 * chaining: its session is capped at one hour
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
 */
import { AwsError } from '../errors.js';
import { xmlEscape, type Caller, type SvcRequest, type SvcResponse } from '../protocol.js';
import { hashChars, nextId, type RoleRecord, type SandboxState } from '../state.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN_RE = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_RE = /^[\w+=,.@-]{2,64}$/;

function xml(op: string, inner: string, requestId: string): SvcResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${op}Response xmlns="${NS}"><${op}Result>${inner}</${op}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`,
  };
}

export function handleSts(state: SandboxState, req: SvcRequest, now: () => number): { response: SvcResponse; mutated: boolean } {
  const params = new URLSearchParams(req.body.toString('utf8'));
  switch (req.operation) {
    case 'GetCallerIdentity': {
      const c = req.caller;
      return {
        response: xml(
          'GetCallerIdentity',
          `<UserId>${xmlEscape(c.userId)}</UserId><Account>${c.account}</Account><Arn>${xmlEscape(c.arn)}</Arn>`,
          req.requestId,
        ),
        mutated: false,
      };
    }
    case 'AssumeRole':
      return { response: assumeRole(state, req, params, now()), mutated: true };
    default:
      throw new AwsError('InvalidAction', 400, `Could not find operation ${req.operation} for version 2011-06-15`);
  }
}

function assumeRole(state: SandboxState, req: SvcRequest, params: URLSearchParams, now: number): SvcResponse {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!roleArn)
    throw new AwsError(
      'ValidationError',
      400,
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  if (!SESSION_RE.test(sessionName)) {
    throw new AwsError(
      'ValidationError',
      400,
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : 3600;
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw new AwsError(
      'ValidationError',
      400,
      `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const m = ROLE_ARN_RE.exec(roleArn);
  const deny = () =>
    new AwsError('AccessDenied', 403, `User: ${req.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  if (!m) throw deny();
  const [, account, roleName] = m;
  const role = (state.roles[account] ?? []).find((r) => r.name === roleName);
  if (!role || !trusts(role, req.caller)) throw deny();
  if (req.caller.session && duration > 3600) {
    throw new AwsError(
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }

  const roleId = `AROA${hashChars(`role:${state.seed}:${account}:${roleName}`, 17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
  const accessKeyId = `ASIA${nextId(state, 'session', 16).toUpperCase()}`;
  const secretAccessKey = hashChars(
    `session-secret:${state.seed}:${state.counter}`,
    40,
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  );
  const sessionToken = `SBX${hashChars(`session-token:${state.seed}:${state.counter}`, 120, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
  const expiration = new Date(Math.floor(now / 1000) * 1000 + duration * 1000).toISOString().replace('.000Z', 'Z');
  state.sessions[accessKeyId] = {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    account,
    roleName,
    roleId,
    sessionName,
    expiration,
    sourceArn: req.caller.arn,
  };
  // Keep the session table bounded: expired sessions are useless.
  for (const [key, s] of Object.entries(state.sessions)) if (Date.parse(s.expiration) <= now) delete state.sessions[key];

  return xml(
    'AssumeRole',
    `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${secretAccessKey}</SecretAccessKey>` +
      `<SessionToken>${sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId>` +
      `<Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(sessionName)}</Arn></AssumedRoleUser>` +
      `<PackedPolicySize>0</PackedPolicySize>`,
    req.requestId,
  );
}

/** Does the role's trust policy allow the caller? (account principal, role principal, exact ARN) */
function trusts(role: RoleRecord, caller: Caller): boolean {
  return role.trust.some((p) => {
    const acct = /^arn:aws:iam::(\d{12}):root$/.exec(p);
    if (acct) return caller.account === acct[1];
    const r = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(p);
    if (r) return !!caller.session && caller.session.account === r[1] && caller.session.roleName === r[2];
    return p === caller.arn;
  });
}
