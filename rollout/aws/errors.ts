/**
 * Classifies an AWS SDK error for the gates: evidence that something is wrong (denied, not
 * found, invalid) versus missing evidence (throttled, 5xx, timeout, deadline, network) — the latter makes
 * a check inconclusive, never passed.
 */
export type ErrorKind = 'transient' | 'denied' | 'not-found' | 'invalid' | 'other';

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'RequestThrottled',
  'ProvisionedThroughputExceededException',
  'ModelNotReadyException',
  'ServiceQuotaExceededException',
]);
const TRANSIENT = new Set([
  'InternalServerException',
  'ServiceUnavailableException',
  'ServiceException',
  'InternalFailure',
  'ServiceUnavailable',
  'ModelTimeoutException',
  // The per-attempt timeout of the HTTP handler (name TimeoutError, code ETIMEDOUT) and a
  // deadline over the call (rollout/aws/deadline.ts): no answer is missing evidence.
  'TimeoutError',
  'DeadlineExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'PolicyChangesInProgressException',
  'ConcurrentModificationException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AccessDeniedForDependencyException',
  'AWSOrganizationsNotInUseException',
  'ExpiredTokenException',
]);

export function errorName(err: unknown): string {
  const e = err as { name?: string; code?: string; Code?: string } | undefined;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? e?.Code ?? 'Error');
}

export function httpStatusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(errorName(err)) || httpStatusOf(err) === 429;
}

export function classifyError(err: unknown): ErrorKind {
  const name = errorName(err);
  const status = httpStatusOf(err);
  if (isThrottling(err) || TRANSIENT.has(name) || (status !== undefined && status >= 500)) return 'transient';
  const code = (err as { code?: string } | undefined)?.code;
  if (code && TRANSIENT.has(code)) return 'transient';
  if (DENIED.has(name) || status === 403) return 'denied';
  if (/NotFound/.test(name) || status === 404) return 'not-found';
  if (/Validation|InvalidInput|ConstraintViolation|Malformed/.test(name) || status === 400) return 'invalid';
  // Socket-level failures have no $metadata at all: treat as missing evidence.
  if (status === undefined && /socket|network|timeout|ECONN|hang up/i.test(String((err as Error)?.message))) return 'transient';
  return 'other';
}

export function describeError(err: unknown): string {
  const msg = (err as Error)?.message ?? String(err);
  const status = httpStatusOf(err);
  return `${errorName(err)}${status ? ` (HTTP ${status})` : ''}: ${msg}`;
}
