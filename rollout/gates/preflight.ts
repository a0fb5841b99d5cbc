/**
 * Preflight: evidence, gathered before the phase's apply (after the guardrails stack), that
 * switching enforcement on cannot break callers — the checks AWS's best practices ask for
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html)
 * and the failure stories of docs/gates.md.
 */
import { GetGuardrailCommand, GetResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListPoliciesCommand, ListRootsCommand, ListTargetsForPolicyCommand, type PolicySummary } from '@aws-sdk/client-organizations';
import { exceptionStatus } from '../../model/exceptions.js';
import { kindOf } from '../../model/org.js';
import { GUARDRAIL_ARN_PATTERN, GUARDRAIL_VERSION_PATTERN } from '../../core/patterns.js';
import { hasAutomatedReasoning } from '../../guardrail/definition.js';
import { guardrailOutputAsInput, normaliseGuardrailConfig, toBedrockApiInput } from '../../guardrail/wire.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { buildPhasePolicies, validatePolicyDocument } from '../../policy/index.js';
import { isExceptionPolicy, isManagedPolicy } from '../../core/naming.js';
import { classifyError, describeError, errorName } from '../aws/errors.js';
import type { CheckResult, GateResult, PublishedVersion } from '../state/contracts.js';
import { errorCheck, gateResult, runAll, type GateRunContext } from './common.js';
import { identifierOf } from './published.js';
import { accountsForPhase, sampleAccounts } from './scope.js';

function releaseOf(ctx: GateRunContext) {
  const r = ctx.env.releases.find((x) => x.name === ctx.release);
  if (!r) throw new Error(`release ${ctx.release} is not defined in environment ${ctx.env.name}`);
  return r;
}

/** Published in every region, numeric, owned where it must be, ARN region = key region. */
function publishedChecks(ctx: GateRunContext): CheckResult[] {
  const out: CheckResult[] = [];
  for (const region of ctx.env.regions) {
    const id = `preflight:published@${region}`;
    const p = ctx.published[region];
    if (!p) {
      out.push({ id, status: 'failed', region, detail: `release ${ctx.release} has no published guardrail version in ${region}` });
      continue;
    }
    if (!GUARDRAIL_VERSION_PATTERN.test(p.version)) {
      out.push({
        id,
        status: 'failed',
        account: p.account,
        region,
        detail: `version "${p.version}" is not a published numeric version (DRAFT cannot be enforced)`,
      });
      continue;
    }
    const m = GUARDRAIL_ARN_PATTERN.exec(p.guardrailArn);
    const problems: string[] = [];
    if (!m) problems.push(`"${p.guardrailArn}" is not an unversioned guardrail ARN`);
    else {
      if (m[1] !== region)
        problems.push(
          `guardrail ARN region ${m[1]} does not match the configuration region ${region} (a guardrail is used only in its own region)`,
        );
      if (m[2] !== p.account) problems.push(`guardrail ARN account ${m[2]} is not the publishing account ${p.account}`);
      if (ctx.phase !== 'pilot' && m[2] !== ctx.env.managementAccountId)
        problems.push(
          `an organization policy may only reference a guardrail of the management account ${ctx.env.managementAccountId}, not ${m[2]}`,
        );
      if (m[3] !== p.guardrailId) problems.push(`guardrail id ${p.guardrailId} does not match the ARN (${m[3]})`);
    }
    out.push(
      problems.length
        ? { id, status: 'failed', account: p.account, region, detail: problems.join('; ') }
        : { id, status: 'passed', account: p.account, region, detail: `published as ${identifierOf(p)}` },
    );
  }
  return out;
}

