/**
 * The sandbox's network edge: one loopback port that speaks HTTP/1.1 and cleartext HTTP/2
 * (prior knowledge), because the Bedrock Runtime client defaults to h2c while the other
 * clients use HTTP/1.1 (docs/sandbox.md, "Point clients at it"). Every request is classified,
 * authenticated from its SigV4 Credential scope, passed through fault injection (latency,
 * stalls, throttling, 5xx) and the server-side quotas (sandbox/quotas.ts), handled, persisted if
 * it changed the state, and answered in the protocol's envelope.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { AwsError } from './errors.js';
import { faultError, type FaultInjector } from './faults.js';
import type { QuotaKeeper } from './quotas.js';
import { PROPAGATED_READS, type Propagation } from './propagation.js';
import { classify, errorResponse, resolveCaller, type Service, type SvcRequest, type SvcResponse } from './protocol.js';
import type { RuntimeRequest, RuntimeResponse, RuntimeWorld } from './runtime/context.js';
import type { HandlerResult, ServiceContext } from './services/common.js';
import { handleBedrock } from './services/bedrock.js';
import { handleOrganizations } from './services/organizations/index.js';
import { findBucket, handleS3, isS3Request, s3ErrorResponse, s3Route } from './services/s3/index.js';
import { handleSts } from './services/sts.js';
import { handleCloudWatch } from './services/cloudwatch/index.js';
import type { DimensionSetSpec } from './metrics/derive.js';
import { MetricStore } from './metrics/events.js';
import type { MetricPublisher } from './metrics/publish.js';

export interface ServerDeps {
  ctx: ServiceContext;
  faults: FaultInjector;
  /** Server-side quotas per operation and (account, region); absent = none. */
  quotas?: QuotaKeeper;
  /** Propagation delay of policy and enforced-configuration changes (sandbox/propagation.ts); absent = none. */
  propagation?: Propagation;
  world: RuntimeWorld;
  /** Called after a request changed the state; its response waits for the returned promise. */
  persist(): Promise<void> | void;
  defaultRegion: string;
  /** Unexpected (non-AWS) errors, for logging. */
  onInternalError?(err: unknown): void;
  /** Waits out injected latency (default: a timer); tests pass their own to observe it. */
  sleep?(ms: number): Promise<void>;
  /** Guardrail metrics (sandbox/metrics): published by the runtime, read by CloudWatch; absent = none. */
  metrics?: ServerMetrics;
}

export interface ServerMetrics {
  store: MetricStore;
  publisher: MetricPublisher;
  dimensionSets: DimensionSetSpec[];
  /** Runs before a CloudWatch read (the traffic simulation catches up to now). */
  beforeRead?(): void;
  /** Events were recorded (schedules the metrics file write). */
  changed?(): void;
}

const timer = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/** The client has gone (closed or reset the connection): nothing can be answered any more. */
function gone(res: AnyResponse): boolean {
  const r = res as { destroyed?: boolean; writableEnded?: boolean; stream?: { destroyed?: boolean } };
  return !!(r.destroyed || r.writableEnded || r.stream?.destroyed);
}

/**
 * A stalled call (fault `stallRate`): resolves true after `ms` (a late answer follows), or false
 * as soon as the client goes away; with `ms` undefined it never answers and resolves false only
 * when the client gives up (or the sandbox closes its connections). Real timers, not deps.sleep.
 */
function stall(res: AnyResponse, ms: number | undefined): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (gone(res)) return resolve(false);
    let t: NodeJS.Timeout | undefined;
    const onClose = () => {
      clearTimeout(t);
      resolve(false);
    };
    res.once('close', onClose);
    if (ms !== undefined)
      t = setTimeout(() => {
        res.off('close', onClose);
        resolve(!gone(res));
      }, ms);
  });
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

type RuntimeHandler = (req: RuntimeRequest, world: RuntimeWorld) => Promise<RuntimeResponse>;
let runtimeHandler: Promise<RuntimeHandler | undefined> | undefined;

/** helper E's runtime (sandbox/runtime/handler.ts), loaded on first use; absent → 501. */
async function loadRuntime(): Promise<RuntimeHandler | undefined> {
  runtimeHandler ??= (async () => {
    const spec = './runtime/handler.js';
    try {
      const mod = (await import(spec)) as { handleRuntime?: RuntimeHandler };
      return mod.handleRuntime;
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('runtime/handler'))
        return undefined;
      throw err;
    }
  })();
  const h = await runtimeHandler;
  if (!h) runtimeHandler = undefined; // retry next time (the module may appear later in development)
  return h;
}

export interface ListeningServer {
  port: number;
  /** Connections accepted per protocol (h2c detection is observable in tests). */
  stats: { http1: number; http2: number };
  close(): Promise<void>;
}

