/**
 * Zod schema of `environments/<name>/environment.yaml` (the file a person writes).
 * Structural rules live here (types, patterns, unknown keys, enums, dates); rules that need
 * the whole file (references, cycles, pilot placement) live in `model/validate.ts`;
 * release definitions are imported by `model/load.ts`.
 * Every object is strict: an unknown key is an error, so typos never pass silently.
 */
import { z } from 'zod';
import {
  ACCOUNT_ID,
  AWS_COMMERCIAL_REGIONS,
  INFERENCE_PROFILE_PREFIX,
  MODEL_ID_PATTERN,
  ORG_ID,
  OU_ID,
  ROOT_ID,
} from '../core/patterns.js';
import { DEFAULT_AWS_PROVIDER_VERSION, isTerraformVersionConstraint, VERSION_CONSTRAINT_EXPECTED } from './provider-version.js';
import type {
  BackendSettings,
  DeploymentSettings,
  EnforcementException,
  GuardingMode,
  Organization,
  ProbeRoleSettings,
  SampleSettings,
  SmokeCase,
  StateStoreSettings,
} from './types.js';
import { NOTIFICATION_EVENTS, PHASES, type NotificationSettings } from './types.js';
import { show } from './schema-show.js';
import { analysisSchema } from './analysis-schema.js';
import { TRAFFIC_PROFILES } from './traffic.js';

/** Default `hashicorp/aws` constraint and its release: model/provider-version.ts says why. */
export { AWS_PROVIDER_RELEASE, DEFAULT_AWS_PROVIDER_VERSION } from './provider-version.js';
export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_SAMPLE: SampleSettings = { perOu: 1, floor: 1 };

// ───────────────────────────── identifiers ─────────────────────────────

export const RELEASE_NAME = /^[a-z][a-z0-9-]{0,39}@[0-9][0-9A-Za-z.+-]{0,39}$/;
export const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
export const EXCEPTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const accountIdSchema = z
  .string({
    error: (iss) =>
      typeof iss.input === 'number'
        ? `expected a 12-digit account id as a quoted string, e.g. "${String(iss.input).padStart(12, '0')}"; YAML read ${iss.input} as a number (which drops leading zeros): put the id in quotes`
        : `expected a 12-digit account id as a quoted string, got ${show(iss.input)}`,
  })
  .regex(ACCOUNT_ID, { error: (iss) => `expected a 12-digit account id, e.g. "111111111111", got ${show(iss.input)}` });

const idOf = (re: RegExp, what: string, example: string) =>
  z
    .string({ error: (iss) => `expected ${what}, got ${show(iss.input)}` })
    .regex(re, { error: (iss) => `expected ${what} like "${example}" (pattern ${re.source}), got ${show(iss.input)}` });

export const rootIdSchema = idOf(ROOT_ID, 'an organization root id', 'r-ab12');
export const ouIdSchema = idOf(OU_ID, 'an organizational unit id', 'ou-ab12-11111111');
export const orgIdSchema = idOf(ORG_ID, 'an organization id', 'o-abcdefghij');
/** Parent of an OU or account: the root or an OU (existence is checked later). */
const parentSchema = z
  .string({ error: (iss) => `expected the id of the root or of an OU, got ${show(iss.input)}` })
  .refine((v) => ROOT_ID.test(v) || OU_ID.test(v), {
    error: (iss) => `expected the id of the root (r-…) or of an OU (ou-…), got ${show(iss.input)}`,
  });

export const regionSchema = z
  .string({ error: (iss) => `expected an AWS Region code such as "us-east-1", got ${show(iss.input)}` })
  .refine((v) => (AWS_COMMERCIAL_REGIONS as readonly string[]).includes(v), {
    error: (iss) => `expected an AWS commercial Region code (e.g. us-east-1, eu-west-1), got ${show(iss.input)}`,
  });