/** The published version snapshotted the release's definition (not some other DRAFT); no AR policy. */
async function contentChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const release = releaseOf(ctx);
  // GetGuardrail at a version returns the VERSION's description, so name/description are not compared.
  const want = normaliseGuardrailConfig({
    ...toBedrockApiInput(release.definition.toSpec()),
    name: undefined,
    description: undefined,
  } as Record<string, unknown>);
  const out: CheckResult[] = [];
  if (hasAutomatedReasoning(release.definition)) {
    out.push({
      id: 'preflight:automated-reasoning:definition',
      status: 'failed',
      detail: `release ${release.name} carries an Automated Reasoning policy, which enforced guardrails do not support`,
    });
  }
  const entries = Object.values(ctx.published).filter((p) => GUARDRAIL_VERSION_PATTERN.test(p.version));
  out.push(
    ...(await runAll(entries, ctx.concurrency ?? 16, async (p) => {
      const id = `preflight:content@${p.region}`;
      try {
        const g = await ctx.access
          .forAccount(p.account, p.region)
          .bedrock.send(new GetGuardrailCommand({ guardrailIdentifier: p.guardrailArn, guardrailVersion: p.version }));
        const checks: CheckResult[] = [];
        const got = normaliseGuardrailConfig({ ...guardrailOutputAsInput(g), name: undefined, description: undefined });
        checks.push(
          canonicalJson(got) === canonicalJson(want)
            ? {
                id,
                status: 'passed',
                account: p.account,
                region: p.region,
                detail: `version ${p.version} has the content of ${release.name}`,
              }
            : {
                id,
                status: 'failed',
                account: p.account,
                region: p.region,
                detail: `version ${p.version} does not have the content of ${release.name}: it snapshotted a different DRAFT (content hash mismatch)`,
                evidence: { expected: want, actual: got },
              },
        );
        const ar = g.automatedReasoningPolicy?.policies?.length ?? 0;
        checks.push(
          ar
            ? {
                id: `preflight:automated-reasoning@${p.region}`,
                status: 'failed',
                account: p.account,
                region: p.region,
                detail: `version ${p.version} contains an Automated Reasoning policy: enforcement does not support it`,
              }
            : {
                id: `preflight:automated-reasoning@${p.region}`,
                status: 'passed',
                account: p.account,
                region: p.region,
                detail: 'no Automated Reasoning policy',
              },
        );
        return checks;
      } catch (err) {
        return [errorCheck(id, `GetGuardrail ${p.guardrailArn}:${p.version}`, err, { account: p.account, region: p.region })];
      }
    })),
  );
  return out;
}

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Does an RBP let every organization member call ApplyGuardrail on the guardrail? (§7.3 pattern b) */
export function grantsOrganization(policyText: string, guardrailArn: string, organizationId: string): { ok: boolean; why: string } {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(policyText) as typeof doc;
  } catch {
    return { ok: false, why: 'the resource policy is not valid JSON' };
  }
  const stmts = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const arr = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  for (const s of stmts) {
    if (s.Effect !== 'Allow') continue;
    if (!(s.Principal === '*' || arr((s.Principal as { AWS?: unknown })?.AWS).includes('*'))) continue;
    if (!arr(s.Action).some((a) => a === 'bedrock:ApplyGuardrail' || a === 'bedrock:*')) continue;
    if (!arr(s.Resource).some((r) => r === guardrailArn || r === '*')) continue;
    const cond = s.Condition ?? {};
    const orgIds = arr(cond.StringEquals?.['aws:PrincipalOrgID']);
    const paths = arr(cond['ForAnyValue:StringLike']?.['aws:PrincipalOrgPaths']);
    if (orgIds.includes(organizationId) && paths.length === 0)
      return { ok: true, why: `Allow ApplyGuardrail to aws:PrincipalOrgID ${organizationId}` };
  }
  return {
    ok: false,
    why: `no statement allows bedrock:ApplyGuardrail on ${guardrailArn} to the organization ${organizationId} (aws:PrincipalOrgID)`,
  };
}

async function resourcePolicyChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  if (ctx.phase === 'pilot') return []; // account-level: callers are in the guardrail's own account
  const entries = Object.values(ctx.published);
  return runAll(entries, ctx.concurrency ?? 16, async (p) => {
    const id = `preflight:resource-policy@${p.region}`;
    try {
      const out = await ctx.access
        .forAccount(p.account, p.region)
        .bedrock.send(new GetResourcePolicyCommand({ resourceArn: p.guardrailArn }));
      if (!out.resourcePolicy)
        return [
          {
            id,
            status: 'failed',
            account: p.account,
            region: p.region,
            detail: `guardrail ${p.guardrailArn} has no resource-based policy: members would get AccessDenied on every inference call`,
          },
        ];
      const g = grantsOrganization(out.resourcePolicy, p.guardrailArn, ctx.env.organizationId);
      return [
        {
          id,
          status: g.ok ? 'passed' : 'failed',
          account: p.account,
          region: p.region,
          detail: g.ok ? g.why : `${g.why}: members would get AccessDenied on every inference call`,
        },
      ];
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') {
        return [
          {
            id,
            status: 'failed',
            account: p.account,
            region: p.region,
            detail: `guardrail ${p.guardrailArn} has no resource-based policy: members would get AccessDenied on every inference call`,
          },
        ];
      }
      return [errorCheck(id, 'GetResourcePolicy', err, { account: p.account, region: p.region })];
    }
  });
}

