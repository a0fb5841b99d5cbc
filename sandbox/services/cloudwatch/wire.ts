/**
 * CloudWatch's wire format as @aws-sdk/client-cloudwatch 3.x speaks it: awsJson1_0 with
 * awsQueryCompatible (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`,
 * `x-amzn-query-mode: true`, PascalCase JSON, timestamps as epoch seconds), errors as
 * `{"__type", "message"}` plus `x-amzn-query-error: <Code>;Sender|Receiver`, from which the SDK
 * picks the modeled exception (protocol.ts errorResponse).
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#aws-protocols-awsquerycompatible-trait
 */
import { gunzipSync } from 'node:zlib';
import { AwsError } from '../../errors.js';
import type { SvcResponse } from '../../protocol.js';

export const CONTENT_TYPE = 'application/x-amz-json-1.0';

export const invalidValue = (message: string) => new AwsError('InvalidParameterValue', 400, message);
export const missing = (name: string) => new AwsError('MissingParameter', 400, `The parameter ${name} is required.`);
export const combination = (message: string) => new AwsError('InvalidParameterCombination', 400, message);

/** The body, gunzipped when sent `Content-Encoding: gzip` (the SDK compresses large CloudWatch requests). */
export function decodedBody(body: Buffer, headers: Record<string, string | undefined>): Buffer {
  if (!(headers['content-encoding'] ?? '').toLowerCase().includes('gzip')) return body;
  try {
    return gunzipSync(body);
  } catch {
    throw invalidValue('The request body is not valid gzip.');
  }
}

export function parseBody(body: Buffer, headers: Record<string, string | undefined>): Record<string, unknown> {
  const raw = decodedBody(body, headers);
  if (raw.length === 0) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AwsError('InvalidParameterValue', 400, 'The request body is not valid JSON.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidValue('The request body must be a JSON object.');
  return v as Record<string, unknown>;
}

export function ok(body: unknown): SvcResponse {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}

/** Epoch ms of a timestamp as sent: epoch seconds (number, may be fractional) or an ISO-8601 string. */
export function timestamp(v: unknown, name: string): number {
  if (v === undefined || v === null) throw missing(name);
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? (/^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v)) : NaN;
  if (!Number.isFinite(ms)) throw invalidValue(`The parameter ${name} must be a timestamp.`);
  return ms;
}

/** Opaque page tokens bound to the request they continue (a token of another request is refused). */
export function encodeToken(kind: string, offset: number, binding: string): string {
  return Buffer.from(`${kind}:${offset}:${binding}`).toString('base64url');
}

export function decodeToken(token: unknown, kind: string, binding: string): number {
  if (token === undefined || token === null || token === '') return 0;
  const m = typeof token === 'string' ? /^([a-z]+):(\d+):(.*)$/.exec(Buffer.from(token, 'base64url').toString('utf8')) : null;
  if (!m || m[1] !== kind || m[3] !== binding) throw new AwsError('InvalidNextToken', 400, 'The service returned an invalid next token.');
  return Number(m[2]);
}
