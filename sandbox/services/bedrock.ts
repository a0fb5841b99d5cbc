/**
 * Amazon Bedrock control plane (restJson1): guardrails and their versions, account-level
 * enforced guardrail configurations, guardrail resource policies, foundation models.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/ (operation pages cited per branch)
 */
import { GUARDRAIL_VERSION_PATTERN, MODEL_ID_PATTERN } from '../../core/patterns.js';
import { AwsError } from '../errors.js';
import { FOUNDATION_MODELS, foundationModelArn } from '../models.js';
import { json, paginate, type SvcRequest } from '../protocol.js';
import { parseGuardrailPolicy, policyAllows } from '../rbp.js';
import {
  GUARDRAIL_ARN_RE,
  clone,
  guardrailArn,
  nextId,
  orgPathOf,
  accountById,
  resolveGuardrail,
  type EnforcedRecord,
  type GuardrailRecord,
  type SandboxState,
} from '../state.js';
import { iso, type HandlerResult, type ServiceContext } from './common.js';
import { toOutputShape, validateGuardrailBody } from './guardrail-config.js';

type Obj = Record<string, unknown>;

const validation = (message: string) => new AwsError('ValidationException', 400, message);
const notFound = (message: string) => new AwsError('ResourceNotFoundException', 404, message);

const VERSION_RE = GUARDRAIL_VERSION_PATTERN;
const ID_RE = /^[a-z0-9]+$/;
/** Model-id pattern of ModelEnforcement (core/patterns.ts, from PutEnforcedGuardrailConfiguration's model). */
const MODEL_ID_RE = MODEL_ID_PATTERN;
const MAX_GUARDRAILS_PER_ACCOUNT = 100;
const MAX_VERSIONS_PER_GUARDRAIL = 20;