/**
 * A release with cross-Region inference is evaluated through a guardrail profile, whose ARN also
 * needs a resource-based policy granting the organization, in every destination Region of the
 * profile (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrail-profiles-permissions.html,
 * reference §7.5). The stacks do not generate profile policies, so this checks the one in the
 * profile ARN's Region (the destination Regions of a profile are not modelled).
 */
export async function profilePolicyChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  if (ctx.phase === 'pilot') return [];
  const profile = releaseOf(ctx).definition.toSpec().crossRegion?.guardrailProfileArn;
  if (!profile) return [];
  const id = 'preflight:resource-policy:guardrail-profile';
  const [, , , region, account] = profile.split(':');
  const rest = `the same policy must be on ${profile.split('/').pop()} in every destination Region of the profile (guardrail-rollout does not generate guardrail-profile resource policies)`;
  const missing = (why: string): CheckResult[] => [
    {
      id,
      status: 'failed',
      account,
      region,
      detail: `${why}: release ${ctx.release} uses cross-Region inference, so members would get AccessDenied on inference calls served through the profile; ${rest}`,
    },
  ];
  try {
    const out = await ctx.access.forAccount(account, region).bedrock.send(new GetResourcePolicyCommand({ resourceArn: profile }));
    if (!out.resourcePolicy) return missing(`guardrail profile ${profile} has no resource-based policy`);
    const g = grantsOrganization(out.resourcePolicy, profile, ctx.env.organizationId);
    return g.ok ? [{ id, status: 'passed', account, region, detail: `${g.why} on ${profile}; ${rest}` }] : missing(g.why);
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return missing(`guardrail profile ${profile} has no resource-based policy`);
    return [errorCheck(id, `GetResourcePolicy ${profile}`, err, { account, region })];
  }
}