function modelIdError(v: unknown): string {
  if (typeof v === 'string' && v.toLowerCase() === 'all') return `"ALL" is only allowed (upper-case) in enforcement.models.included`;
  if (typeof v === 'string' && INFERENCE_PROFILE_PREFIX.test(v)) {
    return `expected a foundation-model id, not the inference-profile id ${show(v)}: drop the "${v.split('.')[0]}." prefix`;
  }
  if (typeof v === 'string' && v.startsWith('arn:'))
    return `expected a foundation-model id such as "anthropic.claude-3-5-sonnet-20240620-v1:0", not an ARN`;
  return `expected a Bedrock foundation-model id provider.model[:version[:variant]] such as "amazon.titan-embed-text-v2:0", got ${show(v)}`;
}
export const modelIdSchema = z
  .string({ error: (iss) => modelIdError(iss.input) })
  .refine((v) => MODEL_ID_PATTERN.test(v), { error: (iss) => modelIdError(iss.input) });
const includedModelSchema = z.string({ error: (iss) => modelIdError(iss.input) }).refine((v) => v === 'ALL' || MODEL_ID_PATTERN.test(v), {
  error: (iss) =>
    modelIdError(iss.input) === `"ALL" is only allowed (upper-case) in enforcement.models.included`
      ? `expected "ALL" in upper case, got ${show(iss.input)}`
      : modelIdError(iss.input),
});

/** True for a real calendar date in YYYY-MM-DD (2026-02-30 is not). */
export function isRealDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}
export const dateSchema = z
  .string({ error: (iss) => `expected a date as YYYY-MM-DD, got ${show(iss.input)}` })
  .regex(ISO_DATE, { error: (iss) => `expected a date as YYYY-MM-DD, got ${show(iss.input)}`, abort: true })
  .refine(isRealDate, { error: (iss) => `expected a real calendar date, got ${show(iss.input)} (no such day)` });

const text = (what: string, max = 2000) =>
  z
    .string({ error: (iss) => `expected ${what} (text), got ${show(iss.input)}` })
    .trim()
    .min(1, { error: `expected ${what}, got an empty string` })
    .max(max, { error: `expected ${what} of at most ${max} characters` });

const guardingMode = z.enum(['comprehensive', 'selective'], {
  error: (iss) => `expected "comprehensive" or "selective" (lower case), got ${show(iss.input)}`,
});

/** Legacy preview key (docs/aws-facts.md#legacy-input-tags): read-only compatibility. */
const legacyInputTags = z.enum(['honor', 'ignore'], {
  error: (iss) => `expected "honor" or "ignore" (legacy preview key; prefer system/messages), got ${show(iss.input)}`,
});

// ───────────────────────────── durations ─────────────────────────────

/** "0s", "90s", "30m", "2h", "1d", or combinations like "1h30m" → seconds. */
export function parseDuration(v: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v.trim());
  if (!m || v.trim() === '') return undefined;
  const [d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + mi) * 60 + s;
}

// ───────────────────────────── organization ─────────────────────────────

const ouSchema = z.strictObject({
  id: ouIdSchema,
  name: text('an OU name', 128),
  parent: parentSchema,
});
const accountSchema = z.strictObject({
  id: accountIdSchema,
  name: text('an account name', 128),
  parent: parentSchema,
  email: z.email({ error: (iss) => `expected an e-mail address, got ${show(iss.input)}` }).optional(),
});
const organizationSchema = z.strictObject({
  root: z.strictObject({ id: rootIdSchema, name: text('a root name', 128).default('Root') }),
  ous: z.array(ouSchema).default([]),
  accounts: z.array(accountSchema).min(1, { error: 'expected at least one account (the management account)' }),
});

// ───────────────────────────── releases ─────────────────────────────

const releaseSchema = z.strictObject({
  name: z.string({ error: (iss) => `expected a release name like "baseline@2026.11.2", got ${show(iss.input)}` }).regex(RELEASE_NAME, {
    error: (iss) =>
      `expected a release name <name>@<version> like "baseline@2026.11.2" (lower-case name, version starting with a digit), got ${show(iss.input)}`,
  }),
  /** Path of the definition module (.ts, .js, .json, .yaml), relative to the environment file. */
  definition: text('the path of the guardrail definition file', 1024),
  description: text('a description', 500).optional(),
  /** Optional pin: sha256 of the canonical definition. A changed definition is refused. */
  sha256: z
    .string()
    .regex(/^(sha256:)?[0-9a-f]{64}$/, {
      error: (iss) => `expected a sha256 hex digest (64 lower-case hex characters, optional "sha256:" prefix), got ${show(iss.input)}`,
    })
    .transform((v) => v.replace(/^sha256:/, ''))
    .optional(),
});

