/**
 * Amazon CloudWatch (signing name `monitoring`): GetMetricData and ListMetrics over the
 * Bedrock Guardrails metrics the emulator publishes (sandbox/metrics). Namespace-agnostic in form;
 * only AWS/Bedrock/Guardrails has data. Metrics belong to the caller's account and the region of
 * the SigV4 credential scope.
 */
import { AwsError } from '../../errors.js';
import type { SvcRequest, SvcResponse } from '../../protocol.js';
import { type DimensionSetSpec, GUARDRAILS_NAMESPACE } from '../../metrics/derive.js';
import type { MetricStore } from '../../metrics/events.js';
import { getMetricData } from './get-metric-data.js';
import { listMetrics } from './list-metrics.js';
import { parseQueryParams, queryResponse } from './query.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { decodedBody, invalidValue, ok, parseBody } from './wire.js';

export interface CloudWatchDeps {
  store: MetricStore;
  dimensionSets: DimensionSetSpec[];
  now: number;
}

const TIMESTAMP_KEYS = new Set(['Timestamps']);

function cborBody(raw: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = decodeCbor(raw);
  } catch {
    throw invalidValue('The request body is not valid CBOR.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidValue('The request body must be a CBOR map.');
  return v as Record<string, unknown>;
}

/** awsJson1_0 ('monitoring'), awsQuery ('monitoring-query') or RPC v2 CBOR ('monitoring-cbor'): the same operations in three envelopes. */
export function handleCloudWatch(req: SvcRequest, deps: CloudWatchDeps): SvcResponse {
  const query = req.service === 'monitoring-query';
  const cbor = req.service === 'monitoring-cbor';
  const body = query
    ? parseQueryParams(new URLSearchParams(decodedBody(req.body, req.headers).toString('utf8')))
    : cbor
      ? cborBody(decodedBody(req.body, req.headers))
      : parseBody(req.body, req.headers);
  const src = {
    series: deps.store.seriesOf(req.caller.account, req.region),
    namespace: GUARDRAILS_NAMESPACE,
    dimensionSets: deps.dimensionSets,
  };
  const answer = (result: Record<string, unknown>): SvcResponse =>
    query
      ? queryResponse(req.operation, result, req.requestId)
      : cbor
        ? {
            status: 200,
            headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
            body: encodeCbor(result, TIMESTAMP_KEYS),
          }
        : ok(result);
  switch (req.operation) {
    case 'GetMetricData':
      return answer(getMetricData(body, req.caller.account, src));
    case 'ListMetrics':
      return answer(listMetrics(body, deps.now, src));
    default:
      throw new AwsError(
        'InvalidAction',
        400,
        `The sandbox does not emulate CloudWatch ${req.operation} (only GetMetricData and ListMetrics).`,
      );
  }
}