async function listBedrockPolicies(ctx: GateRunContext): Promise<PolicySummary[]> {
  const org = ctx.access.forAccount(ctx.env.managementAccountId).organizations;
  const out: PolicySummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY', NextToken }));
    out.push(...(page.Policies ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

async function targetsOf(ctx: GateRunContext, policyId: string): Promise<string[]> {
  const org = ctx.access.forAccount(ctx.env.managementAccountId).organizations;
  const out: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await org.send(new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken }));
    for (const t of page.Targets ?? []) if (t.TargetId) out.push(t.TargetId);
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

/** Policy type enabled; no foreign BEDROCK_POLICY attached; expired exceptions not in force. */
async function organizationChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const checks: CheckResult[] = [];
  const orgPhase = ctx.phase !== 'pilot';
  let enabled = false;
  try {
    const roots = await access.forAccount(env.managementAccountId).organizations.send(new ListRootsCommand({}));
    const root = roots.Roots?.find((r) => r.Id === env.organization.root.id) ?? roots.Roots?.[0];
    const t = root?.PolicyTypes?.find((x) => x.Type === 'BEDROCK_POLICY');
    enabled = t?.Status === 'ENABLED';
    if (orgPhase) {
      checks.push(
        enabled
          ? { id: 'preflight:policy-type', status: 'passed', detail: `BEDROCK_POLICY is ENABLED on ${root?.Id}` }
          : {
              id: 'preflight:policy-type',
              status: 'failed',
              detail: `BEDROCK_POLICY is ${t?.Status ?? 'not enabled'} on ${root?.Id ?? 'the root'}: enable it (EnablePolicyType) and wait for ENABLED before attaching`,
            },
      );
    }
  } catch (err) {
    if (orgPhase) checks.push(errorCheck('preflight:policy-type', 'ListRoots', err));
  }

  let policies: PolicySummary[];
  try {
    policies = await listBedrockPolicies(ctx);
  } catch (err) {
    if (errorName(err) === 'PolicyTypeNotEnabledException' && !orgPhase) {
      checks.push({
        id: 'preflight:drift',
        status: 'passed',
        detail: 'BEDROCK_POLICY is not enabled: no organization policy can be attached',
      });
      return checks;
    }
    checks.push(errorCheck('preflight:drift', 'ListPolicies(BEDROCK_POLICY)', err));
    checks.push(errorCheck('preflight:exceptions', 'ListPolicies(BEDROCK_POLICY)', err));
    return checks;
  }

  const attached = new Map<string, string[]>();
  const targetErrors: CheckResult[] = [];
  await runAll(policies, ctx.concurrency ?? 16, async (p) => {
    try {
      attached.set(p.Id!, await targetsOf(ctx, p.Id!));
    } catch (err) {
      targetErrors.push(errorCheck(`preflight:targets:${p.Id}`, `ListTargetsForPolicy ${p.Id}`, err));
    }
    return [];
  });
  checks.push(...targetErrors);

  const foreign = policies.filter((p) => !isManagedPolicy(p.Name, p.Description));
  const foreignAttached = foreign.filter((p) => (attached.get(p.Id!) ?? []).length > 0);
  if (!targetErrors.length) {
    if (!foreignAttached.length) {
      checks.push({
        id: 'preflight:drift',
        status: 'passed',
        detail: `no BEDROCK_POLICY attached that guardrail-rollout did not generate (${policies.length - foreign.length} managed${foreign.length ? `, ${foreign.length} unmanaged but unattached` : ''})`,
      });
    }
    for (const p of foreignAttached) {
      checks.push({
        id: `preflight:drift:${p.Id}`,
        status: 'failed',
        detail: `BEDROCK_POLICY ${p.Id} "${p.Name}" was not generated by guardrail-rollout but is attached to ${attached.get(p.Id!)!.join(', ')} (drift or tampering: it changes the effective policy)`,
      });
    }
  }

  // Exceptions: valid target, and an expired one must not stay in force through an attached
  // policy of ours. The enterprise apply is what removes such a policy (the builder drops expired
  // exceptions), so for that phase the question is what will be in force AFTER this apply.
  for (const e of env.exceptions) {
    const id = `preflight:exception:${e.id}`;
    if (!kindOf(env, e.target)) {
      checks.push({
        id,
        status: 'failed',
        detail: `exception ${e.id} targets ${e.target}, which is not an account or OU of the organization`,
      });
      continue;
    }
    const status = exceptionStatus(e, ctx.asOf);
    if (status !== 'expired') {
      checks.push({ id, status: 'passed', detail: `exception ${e.id} on ${e.target} is valid until ${e.expires}` });
      continue;
    }
    const inForce = policies.filter(
      (p) =>
        isManagedPolicy(p.Name, p.Description) && isExceptionPolicy(e.id, p.Name, p.Description) && (attached.get(p.Id!) ?? []).length > 0,
    );
    if (!inForce.length) {
      checks.push({
        id,
        status: 'passed',
        detail: `exception ${e.id} expired on ${e.expires} and is not in force (remove it from the environment file)`,
      });
      continue;
    }
    const policyIds = inForce.map((p) => p.Id).join(', ');
    const targets = [...new Set(inForce.flatMap((p) => attached.get(p.Id!) ?? []))].join(', ');
    const stillApplies = `exception ${e.id} expired on ${e.expires} but policy ${policyIds} still applies it to ${targets}`;
    if (ctx.phase === 'enterprise') {
      const kept = ctx.plannedPolicies?.filter((p) => isExceptionPolicy(e.id, p.name, p.description));
      checks.push(
        !kept
          ? {
              id,
              status: 'failed',
              detail: `${stillApplies}, and this preflight was not given the policies of the enterprise stack being applied (plannedPolicies), so it cannot show that this apply removes it`,
            }
          : kept.length
            ? {
                id,
                status: 'failed',
                detail: `${stillApplies}, and the enterprise stack being applied keeps it (${kept.map((p) => p.name).join(', ')}): it was synthesized as of a date on which the exception was active — synthesize as of today (drop --as-of) or renew the exception`,
              }
            : {
                id,
                status: 'passed',
                detail: `exception ${e.id} expired; its policy ${policyIds} is removed by this apply (detached from ${targets})`,
              },
      );
    } else {
      // Nothing new is rolled out on top of an organization that is out of policy.
      const rel = ctx.phaseStacks.enterprise?.release;
      const how = rel
        ? `\`rollout promote enterprise --release ${rel}\`, the release it runs`
        : '`rollout promote enterprise` with the release it runs';
      checks.push({ id, status: 'failed', detail: `${stillApplies}; re-apply the enterprise phase (${how}) or renew the exception` });
    }
  }
  return checks;
}

/** Documents of the phase validate (size limit, identifiers, regions) with the published identifiers. */
function documentChecks(ctx: GateRunContext): CheckResult[] {
  if (ctx.phase === 'pilot') return [];
  const identifiers = Object.fromEntries(Object.entries(ctx.published).map(([r, p]) => [r, identifierOf(p)]));
  try {
    const specs = buildPhasePolicies({ env: ctx.env, phase: ctx.phase, identifiers, asOf: ctx.asOf, release: ctx.release });
    return specs.map((s) => {
      const issues = validatePolicyDocument(s.content, {
        managementAccountId: ctx.env.managementAccountId,
        regions: ctx.env.regions,
      }).filter((i) => i.severity === 'error');
      const size = JSON.stringify(s.content).length;
      return issues.length
        ? {
            id: `preflight:document:${s.key}`,
            status: 'failed' as const,
            detail: `${s.name}: ${issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ')}`,
          }
        : { id: `preflight:document:${s.key}`, status: 'passed' as const, detail: `${s.name}: valid, ${size} characters` };
    });
  } catch (err) {
    return [
      { id: 'preflight:document', status: 'failed', detail: `the phase's policy documents do not validate: ${(err as Error).message}` },
    ];
  }
}

/** Identities in scope can evaluate the guardrail BEFORE enforcement is on (AWS: "prove ApplyGuardrail first"). */
async function applyGuardrailChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const settings = ctx.env.phases[ctx.phase];
  const accounts = sampleAccounts(ctx.env, accountsForPhase(ctx.env, ctx.phase), settings.sample);
  if (!accounts.length) {
    // No identity could be tried: the check did not run, which is a failure, not a pass.
    return [
      {
        id: 'preflight:apply-guardrail',
        status: 'failed',
        detail: `no account in scope of ${ctx.phase} to call ApplyGuardrail from: nothing shows that enforcement cannot cause AccessDenied`,
      },
    ];
  }
  const tasks = accounts.flatMap((account) =>
    Object.values(ctx.published)
      .filter((p) => GUARDRAIL_VERSION_PATTERN.test(p.version))
      .map((p) => ({ account, p })),
  );
  return runAll(tasks, ctx.concurrency ?? 16, async ({ account, p }: { account: string; p: PublishedVersion }) => {
    const id = `preflight:apply-guardrail@${account}/${p.region}`;
    try {
      const out = await ctx.access.forAccount(account, p.region).runtime.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: p.guardrailArn,
          guardrailVersion: p.version,
          source: 'INPUT',
          content: [{ text: { text: 'guardrail-rollout preflight: can this identity evaluate the guardrail?' } }],
        }),
      );
      return [
        {
          id,
          status: 'passed',
          account,
          region: p.region,
          detail: `ApplyGuardrail on ${identifierOf(p)} succeeded (action ${out.action})`,
        },
      ];
    } catch (err) {
      if (classifyError(err) === 'denied') {
        return [
          {
            id,
            status: 'failed',
            account,
            region: p.region,
            detail: `ApplyGuardrail on ${identifierOf(p)} was denied: once enforced, every inference call from this account would fail with AccessDenied (${describeError(err)})`,
          },
        ];
      }
      return [errorCheck(id, `ApplyGuardrail on ${identifierOf(p)}`, err, { account, region: p.region })];
    }
  });
}

export async function runPreflight(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  let checks: CheckResult[];
  try {
    releaseOf(ctx);
    const published = publishedChecks(ctx);
    const [content, rbp, profile, org, access] = await Promise.all([
      contentChecks(ctx),
      resourcePolicyChecks(ctx),
      profilePolicyChecks(ctx),
      organizationChecks(ctx),
      applyGuardrailChecks(ctx),
    ]);
    checks = [...published, ...content, ...rbp, ...profile, ...org, ...documentChecks(ctx), ...access];
  } catch (err) {
    checks = [{ id: 'preflight', status: 'failed', detail: (err as Error).message }];
  }
  return gateResult('preflight', startedAt, checks);
}