export function handleBedrock(ctx: ServiceContext, req: SvcRequest): HandlerResult {
  const { state } = ctx;
  const body = parseBody(req);
  const now = iso(ctx.now());
  const caller = req.caller.account;
  const region = req.region;
  const label = (i: number) => req.segments[i] ?? '';

  switch (req.operation) {
    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
    case 'CreateGuardrail': {
      const token = typeof body.clientRequestToken === 'string' ? body.clientRequestToken : undefined;
      const replay = token && state.guardrails.find((g) => g.owner === caller && g.region === region && g.tokens[`create:${token}`]);
      if (replay) return created(replay);
      const config = validateGuardrailBody(body);
      const mine = state.guardrails.filter((g) => g.owner === caller && g.region === region);
      if (mine.some((g) => g.draft.name === config.name))
        throw new AwsError('ConflictException', 400, `A guardrail named ${config.name} already exists.`);
      if (mine.length >= MAX_GUARDRAILS_PER_ACCOUNT)
        throw new AwsError(
          'ServiceQuotaExceededException',
          400,
          'You have reached the maximum number of guardrails in this account and Region.',
        );
      const id = nextId(state, 'guardrail', 12);
      const g: GuardrailRecord = {
        id,
        arn: guardrailArn(region, caller, id),
        owner: caller,
        region,
        draft: config,
        createdAt: now,
        updatedAt: now,
        nextVersion: 1,
        versions: [],
        tags: Array.isArray(body.tags) ? clone(body.tags as GuardrailRecord['tags']) : [],
        tokens: token ? { [`create:${token}`]: id } : {},
      };
      state.guardrails.push(g);
      return created(g);
    }

    case 'GetGuardrail': {
      const g = findForCaller(state, label(1), caller, region, 'bedrock:GetGuardrail');
      const version = req.query.get('guardrailVersion') ?? 'DRAFT';
      if (version !== 'DRAFT' && !VERSION_RE.test(version))
        throw validation(`guardrailVersion must be DRAFT or a version number, not "${version}".`);
      const v = version === 'DRAFT' ? undefined : g.versions.find((x) => x.version === version);
      if (version !== 'DRAFT' && !v) throw notFound(`Guardrail ${g.id} has no version ${version}.`);
      const config = v ? v.config : g.draft;
      return ok({
        ...toOutputShape(config, g.region),
        ...(v?.description !== undefined ? { description: v.description } : {}),
        guardrailId: g.id,
        guardrailArn: g.arn,
        version: v ? v.version : 'DRAFT',
        status: 'READY',
        createdAt: v ? v.createdAt : g.createdAt,
        updatedAt: v ? v.createdAt : g.updatedAt,
      });
    }

    // UpdateGuardrail replaces the DRAFT as a whole: an omitted policy is removed.
    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_UpdateGuardrail.html
    case 'UpdateGuardrail': {
      const g = findOwn(state, label(1), caller, region);
      const config = validateGuardrailBody(body);
      if (state.guardrails.some((x) => x !== g && x.owner === caller && x.region === region && x.draft.name === config.name)) {
        throw new AwsError('ConflictException', 400, `A guardrail named ${config.name} already exists.`);
      }
      g.draft = config;
      g.updatedAt = now;
      return { response: json(202, { guardrailId: g.id, guardrailArn: g.arn, version: 'DRAFT', updatedAt: now }), mutated: true };
    }

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrailVersion.html
    case 'CreateGuardrailVersion': {
      const g = findOwn(state, label(1), caller, region);
      const token = typeof body.clientRequestToken === 'string' ? body.clientRequestToken : undefined;
      if (token && g.tokens[`version:${token}`])
        return { response: json(202, { guardrailId: g.id, version: g.tokens[`version:${token}`] }), mutated: false };
      if (
        body.description !== undefined &&
        (typeof body.description !== 'string' || body.description.length < 1 || body.description.length > 200)
      ) {
        throw validation("Value at 'description' failed to satisfy constraint: Member must have length between 1 and 200");
      }
      if (g.versions.length >= MAX_VERSIONS_PER_GUARDRAIL)
        throw new AwsError('ServiceQuotaExceededException', 400, `Guardrail ${g.id} has reached the maximum number of versions.`);
      const version = String(g.nextVersion++);
      g.versions.push({ version, description: body.description as string | undefined, config: clone(g.draft), createdAt: now });
      if (token) g.tokens[`version:${token}`] = version;
      return { response: json(202, { guardrailId: g.id, version }), mutated: true };
    }

    // A guardrail (or version) referenced by an enforcement cannot be deleted.
    // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html
    case 'DeleteGuardrail': {
      const g = findOwn(state, label(1), caller, region);
      const version = req.query.get('guardrailVersion');
      if (version !== null && !VERSION_RE.test(version)) throw validation(`guardrailVersion must be a version number, not "${version}".`);
      if (version !== null && !g.versions.some((v) => v.version === version))
        throw notFound(`Guardrail ${g.id} has no version ${version}.`);
      const users = enforcementsUsing(state, g, version ?? undefined);
      if (users.length)
        throw new AwsError(
          'ResourceInUseException',
          400,
          `Guardrail ${g.id}${version ? ` version ${version}` : ''} is in use by ${users.join(', ')} and cannot be deleted.`,
        );
      if (version === null) {
        state.guardrails = state.guardrails.filter((x) => x !== g);
        state.resourcePolicies = state.resourcePolicies.filter((p) => p.resourceArn !== g.arn);
      } else {
        g.versions = g.versions.filter((v) => v.version !== version);
      }
      return { response: json(202, {}), mutated: true };
    }

    case 'ListGuardrails': {
      const identifier = req.query.get('guardrailIdentifier');
      let items: Obj[];
      if (identifier) {
        const g = findOwn(state, identifier, caller, region);
        items = [listItem(g, undefined), ...g.versions.map((v) => listItem(g, v.version))];
      } else {
        items = state.guardrails.filter((g) => g.owner === caller && g.region === region).map((g) => listItem(g, undefined));
      }
      const p = paginate(items, req.query.get('nextToken'), maxResults(req), { defaultMax: 100, cap: 1000, invalid: validation });
      return ok({ guardrails: p.page, nextToken: p.nextToken });
    }

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html
    case 'PutEnforcedGuardrailConfiguration':
      return putEnforced(ctx, req, body, now);

    case 'ListEnforcedGuardrailsConfiguration': {
      const items = state.enforced.filter((e) => e.account === caller && e.region === region).map((e) => enforcedItem(state, e));
      const p = paginate(items, req.query.get('nextToken'), undefined, { defaultMax: 100, cap: 100, invalid: validation });
      return ok({ guardrailsConfig: p.page, nextToken: p.nextToken });
    }

    case 'DeleteEnforcedGuardrailConfiguration': {
      const configId = label(1);
      if (!ID_RE.test(configId)) throw validation(`configId "${configId}" must match [a-z0-9]+.`);
      const e = state.enforced.find((x) => x.configId === configId && x.account === caller && x.region === region);
      if (!e) throw notFound(`No enforced guardrail configuration ${configId} in this account and Region.`);
      state.enforced = state.enforced.filter((x) => x !== e);
      return { response: json(200, {}), mutated: true };
    }

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutResourcePolicy.html
    case 'PutResourcePolicy': {
      const arn = body.resourceArn;
      const text = body.resourcePolicy;
      if (typeof arn !== 'string' || arn.length < 1 || arn.length > 255) throw validation('resourceArn is required (1 to 255 characters).');
      if (typeof text !== 'string' || text.length < 1 || text.length > 20480)
        throw validation('resourcePolicy is required (1 to 20480 characters).');
      const g = guardrailForPolicy(state, arn, caller, region, false);
      const parsed = parseGuardrailPolicy(text, { resourceArn: g.arn, owner: g.owner, orgId: state.organization.id });
      if (!parsed.ok) throw validation(`The resource policy is not supported: ${parsed.message}`);
      const existing = state.resourcePolicies.find((p) => p.resourceArn === g.arn);
      if (existing) {
        existing.policy = text;
        existing.updatedAt = now;
      } else state.resourcePolicies.push({ resourceArn: g.arn, policy: text, updatedAt: now });
      return { response: json(201, { resourceArn: g.arn }), mutated: true };
    }

    case 'GetResourcePolicy':
    case 'DeleteResourcePolicy': {
      const g = guardrailForPolicy(state, label(1), caller, region, true);
      const p = state.resourcePolicies.find((x) => x.resourceArn === g.arn);
      if (!p) throw notFound(`No resource policy is attached to ${g.arn}.`);
      if (req.operation === 'GetResourcePolicy') return ok({ resourcePolicy: p.policy });
      state.resourcePolicies = state.resourcePolicies.filter((x) => x !== p);
      return { response: json(200, {}), mutated: true };
    }

    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html
    case 'ListFoundationModels': {
      const q = req.query;
      const enumCheck = (key: string, values: string[]) => {
        const v = q.get(key);
        if (v !== null && !values.includes(v)) throw validation(`${key} must be one of ${values.join(', ')}.`);
        return v;
      };
      const provider = q.get('byProvider');
      const customization = enumCheck('byCustomizationType', ['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION']);
      const output = enumCheck('byOutputModality', ['TEXT', 'IMAGE', 'EMBEDDING']);
      const inference = enumCheck('byInferenceType', ['ON_DEMAND', 'PROVISIONED']);
      if (provider !== null && !/^[A-Za-z0-9- ]{1,63}$/.test(provider)) throw validation('byProvider must match [A-Za-z0-9- ]{1,63}.');
      const models = FOUNDATION_MODELS.filter(
        (m) =>
          (provider === null ||
            m.providerName.toLowerCase() === provider.toLowerCase() ||
            m.modelId.split('.')[0] === provider.toLowerCase()) &&
          (customization === null || (m.customizationsSupported as string[]).includes(customization)) &&
          (output === null || (m.outputModalities as string[]).includes(output)) &&
          (inference === null || (m.inferenceTypesSupported as string[]).includes(inference)),
      );
      return ok({
        modelSummaries: models.map((m) => ({
          modelArn: foundationModelArn(region, m.modelId),
          modelId: m.modelId,
          modelName: m.modelName,
          providerName: m.providerName,
          inputModalities: m.inputModalities,
          outputModalities: m.outputModalities,
          responseStreamingSupported: m.responseStreamingSupported,
          customizationsSupported: m.customizationsSupported,
          inferenceTypesSupported: m.inferenceTypesSupported,
          modelLifecycle: { status: m.lifecycle },
        })),
      });
    }

    default:
      throw new AwsError('UnknownOperationException', 404, `No Bedrock operation matches ${req.method} /${req.segments.join('/')}.`);
  }

  function created(g: GuardrailRecord): HandlerResult {
    return { response: json(202, { guardrailId: g.id, guardrailArn: g.arn, version: 'DRAFT', createdAt: g.createdAt }), mutated: true };
  }
}