// ───────────────────────────── enforcement + exceptions ─────────────────────────────

const modelRulesSchema = z.strictObject({
  included: z.array(includedModelSchema).min(1, { error: 'expected at least one entry ("ALL" or model ids)' }).default(['ALL']),
  excluded: z.array(modelIdSchema).default([]),
});

const enforcementSchema = z.strictObject({
  system: guardingMode.optional(),
  messages: guardingMode.optional(),
  inputTags: legacyInputTags.optional(),
  models: modelRulesSchema.default({ included: ['ALL'], excluded: [] }),
});

const exceptionChangeSchema = z.strictObject({
  excludedModels: z.array(modelIdSchema).min(1, { error: 'expected at least one model id (or leave excludedModels out)' }).optional(),
  system: guardingMode.optional(),
  messages: guardingMode.optional(),
  inputTags: legacyInputTags.optional(),
});

const exceptionSchema = z.strictObject({
  id: z.string({ error: (iss) => `expected an exception id like "EXC-2026-001", got ${show(iss.input)}` }).regex(EXCEPTION_ID, {
    error: (iss) => `expected an exception id of letters, digits, ".", "_" or "-" like "EXC-2026-001", got ${show(iss.input)}`,
  }),
  target: z
    .string({ error: (iss) => `expected an account id (quoted, 12 digits) or an OU id, got ${show(iss.input)}` })
    .refine((v) => ACCOUNT_ID.test(v) || OU_ID.test(v), {
      error: (iss) => `expected an account id (12 digits) or an OU id (ou-…), got ${show(iss.input)}`,
    }),
  changes: exceptionChangeSchema,
  owner: text('the owner (team or person)', 200),
  reason: text('the reason for the exception', 2000),
  approver: text('the approver', 200),
  expires: dateSchema,
  ticket: text('a ticket reference', 200).optional(),
});

// ───────────────────────────── phases + smoke ─────────────────────────────

const smokeTurnSchema = z.strictObject({
  role: z.enum(['user', 'assistant'], { error: (iss) => `expected "user" or "assistant", got ${show(iss.input)}` }),
  text: z.string({ error: (iss) => `expected the turn text, got ${show(iss.input)}` }).min(1, { error: 'expected non-empty turn text' }),
});

const smokeCaseSchema = z
  .strictObject({
    id: z.string({ error: (iss) => `expected a smoke case id, got ${show(iss.input)}` }).regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, {
      error: (iss) => `expected a smoke case id of lower-case letters, digits, ".", "_" or "-", got ${show(iss.input)}`,
    }),
    description: text('a description', 500).optional(),
    surface: z.enum(['system', 'message'], { error: (iss) => `expected "system" or "message", got ${show(iss.input)}` }),
    model: modelIdSchema,
    content: z
      .string({ error: (iss) => `expected the content to send (text), got ${show(iss.input)}` })
      .min(1, { error: 'expected non-empty content' })
      .optional(),
    /** Alternative to `content`: a text file relative to the environment file (long prompts). */
    contentFile: text('a file path', 1024).optional(),
    tagged: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).optional(),
    history: z.array(smokeTurnSchema).optional(),
    expect: z.enum(['blocked', 'anonymized', 'allowed'], {
      error: (iss) => `expected "blocked", "anonymized" or "allowed", got ${show(iss.input)}`,
    }),
  })
  .superRefine((c, ctx) => {
    if ((c.content === undefined) === (c.contentFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'expected exactly one of content or contentFile' });
    }
  });

// ───────────────────────────── team additions ─────────────────────────────

export const TEAM_ADDITION_ID = /^[a-z0-9][a-z0-9-]{0,34}$/;

