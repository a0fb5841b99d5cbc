/**
 * Wire-level helpers shared by the services: who is calling (from the SigV4 Credential scope),
 * which service/operation a request is, and the error envelopes the SDK parses. The protocols:
 * awsJson1_1 (Organizations, `X-Amz-Target`): https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 * restJson1 (Bedrock, Bedrock Runtime): https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 * awsQuery (STS, `Action=`): https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 * restXml (S3, signing name `s3`; sandbox/services/s3): https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 * awsJson1_0 + awsQueryCompatible (CloudWatch, `X-Amz-Target: GraniteServiceVersion20100801.*`; sandbox/services/cloudwatch):
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
import { gunzipSync } from 'node:zlib';
import { AwsError } from './errors.js';
import { encodeCbor } from './services/cloudwatch/cbor.js';
import type { SandboxState, SessionRecord } from './state.js';

/**
 * CloudWatch comes in three wire forms: 'monitoring' = awsJson1_0 (SDK v3), 'monitoring-query' =
 * the older awsQuery, 'monitoring-cbor' = Smithy RPC v2 CBOR (botocore, the AWS CLI).
 */
export type Service = 'sts' | 'organizations' | 'bedrock' | 'runtime' | 's3' | 'monitoring' | 'monitoring-query' | 'monitoring-cbor';

/** Any of CloudWatch's wire forms. */
export const isCloudWatch = (s: Service) => s === 'monitoring' || s === 'monitoring-query' || s === 'monitoring-cbor';

/** CloudWatch's awsJson1_0 target prefix (Smithy service shape GraniteServiceVersion20100801). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** Shape names of CloudWatch's query error codes, for `__type` (the SDK reads the code from x-amzn-query-error). */
const CLOUDWATCH_ERROR_SHAPES: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  LimitExceeded: 'LimitExceededFault',
  InternalServiceError: 'InternalServiceFault',
};

export interface Caller {
  account: string;
  accessKeyId: string;
  arn: string;
  userId: string;
  region: string;
  session?: SessionRecord;
}

export interface SvcRequest {
  service: Service;
  operation: string;
  method: string;
  /** Path segments, each decodeURIComponent'ed after splitting the raw path on "/". */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  caller: Caller;
  region: string;
  requestId: string;
  /** The path as received, still percent-encoded (S3 keys keep empty segments and a trailing "/"). */
  rawPath?: string;
  /** performance.now() when the request's headers arrived, before its body was read. */
  receivedAt?: number;
}

export interface SvcResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

const CREDENTIAL_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function parseAuthorization(header: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  if (!header) return undefined;
  const m = CREDENTIAL_RE.exec(header);
  if (m) return { accessKeyId: m[1], region: m[3], service: m[4] };
  const bearer = /^Bearer\s+(\S+)/i.exec(header);
  // A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK): the sandbox accepts a seeded access key id as token.
  if (bearer) return { accessKeyId: bearer[1], region: '', service: 'bedrock' };
  return undefined;
}

export function badCredentials(service: Service, message = 'The security token included in the request is invalid.'): AwsError {
  if (service === 's3') return new AwsError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
  return service === 'sts' || isCloudWatch(service)
    ? new AwsError('InvalidClientTokenId', 403, message)
    : new AwsError('UnrecognizedClientException', 403, message);
}

/**
 * Maps the access key of a request to an identity: a seeded account key (the account's root
 * user) or an STS session issued by AssumeRole (which must present its session token).
 */
export function resolveCaller(
  state: SandboxState,
  service: Service,
  headers: Record<string, string | undefined>,
  defaultRegion: string,
  now = Date.now(),
): Caller {
  const auth = parseAuthorization(headers.authorization);
  // S3 answers an anonymous request to a private bucket with AccessDenied.
  if (!auth && service === 's3') throw new AwsError('AccessDenied', 403, 'Access Denied');
  if (!auth)
    throw new AwsError(
      service === 'sts' ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException',
      403,
      'Request is missing Authentication Token',
    );
  const region = auth.region || defaultRegion;
  const session = state.sessions[auth.accessKeyId];
  if (session) {
    if (headers['x-amz-security-token'] !== session.sessionToken) throw badCredentials(service);
    if (Date.parse(session.expiration) <= now) {
      if (service === 's3') throw new AwsError('ExpiredToken', 400, 'The provided token has expired.');
      throw service === 'sts'
        ? new AwsError('ExpiredTokenException', 400, 'The security token included in the request is expired')
        : new AwsError('ExpiredTokenException', 403, 'The security token included in the request is expired');
    }
    return {
      account: session.account,
      accessKeyId: auth.accessKeyId,
      arn: `arn:aws:sts::${session.account}:assumed-role/${session.roleName}/${session.sessionName}`,
      userId: `${session.roleId}:${session.sessionName}`,
      region,
      session,
    };
  }
  for (const [account, cred] of Object.entries(state.credentials)) {
    if (cred.accessKeyId === auth.accessKeyId) {
      return { account, accessKeyId: auth.accessKeyId, arn: `arn:aws:iam::${account}:root`, userId: account, region };
    }
  }
  throw badCredentials(service);
}