export async function listen(deps: ServerDeps, port = 0, host = '127.0.0.1'): Promise<ListeningServer> {
  const handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
    void serve(deps, req, res);
  };
  const h1 = http.createServer(handler);
  h1.keepAliveTimeout = 5000;
  const h2 = http2.createServer({}, handler);
  const sockets = new Set<net.Socket>();
  const stats = { http1: 0, http2: 0 };

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const n = Math.min(head.length, H2_PREFACE.length);
      const looksH2 = head.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (looksH2 && head.length < H2_PREFACE.length) return; // need more bytes to decide
      socket.off('data', onData);
      socket.pause();
      if (looksH2) {
        stats.http2 += 1;
        // http2 reads the native handle, so unshift would lose the preface: wrap instead.
        h2.emit('connection', wrapSocket(socket, head));
      } else {
        stats.http1 += 1;
        socket.unshift(head);
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => resolve());
  });
  const address = tcp.address() as net.AddressInfo;
  return {
    port: address.port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        h1.closeAllConnections?.();
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A Duplex over the socket that replays the bytes already read (the h2 preface). */
function wrapSocket(socket: net.Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  socket.resume();
  return duplex;
}

function headerRecord(raw: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith(':')) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

async function readBody(req: http.IncomingMessage | http2.Http2ServerRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function serve(
  deps: ServerDeps,
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const receivedAt = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  let service: Service = 'bedrock';
  let response: SvcResponse;
  let sreq: SvcRequest | undefined;
  try {
    const headers = headerRecord(req.headers as http.IncomingHttpHeaders);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const query = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
    // S3 is told apart by its signing name (or a virtual-hosted bucket) before the body is read.
    if (isS3Request(headers, query)) service = 's3';
    const body = await readBody(req);
    // A presigned S3 URL carries its Credential scope in the query instead of a header.
    if (service === 's3' && !headers.authorization && query.has('X-Amz-Credential')) {
      headers.authorization = `AWS4-HMAC-SHA256 Credential=${query.get('X-Amz-Credential')}`;
      headers['x-amz-security-token'] ??= query.get('X-Amz-Security-Token') ?? undefined;
    }
    // Labels are encoded per segment (an ARN's "/" arrives as %2F): split first, then decode.
    let segments: string[] = [];
    if (service !== 's3') {
      try {
        segments = rawPath
          .split('/')
          .filter((s) => s !== '')
          .map((s) => decodeURIComponent(s));
      } catch {
        throw new AwsError('ValidationException', 400, 'The request path is not validly percent-encoded.');
      }
    }
    const cls =
      service === 's3'
        ? {
            service,
            operation: s3Route(method, rawPath, query, headers, (name) => findBucket(deps.ctx.state, name) !== undefined).operation,
          }
        : classify(method, segments, headers, body);
    service = cls.service;
    const state = deps.ctx.state;
    const caller = resolveCaller(state, service, headers, deps.defaultRegion, deps.ctx.now());
    sreq = {
      service,
      operation: cls.operation,
      method,
      segments,
      query,
      headers,
      body,
      caller,
      region: caller.region,
      requestId,
      rawPath,
      receivedAt,
    };
    const fault = deps.faults.decide(cls.operation);
    if (fault.latencyMs > 0) await (deps.sleep ?? timer)(fault.latencyMs);
    if (fault.kind === 'stall' && !(await stall(res, fault.stallMs))) return; // never answered
    // Quotas meter what reaches the service (after the network latency); a throttled call costs no token.
    if (deps.quotas && !deps.quotas.admit(cls.operation, caller.account, caller.region)) throw faultError(service, 'throttle');
    if (fault.kind === 'throttle' || fault.kind === 'error') throw faultError(service, fault.kind);
    response = await dispatch(deps, sreq);
  } catch (err) {
    const envelope = (e: AwsError) =>
      service === 's3' ? s3ErrorResponse(e, requestId, method === 'HEAD') : errorResponse(service, e, requestId);
    if (sreq?.operation === 'ApplyGuardrail') publishApplyFailure(deps, sreq, err);
    if (err instanceof AwsError) {
      response = envelope(err);
    } else {
      deps.onInternalError?.(err);
      const code =
        {
          organizations: 'ServiceException',
          sts: 'InternalFailure',
          s3: 'InternalError',
          monitoring: 'InternalServiceError',
          'monitoring-query': 'InternalServiceError',
        }[service as string] ?? 'InternalServerException';
      response = envelope(new AwsError(code, 500, `Sandbox internal error: ${(err as Error)?.message ?? String(err)}`));
    }
  }
  if (service === 's3') response.headers = { ...response.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': 'sandbox' };
  if (gone(res)) return; // the client gave up (its timeout) while the call was delayed or handled
  write(res, response, requestId);
}

async function dispatch(deps: ServerDeps, req: SvcRequest): Promise<SvcResponse> {
  let result: HandlerResult;
  const p = deps.propagation;
  const prior = p?.before(req.operation, deps.ctx.state, deps.ctx.now());
  switch (req.service) {
    case 'sts':
      result = handleSts(deps.ctx.state, req, deps.ctx.now);
      break;
    case 'organizations':
      // Effective-policy reads answer what is in force (a change still propagating is not yet).
      result = handleOrganizations(
        p && PROPAGATED_READS.has(req.operation) ? { ...deps.ctx, state: p.visible(deps.ctx.state, deps.ctx.now()) } : deps.ctx,
        req,
      );
      break;
    case 'bedrock':
      result = handleBedrock(deps.ctx, req);
      break;
    case 's3':
      result = handleS3(deps.ctx, req);
      break;
    case 'runtime':
      return dispatchRuntime(deps, req);
    case 'monitoring':
    case 'monitoring-query':
    case 'monitoring-cbor':
      deps.metrics?.beforeRead?.();
      return handleCloudWatch(req, {
        store: deps.metrics?.store ?? new MetricStore(),
        dimensionSets: deps.metrics?.dimensionSets ?? [],
        now: deps.ctx.now(),
      });
  }
  if (prior && result.mutated) p!.after(prior, deps.ctx.state, deps.ctx.now());
  if (result.mutated) deps.ctx.revision = (deps.ctx.revision ?? 0) + 1;
  if (result.mutated) await deps.persist();
  return result.response;
}

async function dispatchRuntime(deps: ServerDeps, req: SvcRequest): Promise<SvcResponse> {
  if (req.operation !== 'ApplyGuardrail' && req.operation !== 'Converse' && req.operation !== 'InvokeModel') {
    throw new AwsError('ValidationException', 400, `The sandbox does not emulate ${req.operation} (response streams).`);
  }
  const handleRuntime = await loadRuntime();
  if (!handleRuntime) throw new AwsError('NotImplementedException', 501, 'The sandbox Bedrock Runtime is not available in this build.');
  const params: Record<string, string> =
    req.operation === 'ApplyGuardrail'
      ? { guardrailIdentifier: req.segments[1], guardrailVersion: req.segments[3] }
      : { modelId: req.segments[1] };
  const s = req.caller.session;
  const role = s ? (deps.ctx.state.roles[s.account] ?? []).find((r) => r.name === s.roleName) : undefined;
  const identity = { arn: req.caller.arn, ...(role?.allowedActions ? { actions: [...role.allowedActions] } : {}) };
  const r = await handleRuntime(
    {
      operation: req.operation,
      callerAccount: req.caller.account,
      identity,
      region: req.region,
      params,
      headers: req.headers,
      body: req.body,
      onEvaluations: (evaluations) => {
        if (!deps.metrics || evaluations.length === 0) return;
        deps.metrics.publisher.publish(req.caller.account, req.region, evaluations, deps.ctx.now());
        deps.metrics.changed?.();
      },
    },
    deps.world,
  );
  return { status: r.status, headers: r.headers, body: r.body };
}

/**
 * A failed ApplyGuardrail call still counts for its guardrail (InvocationClientErrors,
 * InvocationServerErrors, InvocationThrottles), when the guardrail exists: a call naming no real
 * guardrail has no metric series to land in.
 */
function publishApplyFailure(deps: ServerDeps, req: SvcRequest, err: unknown): void {
  if (!deps.metrics) return;
  const [, identifier, , version] = req.segments;
  if (!identifier || !version) return;
  const snapshot = deps.world.findGuardrail(identifier, version, req.caller.account, req.region);
  if (!snapshot || snapshot.region !== req.region) return;
  const status = err instanceof AwsError ? err.status : 500;
  const code = err instanceof AwsError ? err.code : '';
  const outcome = status === 429 || code === 'ThrottlingException' ? 'throttle' : status >= 500 ? 'serverError' : 'clientError';
  let source: 'Input' | 'Output' = 'Input';
  try {
    source = (JSON.parse(req.body.toString('utf8')) as { source?: unknown }).source === 'OUTPUT' ? 'Output' : 'Input';
  } catch {
    // an unparsable body is a client error of an input evaluation as far as the metrics go
  }
  deps.metrics.publisher.publishFailure(
    req.caller.account,
    req.region,
    snapshot.guardrailArn,
    snapshot.version,
    source,
    outcome,
    deps.ctx.now(),
  );
  deps.metrics.changed?.();
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function write(res: http.ServerResponse | http2.Http2ServerResponse, r: SvcResponse, requestId: string): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  const headers: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) if (!HOP_BY_HOP.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
  headers['x-amzn-requestid'] = requestId;
  // A HEAD answer states the length of the body it does not send (S3 HeadObject); otherwise the body's.
  if (body.length > 0 || headers['content-length'] === undefined) headers['content-length'] = body.length;
  if (r.status !== 204 && r.status !== 304) headers['content-type'] ??= 'application/json';
  (res as http.ServerResponse).writeHead(r.status, headers);
  res.end(body);
}