/** `teamAdditions[]` (docs/team-additions.md); references (account, pilot, overlaps) are checked in model/team-additions.ts. */
const teamAdditionSchema = z.strictObject({
  id: z.string({ error: (iss) => `expected a team addition id, got ${show(iss.input)}` }).regex(TEAM_ADDITION_ID, {
    error: (iss) =>
      `expected a team addition id of lower-case letters, digits and "-" (at most 35) like "support-bot-strict", got ${show(iss.input)}`,
  }),
  account: accountIdSchema,
  owner: text('the owner (team or person)', 200),
  reason: text('the reason for the addition', 2000),
  approver: text('the approver', 200).optional(),
  expires: dateSchema.optional(),
  regions: z.array(regionSchema).min(1, { error: 'expected at least one Region (or leave regions out for all)' }).optional(),
  definition: text('the path of the guardrail definition file', 1024),
  // Only cases the team guardrail must act on: an addition exists to block, so must-pass cases belong to the baseline's suites.
  smoke: z
    .array(
      smokeCaseSchema.refine((c) => c.expect !== 'allowed', {
        path: ['expect'],
        error: 'expected "blocked" or "anonymized": the cases of a team addition are what its guardrail must act on',
      }),
    )
    .min(1, { error: 'expected at least one smoke case: a gate never passes without evidence' }),
});

const smokeEntrySchema = z.union(
  [smokeCaseSchema, z.strictObject({ include: z.string({ error: 'expected the name of a smokeSuites entry' }) })],
  { error: 'expected a smoke case {id, surface, model, content, expect} or {include: <suite name>}' },
);

const sampleSchema = z.strictObject({
  perOu: z.union([z.number().int().min(1), z.literal('all')], {
    error: (iss) => `expected a whole number ≥ 1 or "all", got ${show(iss.input)}`,
  }),
  floor: z
    .number({ error: (iss) => `expected a whole number ≥ 0, got ${show(iss.input)}` })
    .int()
    .min(0, { error: 'expected a whole number ≥ 0' }),
});

