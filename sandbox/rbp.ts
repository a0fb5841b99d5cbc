/**
 * Guardrail resource-based policies. Bedrock accepts only three statement patterns:
 * (a) the owning account as principal, (b) "*" with aws:PrincipalOrgID, (c) "*" with
 * aws:PrincipalOrgID and aws:PrincipalOrgPaths; actions bedrock:ApplyGuardrail/GetGuardrail only.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export const RBP_ACTIONS = ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'] as const;

interface Statement {
  Sid?: string;
  Effect: 'Allow';
  principal: { kind: 'owner' } | { kind: 'org'; orgId: string; paths?: string[] };
  actions: string[];
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Parses and checks a policy; returns the statements or a message saying what is unsupported. */
export function parseGuardrailPolicy(
  text: string,
  ctx: { resourceArn: string; owner: string; orgId?: string },
): { ok: true; statements: Statement[] } | { ok: false; message: string } {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, message: 'The resource policy is not valid JSON.' };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, message: 'The resource policy must be a JSON object.' };
  for (const k of Object.keys(doc))
    if (!['Version', 'Id', 'Statement'].includes(k)) return { ok: false, message: `Unsupported policy element "${k}".` };
  if (doc.Version !== undefined && doc.Version !== '2012-10-17') return { ok: false, message: 'Version must be "2012-10-17".' };
  const raw = asList(doc.Statement);
  if (raw.length === 0) return { ok: false, message: 'The resource policy has no statements.' };
  const statements: Statement[] = [];
  for (const [i, s] of raw.entries()) {
    const at = `Statement[${i}]`;
    if (!s || typeof s !== 'object') return { ok: false, message: `${at} must be an object.` };
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st)) {
      if (!['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition'].includes(k))
        return { ok: false, message: `${at}: unsupported element "${k}".` };
    }
    if (st.Effect !== 'Allow') return { ok: false, message: `${at}: only "Effect": "Allow" statements are supported.` };
    const actions = asList(st.Action);
    if (actions.length === 0 || !actions.every((a) => (RBP_ACTIONS as readonly string[]).includes(a as string))) {
      return { ok: false, message: `${at}: Action must be bedrock:ApplyGuardrail and/or bedrock:GetGuardrail.` };
    }
    const resources = asList(st.Resource);
    if (resources.length === 0 || !resources.every((r) => r === ctx.resourceArn)) {
      return { ok: false, message: `${at}: Resource must be the guardrail ARN ${ctx.resourceArn} (unversioned).` };
    }
    const principal = st.Principal;
    const ownerPrincipals = [`arn:aws:iam::${ctx.owner}:root`, ctx.owner];
    const awsPrincipal = principal && typeof principal === 'object' ? asList((principal as Record<string, unknown>).AWS) : [];
    if (
      awsPrincipal.length > 0 &&
      awsPrincipal.every((p) => ownerPrincipals.includes(p as string)) &&
      Object.keys(principal as object).length === 1
    ) {
      if (st.Condition !== undefined) return { ok: false, message: `${at}: conditions are not supported for the owning-account pattern.` };
      statements.push({ Sid: st.Sid as string | undefined, Effect: 'Allow', principal: { kind: 'owner' }, actions: actions as string[] });
      continue;
    }
    const isStar =
      principal === '*' || (awsPrincipal.length === 1 && awsPrincipal[0] === '*' && Object.keys(principal as object).length === 1);
    if (!isStar)
      return {
        ok: false,
        message: `${at}: Principal must be the owning account (arn:aws:iam::${ctx.owner}:root) or "*" with an organization condition.`,
      };
    const cond = st.Condition as Record<string, Record<string, unknown>> | undefined;
    if (!cond || typeof cond !== 'object')
      return { ok: false, message: `${at}: "Principal": "*" requires a Condition on aws:PrincipalOrgID.` };
    let orgId: string | undefined;
    let paths: string[] | undefined;
    for (const [op, body] of Object.entries(cond)) {
      if (!body || typeof body !== 'object') return { ok: false, message: `${at}: Condition.${op} must be an object.` };
      for (const [key, value] of Object.entries(body)) {
        if (op === 'StringEquals' && key === 'aws:PrincipalOrgID') {
          const ids = asList(value);
          if (ids.length !== 1 || typeof ids[0] !== 'string')
            return { ok: false, message: `${at}: aws:PrincipalOrgID must name exactly one organization.` };
          orgId = ids[0];
        } else if ((op === 'ForAnyValue:StringLike' || op === 'ForAnyValue:StringEquals') && key === 'aws:PrincipalOrgPaths') {
          paths = asList(value).map(String);
        } else {
          return {
            ok: false,
            message: `${at}: condition ${op} ${key} is not supported; only aws:PrincipalOrgID and aws:PrincipalOrgPaths are.`,
          };
        }
      }
    }
    if (!orgId) return { ok: false, message: `${at}: "Principal": "*" requires StringEquals aws:PrincipalOrgID.` };
    if (ctx.orgId && orgId !== ctx.orgId)
      return { ok: false, message: `${at}: sharing outside your organization (${orgId}) is not supported.` };
    if (paths?.some((p) => !p.startsWith(`${orgId}/`)))
      return { ok: false, message: `${at}: every aws:PrincipalOrgPaths entry must start with ${orgId}/.` };
    statements.push({
      Sid: st.Sid as string | undefined,
      Effect: 'Allow',
      principal: { kind: 'org', orgId, paths },
      actions: actions as string[],
    });
  }
  return { ok: true, statements };
}

/** IAM StringLike: `*` any run of characters, `?` one character. */
function like(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(value);
}

/** Does the policy allow `action` for a principal of `callerAccount`? */
export function policyAllows(
  text: string | undefined,
  action: string,
  caller: { account: string; orgId?: string; orgPath?: string },
  ctx: { resourceArn: string; owner: string; orgId?: string },
): boolean {
  if (!text) return false;
  const parsed = parseGuardrailPolicy(text, ctx);
  if (!parsed.ok) return false;
  return parsed.statements.some((s) => {
    if (!s.actions.includes(action)) return false;
    if (s.principal.kind === 'owner') return caller.account === ctx.owner;
    if (caller.orgId !== s.principal.orgId) return false;
    if (!s.principal.paths) return true;
    return !!caller.orgPath && s.principal.paths.some((p) => like(p, caller.orgPath!));
  });
}
