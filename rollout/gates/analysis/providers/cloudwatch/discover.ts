/**
 * Which dimension sets of a guardrail's metrics exist (ListMetrics). GetMetricData matches a
 * dimension set exactly, and AWS documents the dimension names but not the sets it publishes
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-guardrails-cw-metrics.html),
 * so the gate asks instead of guessing: the {GuardrailArn, GuardrailVersion} totals if they
 * exist, else the per-content-source sets (Input + Output add up to the totals).
 */
import { ListMetricsCommand, type CloudWatchClient, type Dimension } from '@aws-sdk/client-cloudwatch';
import { allItems } from '../../../../../core/paginate.js';
import type { Subject } from '../../provider.js';

export const NAMESPACE = 'AWS/Bedrock/Guardrails';

export type DimensionSet = Dimension[];

export type Discovery = { kind: 'sets'; sets: DimensionSet[]; note?: string } | { kind: 'none'; detail: string };

const names = (d: DimensionSet) =>
  d
    .map((x) => x.Name ?? '')
    .sort()
    .join(',');
const value = (d: DimensionSet, name: string) => d.find((x) => x.Name === name)?.Value;

export async function discoverSets(cw: CloudWatchClient, s: Subject, where: string): Promise<Discovery> {
  const metrics = await allItems(
    (token) =>
      cw.send(
        new ListMetricsCommand({
          Namespace: NAMESPACE,
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'GuardrailArn', Value: s.guardrailArn }],
          NextToken: token,
        }),
      ),
    (p) => p.NextToken,
    (p) => p.Metrics,
  );
  const sets = metrics.map((m) => m.Dimensions ?? []);
  const ours = sets.filter((d) => value(d, 'GuardrailVersion') === s.version);
  const totals = ours.find((d) => names(d) === 'GuardrailArn,GuardrailVersion');
  if (totals) return { kind: 'sets', sets: [totals] };
  const bySource = ours.filter((d) => names(d) === 'GuardrailArn,GuardrailContentSource,GuardrailVersion');
  if (bySource.length) return { kind: 'sets', sets: bySource, note: 'summed over GuardrailContentSource (no totals set)' };
  if (sets.length === 0) return { kind: 'none', detail: `no ${NAMESPACE} metrics for ${s.guardrailArn} in ${where}` };
  const versions = [...new Set(sets.map((d) => value(d, 'GuardrailVersion') ?? '(none)'))].sort();
  return {
    kind: 'none',
    detail: `${NAMESPACE} metrics for ${s.guardrailArn} in ${where} carry GuardrailVersion ${versions.join(', ')}, not ${s.version} (docs/bake-analysis.md: which version value enforced evaluations publish is not documented)`,
  };
}