const phaseSchema = z
  .strictObject({
    bakeSeconds: z
      .number({ error: (iss) => `expected seconds (a whole number ≥ 0), got ${show(iss.input)}` })
      .int({ error: 'expected whole seconds' })
      .min(0, { error: 'expected a bake time ≥ 0' })
      .optional(),
    bake: z
      .string({ error: (iss) => `expected a duration like "30m", "2h" or "0s", got ${show(iss.input)}` })
      .refine((v) => parseDuration(v) !== undefined, {
        error: (iss) => `expected a duration like "30m", "2h", "1h30m" or "0s", got ${show(iss.input)}`,
      })
      .optional(),
    /** How long the propagation gate waits for the applied change to be in force (default 5m). */
    propagationTimeout: z
      .string({ error: (iss) => `expected a duration like "5m", "30s" or "0s", got ${show(iss.input)}` })
      .refine((v) => parseDuration(v) !== undefined, {
        error: (iss) => `expected a duration like "5m", "30s", "1m30s" or "0s", got ${show(iss.input)}`,
      })
      .optional(),
    approval: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` }).default(false),
    sample: sampleSchema.default(DEFAULT_SAMPLE),
    smoke: z.array(smokeEntrySchema).min(1, { error: 'expected at least one smoke case: a gate never passes without evidence' }),
    /** Judge the bake by the guardrail's CloudWatch metrics (model/analysis.ts). */
    analysis: analysisSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.bakeSeconds === undefined) === (p.bake === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bakeSeconds'],
        message: 'expected exactly one of bakeSeconds (number) or bake (duration like "30m")',
      });
    }
  });

const phasesSchema = z.strictObject(
  Object.fromEntries(PHASES.map((p) => [p, phaseSchema])) as Record<(typeof PHASES)[number], typeof phaseSchema>,
);

// ───────────────────────────── deployment ─────────────────────────────

const backendSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('local'), directory: text('a directory', 1024).optional() }),
    z.strictObject({
      type: z.literal('s3'),
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: (iss) => `expected an S3 bucket name, got ${show(iss.input)}` }),
      keyPrefix: text('a state key prefix', 512),
      region: regionSchema,
      useLockfile: z.boolean().default(true),
      encrypt: z.boolean().default(true),
      dynamodbTable: text('a DynamoDB table name (legacy locking)', 255).optional(),
    }),
    z.strictObject({
      type: z.literal('cloud'),
      organization: text('the Terraform Cloud organization', 200),
      hostname: text('a hostname', 255).default('app.terraform.io'),
      workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, {
        error: (iss) => `expected a workspace prefix of letters, digits, "-" or "_", got ${show(iss.input)}`,
      }),
      project: text('a project name', 200).optional(),
    }),
  ],
  {
    error: (iss) =>
      `expected a backend with type "local", "s3" or "cloud", got ${show((iss.input as { type?: unknown } | undefined)?.type)}`,
  },
);

export const DEFAULT_STATE_PREFIX = 'guardrail-rollout';
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Key segments of safe characters (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html), no leading, trailing or double "/". */
const S3_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

/** `deployment.stateStore`; an s3 store without `region` takes the environment's homeRegion (model/load.ts). */
const stateStoreSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('local') }),
    z.strictObject({
      type: z.literal('s3'),
      bucket: z.string({ error: (iss) => `expected an S3 bucket name, got ${show(iss.input)}` }).regex(S3_BUCKET, {
        error: (iss) => `expected an S3 bucket name (3-63 lower-case letters, digits, "." or "-"), got ${show(iss.input)}`,
      }),
      prefix: z
        .string({ error: (iss) => `expected a key prefix, got ${show(iss.input)}` })
        .max(512, { error: 'expected a key prefix of at most 512 characters' })
        .regex(S3_PREFIX, {
          error: (iss) =>
            `expected a key prefix of letters, digits and !_.*'()- in segments separated by "/" (no leading or trailing "/"), got ${show(iss.input)}`,
        })
        .default(DEFAULT_STATE_PREFIX),
      region: regionSchema.optional(),
    }),
  ],
  {
    error: (iss) => `expected a state store with type "local" or "s3", got ${show((iss.input as { type?: unknown } | undefined)?.type)}`,
  },
);

const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: (iss) => `expected an IAM role name, got ${show(iss.input)}` });

/** A key of `deployment.probeRoles.byTarget`: an account id or an OU id (listed: model/validate.ts). */
function probeTargetError(key: string): string | undefined {
  if (ACCOUNT_ID.test(key) || OU_ID.test(key)) return undefined;
  const unquoted = /^\d{1,11}$/.test(key) ? ' (YAML reads an unquoted number and drops leading zeros: quote the account id)' : '';
  return `expected an account id (12 digits, quoted) or an OU id (ou-…) as the key, got ${show(key)}${unquoted}`;
}

const probeRolesSchema = z
  .strictObject({
    default: roleName.optional(),
    byTarget: z.record(z.string(), roleName).default({}),
  })
  .superRefine((p, ctx) => {
    if (p.default === undefined && Object.keys(p.byTarget).length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected default and/or byTarget (or leave probeRoles out)' });
    }
    for (const key of Object.keys(p.byTarget)) {
      const message = probeTargetError(key);
      if (message) ctx.addIssue({ code: 'custom', path: ['byTarget', key], message });
    }
  });

const deploymentSchema = z.strictObject({
  roleName: roleName.default(DEFAULT_ROLE_NAME),
  managementRoleName: roleName.optional(),
  probeRoles: probeRolesSchema.optional(),
  backend: backendSchema.default({ type: 'local' }),
  terraformBinary: z
    .enum(['terraform', 'tofu'], { error: (iss) => `expected "terraform" or "tofu", got ${show(iss.input)}` })
    .default('terraform'),
  /** Written verbatim into required_providers, so a typo must fail here, not at `terraform init`. */
  awsProviderVersion: z
    .string({ error: (iss) => `expected ${VERSION_CONSTRAINT_EXPECTED}, got ${show(iss.input)}` })
    .max(100, { error: 'expected a version constraint of at most 100 characters' })
    .refine(isTerraformVersionConstraint, { error: (iss) => `expected ${VERSION_CONSTRAINT_EXPECTED}, got ${show(iss.input)}` })
    .default(DEFAULT_AWS_PROVIDER_VERSION),
  stateStore: stateStoreSchema.default({ type: 'local' }),
});

