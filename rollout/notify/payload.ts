/**
 * The generic JSON payload (pure): what a `webhook` sink receives, and what the Slack message is
 * rendered from. Versioned: fields are only ever added within a schemaVersion.
 */
import type { NotificationEventName, Phase } from '../../model/types.js';
import type { ExpiringException, NotificationCheck, NotificationEvent } from './events.js';

export const PAYLOAD_SCHEMA_VERSION = 1 as const;
/** A gate over thousands of accounts can fail thousands of checks; receivers get the first ones. */
export const MAX_PAYLOAD_CHECKS = 100;
const MAX_DETAIL = 500;

export interface NotificationPayload {
  schemaVersion: typeof PAYLOAD_SCHEMA_VERSION;
  event: NotificationEventName;
  env: string;
  phase?: Phase;
  release?: string;
  unit?: string;
  attemptId?: string;
  summary: string;
  checks?: NotificationCheck[];
  /** How many checks were left out beyond MAX_PAYLOAD_CHECKS. */
  omittedChecks?: number;
  exceptions?: ExpiringException[];
  /** ISO time the event was emitted. */
  at: string;
  toolVersion: string;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function buildPayload(e: NotificationEvent, ctx: { env: string; at: Date; toolVersion: string }): NotificationPayload {
  const checks = e.checks
    ?.slice(0, MAX_PAYLOAD_CHECKS)
    .map((c) => ({ gate: c.gate, id: c.id, status: c.status, detail: clip(String(c.detail ?? ''), MAX_DETAIL) }));
  const omitted = e.checks && e.checks.length > MAX_PAYLOAD_CHECKS ? e.checks.length - MAX_PAYLOAD_CHECKS : 0;
  // Key order as documented; absent fields are left out, not null.
  return {
    schemaVersion: PAYLOAD_SCHEMA_VERSION,
    event: e.event,
    env: ctx.env,
    ...(e.phase !== undefined ? { phase: e.phase } : {}),
    ...(e.release !== undefined ? { release: e.release } : {}),
    ...(e.unit !== undefined ? { unit: e.unit } : {}),
    ...(e.attemptId !== undefined ? { attemptId: e.attemptId } : {}),
    summary: e.summary,
    ...(checks ? { checks } : {}),
    ...(omitted ? { omittedChecks: omitted } : {}),
    ...(e.exceptions ? { exceptions: e.exceptions.map((x) => ({ ...x })) } : {}),
    at: ctx.at.toISOString(),
    toolVersion: ctx.toolVersion,
  };
}