/** Which service and operation a request is: the awsJson target header, the awsQuery Action, or the restJson1 route. */
export function classify(
  method: string,
  segments: string[],
  headers: Record<string, string | undefined>,
  body: Buffer,
): { service: Service; operation: string } {
  const target = headers['x-amz-target'];
  if (target?.startsWith('AWSOrganizationsV20161128.'))
    return { service: 'organizations', operation: target.slice('AWSOrganizationsV20161128.'.length) };
  if (target?.startsWith(CLOUDWATCH_TARGET_PREFIX))
    return { service: 'monitoring', operation: target.slice(CLOUDWATCH_TARGET_PREFIX.length) };
  const ctype = headers['content-type'] ?? '';
  if (ctype.startsWith('application/x-www-form-urlencoded')) {
    let form = body;
    if ((headers['content-encoding'] ?? '').toLowerCase().includes('gzip')) {
      try {
        form = gunzipSync(body);
      } catch {
        // not gzip after all: read it as sent
      }
    }
    const params = new URLSearchParams(form.toString('utf8'));
    const action = params.get('Action');
    // awsQuery CloudWatch: signing name `monitoring` or its API version; everything else on awsQuery is STS.
    if (action && (parseAuthorization(headers.authorization)?.service === 'monitoring' || params.get('Version') === '2010-08-01'))
      return { service: 'monitoring-query', operation: action };
    if (action) return { service: 'sts', operation: action };
  }
  // Smithy RPC v2 CBOR: POST /service/<service shape>/operation/<operation>.
  if (method === 'POST' && segments.length === 4 && segments[0] === 'service' && segments[2] === 'operation') {
    if (segments[1] === CLOUDWATCH_TARGET_PREFIX.slice(0, -1)) return { service: 'monitoring-cbor', operation: segments[3] };
  }
  const [first, , third, , fifth] = segments;
  if (first === 'guardrail' && method === 'POST' && segments.length === 5 && third === 'version' && fifth === 'apply') {
    return { service: 'runtime', operation: 'ApplyGuardrail' };
  }
  if (first === 'model' && method === 'POST' && segments.length === 3) {
    const op = {
      converse: 'Converse',
      invoke: 'InvokeModel',
      'converse-stream': 'ConverseStream',
      'invoke-with-response-stream': 'InvokeModelWithResponseStream',
    }[segments[2]];
    if (op) return { service: 'runtime', operation: op };
  }
  const op = bedrockOperation(method, segments);
  if (op) return { service: 'bedrock', operation: op };
  return { service: 'bedrock', operation: 'Unknown' };
}

function bedrockOperation(method: string, s: string[]): string | undefined {
  const key = `${method} /${s[0] ?? ''}${s.length > 1 ? '/{}' : ''}${s.length > 2 ? '/…' : ''}`;
  switch (key) {
    case 'POST /guardrails':
      return 'CreateGuardrail';
    case 'GET /guardrails':
      return 'ListGuardrails';
    case 'GET /guardrails/{}':
      return 'GetGuardrail';
    case 'PUT /guardrails/{}':
      return 'UpdateGuardrail';
    case 'DELETE /guardrails/{}':
      return 'DeleteGuardrail';
    case 'POST /guardrails/{}':
      return 'CreateGuardrailVersion';
    case 'PUT /enforcedGuardrailsConfiguration':
      return 'PutEnforcedGuardrailConfiguration';
    case 'GET /enforcedGuardrailsConfiguration':
      return 'ListEnforcedGuardrailsConfiguration';
    case 'DELETE /enforcedGuardrailsConfiguration/{}':
      return 'DeleteEnforcedGuardrailConfiguration';
    case 'POST /resource-policy':
      return 'PutResourcePolicy';
    case 'GET /resource-policy/{}':
      return 'GetResourcePolicy';
    case 'DELETE /resource-policy/{}':
      return 'DeleteResourcePolicy';
    case 'GET /foundation-models':
      return 'ListFoundationModels';
    default:
      return undefined;
  }
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The protocol's error envelope for an AwsError (error serialization of each protocol page above). */
export function errorResponse(service: Service, err: AwsError, requestId: string): SvcResponse {
  if (service === 'sts') {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml' },
      body:
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
        `<Error><Type>${type}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  if (service === 'monitoring-cbor') {
    return {
      status: err.status,
      headers: {
        'content-type': 'application/cbor',
        'smithy-protocol': 'rpc-v2-cbor',
        'x-amzn-query-error': `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}`,
      },
      body: encodeCbor({ __type: `com.amazonaws.cloudwatch#${CLOUDWATCH_ERROR_SHAPES[err.code] ?? err.code}`, message: err.message }),
    };
  }
  if (service === 'monitoring-query') {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml' },
      body:
        `<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>${type}</Type><Code>${xmlEscape(err.code)}</Code>` +
        `<Message>${xmlEscape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  if (service === 'monitoring') {
    // awsQueryCompatible: the SDK takes the error code from this header (`<Code>;Sender|Receiver`).
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${err.code};${type}` },
      body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${CLOUDWATCH_ERROR_SHAPES[err.code] ?? err.code}`, message: err.message }),
    };
  }
  if (service === 'organizations') {
    return {
      status: err.status,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: err.code, Message: err.message, ...err.extra }),
    };
  }
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ message: err.message, ...err.extra }),
  };
}

export function json(status: number, body: unknown, contentType = 'application/json'): SvcResponse {
  return { status, headers: { 'content-type': contentType }, body: body === undefined ? '{}' : JSON.stringify(body) };
}

// ---- pagination: opaque tokens carrying the offset of the next item ----

export function paginate<T>(
  items: T[],
  nextToken: string | undefined | null,
  maxResults: number | undefined | null,
  opts: { defaultMax: number; cap: number; invalid: (what: string) => AwsError },
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken) {
    const m = /^sbx:(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!m) throw opts.invalid('The specified token is invalid.');
    start = Number(m[1]);
  }
  const max = maxResults ?? opts.defaultMax;
  if (!Number.isInteger(max) || max < 1 || max > opts.cap) throw opts.invalid(`MaxResults must be between 1 and ${opts.cap}.`);
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`sbx:${start + max}`).toString('base64url') : undefined;
  return { page, nextToken: next };
}