// ───────────────────────────── notifications ─────────────────────────────

export const DEFAULT_NOTIFICATIONS = { timeoutSeconds: 5, retries: 3, exceptionsExpiringWithinDays: 14 } as const;
/** `${env:VAR}`: the URL is read from the environment variable at send time, so the secret stays out of the file. */
export const ENV_URL = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** An http(s) URL (the only schemes fetch can POST to). */
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A bad URL as shown in an error: scheme and host only when it has a path or query (webhook paths carry tokens). */
function showUrl(v: unknown): string {
  if (typeof v !== 'string') return show(v);
  try {
    const u = new URL(v);
    if ((u.pathname === '/' || u.pathname === '') && !u.search && !u.username && !u.password) return show(v);
    return show(`${u.protocol}//${u.host}/…`);
  } catch {
    return v.length > 40 ? show(`${v.slice(0, 12)}…`) : show(v);
  }
}

const notificationEvent = z.enum(NOTIFICATION_EVENTS, {
  error: (iss) => `expected one of ${NOTIFICATION_EVENTS.join(', ')}, got ${show(iss.input)}`,
});

const sinkSchema = z.strictObject({
  name: z.string({ error: (iss) => `expected a sink name, got ${show(iss.input)}` }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: (iss) => `expected a sink name of lower-case letters, digits and "-", got ${show(iss.input)}`,
  }),
  type: z.enum(['slack', 'webhook'], { error: (iss) => `expected "slack" or "webhook", got ${show(iss.input)}` }),
  url: z
    .string({ error: (iss) => `expected an http(s) URL or "\${env:VAR}", got ${show(iss.input)}` })
    .refine((v) => ENV_URL.test(v) || isHttpUrl(v), {
      error: (iss) => `expected an http(s) URL, got ${showUrl(iss.input)} (or "\${env:VAR}" to read it from an environment variable)`,
    }),
  /** Default: every event. */
  events: z
    .array(notificationEvent)
    .min(1, { error: 'expected at least one event (or leave events out for all)' })
    .default([...NOTIFICATION_EVENTS]),
});

const notificationsSchema = z.strictObject({
  sinks: z
    .array(sinkSchema)
    .default([])
    .superRefine((sinks, ctx) => {
      // Sink names are what the ledger records (never the URL), so they must tell sinks apart.
      sinks.forEach((s, i) => {
        const first = sinks.findIndex((t) => t.name === s.name);
        if (first < i)
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `expected unique sink names; "${s.name}" is also sinks[${first}]` });
      });
    }),
  timeoutSeconds: z
    .number({ error: (iss) => `expected seconds (a number > 0), got ${show(iss.input)}` })
    .positive({ error: 'expected seconds > 0' })
    .max(300, { error: 'expected at most 300 seconds (a verb waits this long at its end)' })
    .default(DEFAULT_NOTIFICATIONS.timeoutSeconds),
  retries: z
    .number({ error: (iss) => `expected a whole number of retries ≥ 0, got ${show(iss.input)}` })
    .int({ error: 'expected a whole number of retries' })
    .min(0, { error: 'expected retries ≥ 0' })
    .max(10, { error: 'expected at most 10 retries' })
    .default(DEFAULT_NOTIFICATIONS.retries),
  exceptionsExpiringWithinDays: z
    .number({ error: (iss) => `expected whole days ≥ 0, got ${show(iss.input)}` })
    .int({ error: 'expected whole days' })
    .min(0, { error: 'expected days ≥ 0' })
    .max(365, { error: 'expected at most 365 days' })
    .default(DEFAULT_NOTIFICATIONS.exceptionsExpiringWithinDays),
});

// ───────────────────────────── the file ─────────────────────────────