function ok(body: unknown): HandlerResult {
  return { response: json(200, body), mutated: false };
}

function parseBody(req: SvcRequest): Obj {
  if (!req.body.length) return {};
  try {
    const v = JSON.parse(req.body.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Obj;
  } catch {
    throw new AwsError('SerializationException', 400, 'The request body is not a JSON object.');
  }
}

function maxResults(req: SvcRequest): number | undefined {
  const v = req.query.get('maxResults');
  return v === null ? undefined : Number(v);
}

function checkIdentifier(identifier: string): void {
  if (!ID_RE.test(identifier) && !GUARDRAIL_ARN_RE.test(identifier)) {
    throw validation(`guardrailIdentifier "${identifier}" must be a guardrail id or a guardrail ARN.`);
  }
}

/** A guardrail the caller owns (mutations are never cross-account). */
function findOwn(state: SandboxState, identifier: string, caller: string, region: string): GuardrailRecord {
  checkIdentifier(identifier);
  const g = resolveGuardrail(state, identifier, caller, region);
  if (g && g.owner !== caller) throw new AwsError('AccessDeniedException', 403, `Account ${caller} is not authorized to modify ${g.arn}.`);
  if (!g || g.region !== region) throw notFound(`Guardrail ${identifier} was not found in account ${caller}, Region ${region}.`);
  return g;
}

/** A guardrail the caller owns, or another account's that its resource policy shares for `action`. */
function findForCaller(state: SandboxState, identifier: string, caller: string, region: string, action: string): GuardrailRecord {
  checkIdentifier(identifier);
  const g = resolveGuardrail(state, identifier, caller, region);
  if (!g || g.region !== region) throw notFound(`Guardrail ${identifier} was not found.`);
  if (g.owner !== caller && !sharedWith(state, g, caller, action)) {
    throw new AwsError('AccessDeniedException', 403, `Account ${caller} is not authorized to perform ${action} on ${g.arn}.`);
  }
  return g;
}

export function sharedWith(state: SandboxState, g: GuardrailRecord, caller: string, action: string): boolean {
  const text = state.resourcePolicies.find((p) => p.resourceArn === g.arn)?.policy;
  const member = !!accountById(state, caller);
  return policyAllows(
    text,
    action,
    { account: caller, orgId: member ? state.organization.id : undefined, orgPath: member ? orgPathOf(state, caller) : undefined },
    { resourceArn: g.arn, owner: g.owner, orgId: state.organization.id },
  );
}

function guardrailForPolicy(state: SandboxState, arn: string, caller: string, region: string, missingIsNotFound: boolean): GuardrailRecord {
  const m = GUARDRAIL_ARN_RE.exec(arn);
  if (!m) throw validation(`resourceArn "${arn}" is not a guardrail ARN (arn:aws:bedrock:<region>:<account>:guardrail/<id>).`);
  if (m[2] !== caller)
    throw new AwsError(
      'AccessDeniedException',
      403,
      `Account ${caller} cannot manage the resource policy of ${arn}, which it does not own.`,
    );
  if (m[1] !== region) throw validation(`resourceArn ${arn} is not in the Region of the request (${region}).`);
  const g = resolveGuardrail(state, arn, caller, region);
  if (!g) {
    if (missingIsNotFound) throw notFound(`Guardrail ${arn} was not found.`);
    throw validation(`Guardrail ${arn} does not exist.`);
  }
  return g;
}

function listItem(g: GuardrailRecord, version: string | undefined): Obj {
  const v = version ? g.versions.find((x) => x.version === version)! : undefined;
  const config = v ? v.config : g.draft;
  const out = toOutputShape(config, g.region);
  return {
    id: g.id,
    arn: g.arn,
    status: 'READY',
    name: config.name,
    description: v?.description ?? config.description,
    version: version ?? 'DRAFT',
    createdAt: v ? v.createdAt : g.createdAt,
    updatedAt: v ? v.createdAt : g.updatedAt,
    crossRegionDetails: out.crossRegionDetails,
  };
}

/** Account enforcements and attached org policies that reference the guardrail (or one version). */
function enforcementsUsing(state: SandboxState, g: GuardrailRecord, version: string | undefined): string[] {
  const users: string[] = [];
  for (const e of state.enforced) {
    const target = resolveGuardrail(state, e.guardrailIdentifier, e.account, e.region);
    if (target === g && (version === undefined || e.guardrailVersion === version))
      users.push(`enforced configuration ${e.configId} (account ${e.account})`);
  }
  const attached = new Set(state.attachments.map((a) => a.policyId));
  for (const p of state.policies) {
    if (p.type !== 'BEDROCK_POLICY' || !attached.has(p.id)) continue;
    const refs = [...p.content.matchAll(new RegExp(`${g.arn.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\w+)`, 'g'))].map((m) => m[1]);
    if (refs.some((v) => version === undefined || v === version)) users.push(`organization policy ${p.id}`);
  }
  return users;
}

function putEnforced(ctx: ServiceContext, req: SvcRequest, body: Obj, now: string): HandlerResult {
  const { state } = ctx;
  const caller = req.caller.account;
  const region = req.region;
  const errors: string[] = [];
  const configId = body.configId;
  if (configId !== undefined && (typeof configId !== 'string' || !ID_RE.test(configId))) errors.push('configId must match [a-z0-9]+');
  const gic = body.guardrailInferenceConfig as Obj | undefined;
  if (!gic || typeof gic !== 'object')
    throw validation(
      "1 validation error detected: Value null at 'guardrailInferenceConfig' failed to satisfy constraint: Member must not be null",
    );
  for (const k of Object.keys(gic)) {
    if (!['guardrailIdentifier', 'guardrailVersion', 'selectiveContentGuarding', 'modelEnforcement'].includes(k))
      errors.push(`guardrailInferenceConfig.${k} is not a supported member`);
  }
  const identifier = gic.guardrailIdentifier;
  const version = gic.guardrailVersion;
  if (typeof identifier !== 'string' || !(ID_RE.test(identifier) || GUARDRAIL_ARN_RE.test(identifier)))
    errors.push('guardrailIdentifier must be a guardrail id or guardrail ARN (without a version)');
  if (typeof version !== 'string' || !VERSION_RE.test(version))
    errors.push(
      `guardrailVersion must be a published version number ([1-9][0-9]{0,7}); "${String(version)}" is not (DRAFT cannot be enforced)`,
    );
  const scg = gic.selectiveContentGuarding as Obj | undefined;
  if (scg !== undefined) {
    if (!scg || typeof scg !== 'object') errors.push('selectiveContentGuarding must be a structure');
    else
      for (const [k, v] of Object.entries(scg)) {
        if (k !== 'system' && k !== 'messages') errors.push(`selectiveContentGuarding.${k} is not a supported member`);
        else if (v !== 'SELECTIVE' && v !== 'COMPREHENSIVE')
          errors.push(`selectiveContentGuarding.${k} must be SELECTIVE or COMPREHENSIVE`);
      }
  }
  const me = gic.modelEnforcement as Obj | undefined;
  if (me !== undefined) {
    const inc = me?.includedModels;
    const exc = me?.excludedModels;
    if (!Array.isArray(inc) || inc.length < 1) errors.push('modelEnforcement.includedModels must list at least one model id or ALL');
    else
      for (const m of inc)
        if (m !== 'ALL' && !(typeof m === 'string' && MODEL_ID_RE.test(m)))
          errors.push(`modelEnforcement.includedModels: "${String(m)}" is not a model id`);
    if (!Array.isArray(exc)) errors.push('modelEnforcement.excludedModels is required (may be empty)');
    else
      for (const m of exc)
        if (!(typeof m === 'string' && MODEL_ID_RE.test(m)))
          errors.push(`modelEnforcement.excludedModels: "${String(m)}" is not a model id`);
  }
  if (errors.length) throw validation(`${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);

  const g = resolveGuardrail(state, identifier as string, caller, region);
  if (!g || g.region !== region) throw notFound(`Guardrail ${identifier as string} was not found in account ${caller}, Region ${region}.`);
  if (g.owner !== caller && !sharedWith(state, g, caller, 'bedrock:ApplyGuardrail')) {
    throw new AwsError('AccessDeniedException', 403, `Account ${caller} is not authorized to perform bedrock:ApplyGuardrail on ${g.arn}.`);
  }
  if (!g.versions.some((v) => v.version === version)) throw notFound(`Guardrail ${g.id} has no version ${version as string}.`);

  const fields = {
    guardrailIdentifier: identifier as string,
    guardrailVersion: version as string,
    selectiveContentGuarding: scg ? (clone(scg) as EnforcedRecord['selectiveContentGuarding']) : undefined,
    modelEnforcement: me ? (clone(me) as EnforcedRecord['modelEnforcement']) : undefined,
  };
  const existing = state.enforced.find((e) => e.account === caller && e.region === region);
  if (configId !== undefined) {
    if (!existing || existing.configId !== configId)
      throw notFound(`No enforced guardrail configuration ${configId as string} in this account and Region.`);
  } else if (existing) {
    // One configuration per account and Region. Repeating the same request is idempotent;
    // changing it requires the configId (as Terraform passes on update).
    const same = JSON.stringify(pick(existing)) === JSON.stringify(pick({ ...existing, ...fields }));
    if (!same)
      throw new AwsError(
        'ConflictException',
        400,
        `An enforced guardrail configuration (${existing.configId}) already exists in this account and Region; pass its configId to update it.`,
      );
    return ok({ configId: existing.configId, updatedAt: existing.updatedAt, updatedBy: existing.updatedBy });
  }
  if (existing) {
    Object.assign(existing, fields, { updatedAt: now, updatedBy: req.caller.arn });
    if (!fields.selectiveContentGuarding) delete existing.selectiveContentGuarding;
    if (!fields.modelEnforcement) delete existing.modelEnforcement;
    return { response: json(200, { configId: existing.configId, updatedAt: now, updatedBy: req.caller.arn }), mutated: true };
  }
  const record: EnforcedRecord = {
    configId: nextId(state, 'enforced', 10),
    account: caller,
    region,
    ...fields,
    createdAt: now,
    createdBy: req.caller.arn,
    updatedAt: now,
    updatedBy: req.caller.arn,
  };
  if (!record.selectiveContentGuarding) delete record.selectiveContentGuarding;
  if (!record.modelEnforcement) delete record.modelEnforcement;
  state.enforced.push(record);
  return { response: json(200, { configId: record.configId, updatedAt: now, updatedBy: req.caller.arn }), mutated: true };
}

function pick(e: EnforcedRecord) {
  return [e.guardrailIdentifier, e.guardrailVersion, e.selectiveContentGuarding ?? null, e.modelEnforcement ?? null];
}

function enforcedItem(state: SandboxState, e: EnforcedRecord): Obj {
  const g = resolveGuardrail(state, e.guardrailIdentifier, e.account, e.region);
  return {
    configId: e.configId,
    guardrailArn:
      g?.arn ??
      (GUARDRAIL_ARN_RE.test(e.guardrailIdentifier) ? e.guardrailIdentifier : guardrailArn(e.region, e.account, e.guardrailIdentifier)),
    guardrailId: g?.id ?? e.guardrailIdentifier.split('/').pop(),
    guardrailVersion: e.guardrailVersion,
    selectiveContentGuarding: e.selectiveContentGuarding,
    modelEnforcement: e.modelEnforcement,
    owner: 'ACCOUNT',
    createdAt: e.createdAt,
    createdBy: e.createdBy,
    updatedAt: e.updatedAt,
    updatedBy: e.updatedBy,
  };
}