export const environmentFileSchema = z.strictObject({
  /** Defaults to the directory name. */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
      error: (iss) => `expected an environment name of lower-case letters, digits and "-", got ${show(iss.input)}`,
    })
    .optional(),
  managementAccountId: accountIdSchema,
  organizationId: orgIdSchema,
  regions: z.array(regionSchema).min(1, { error: 'expected at least one Region' }),
  homeRegion: regionSchema.optional(),
  organization: organizationSchema,
  pilot: z.strictObject({ account: accountIdSchema, ou: ouIdSchema }),
  releases: z.array(releaseSchema).min(1, { error: 'expected at least one release' }),
  currentRelease: z.string({ error: (iss) => `expected the name of a listed release, got ${show(iss.input)}` }),
  enforcement: enforcementSchema.default({ models: { included: ['ALL'], excluded: [] } }),
  exceptions: z.array(exceptionSchema).default([]),
  teamAdditions: z.array(teamAdditionSchema).optional(),
  smokeSuites: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected a suite name of lower-case letters, digits, "-" or "_"' }),
      z.array(smokeCaseSchema),
    )
    .optional(),
  phases: phasesSchema,
  deployment: deploymentSchema.default({
    roleName: DEFAULT_ROLE_NAME,
    backend: { type: 'local' },
    terraformBinary: 'terraform',
    awsProviderVersion: DEFAULT_AWS_PROVIDER_VERSION,
    stateStore: { type: 'local' },
  }),
  sandbox: z
    .strictObject({
      policyTypeEnabled: z.boolean().default(true),
      /** Synthetic application traffic the emulator runs (model/traffic.ts); absent = none. */
      traffic: z
        .enum(TRAFFIC_PROFILES, {
          error: (iss) => `expected a traffic profile (${TRAFFIC_PROFILES.map((t) => `"${t}"`).join(', ')}), got ${show(iss.input)}`,
        })
        .optional(),
    })
    .optional(),
  /**
   * Directories besides the environment file's own that `releases[].definition` and smoke
   * `contentFile` may point into (relative to the environment file, or absolute). Anything
   * else is refused: a definition is code, and smoke content is sent to Bedrock.
   */
  fileRoots: z.array(text('a directory path', 1024)).optional(),
  /** Webhook notifications (docs/notifications.md); absent: none. */
  notifications: notificationsSchema.optional(),
});

export type EnvironmentFile = z.output<typeof environmentFileSchema>;
export type RawSmokeCase = z.output<typeof smokeCaseSchema>;
export type RawException = z.output<typeof exceptionSchema>;
export type RawTeamAddition = z.output<typeof teamAdditionSchema>;

// ───────────────────────────── compile-time agreement with types.ts ─────────────────────────────

type Extends<A, B> = [A] extends [B] ? true : false;
type Check<T extends true> = T;
export type _SchemaAgreesWithTypes = [
  Check<Extends<EnvironmentFile['organization'], Organization>>,
  // stateStore.region is optional in the file and resolved to the homeRegion on load.
  Check<Extends<Omit<EnvironmentFile['deployment'], 'stateStore'>, Omit<DeploymentSettings, 'stateStore'>>>,
  Check<Extends<Exclude<EnvironmentFile['deployment']['stateStore'], { type: 's3' }>, StateStoreSettings>>,
  Check<Extends<Extract<EnvironmentFile['deployment']['stateStore'], { type: 's3' }> & { region: string }, StateStoreSettings>>,
  Check<Extends<EnvironmentFile['deployment']['backend'], BackendSettings>>,
  Check<Extends<NonNullable<EnvironmentFile['deployment']['probeRoles']>, ProbeRoleSettings>>,
  Check<Extends<EnvironmentFile['phases']['pilot']['sample'], SampleSettings>>,
  Check<Extends<Omit<RawSmokeCase, 'contentFile' | 'content'> & { content: string }, SmokeCase>>,
  Check<Extends<Omit<RawException, 'changes'>, Omit<EnforcementException, 'changes'>>>,
  Check<Extends<NonNullable<EnvironmentFile['enforcement']['system']>, GuardingMode>>,
  Check<Extends<NonNullable<EnvironmentFile['notifications']>, NotificationSettings>>,
];
