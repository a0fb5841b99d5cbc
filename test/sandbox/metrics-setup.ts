/**
 * Shared setup of the CloudWatch and traffic tests: a test organization on an injected clock, a
 * word-policy guardrail ("forbidden" is blocked) enforced in the pilot account by an account-level
 * configuration, and helpers to query the guardrail metrics through the real CloudWatchClient.
 */
import {
  BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  PutEnforcedGuardrailConfigurationCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { SandboxHandle, StartSandboxOptions } from '../../sandbox/index.js';
import { orgSharingPolicy } from '../helpers/resource-policy.js';
import { cfg, MGMT, ORG, OU_WORK, PILOT, REGION, ROOT, start } from '../helpers/sandbox.js';

export { MGMT, PILOT, REGION };
export const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
export const NS = 'AWS/Bedrock/Guardrails';
export const T0 = Date.parse('2026-12-01T10:00:00.000Z');

export interface Rig {
  sb: SandboxHandle;
  clock: { now: number };
  /** ARN of the pilot's enforced guardrail (version 1). */
  arn: string;
  cw(account?: string): CloudWatchClient;
  converse(text: string, account?: string): Promise<string>;
  close(): Promise<void>;
}

export const wordGuardrail = (name: string) => ({
  name,
  blockedInputMessaging: `${name}: input blocked`,
  blockedOutputsMessaging: `${name}: output blocked`,
  wordPolicyConfig: { wordsConfig: [{ text: 'forbidden' }] },
});

/** Starts the sandbox and enforces a word guardrail in PILOT (account-level configuration). */
export async function rig(opts: Partial<StartSandboxOptions> = {}): Promise<Rig> {
  const clock = { now: T0 };
  const sb = await start({ now: () => clock.now, ...opts });
  const bedrock = new BedrockClient(cfg(sb, PILOT));
  const g = await bedrock.send(new CreateGuardrailCommand(wordGuardrail('pilot')));
  await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId! }));
  await bedrock.send(
    new PutEnforcedGuardrailConfigurationCommand({
      guardrailInferenceConfig: {
        guardrailIdentifier: g.guardrailArn!,
        guardrailVersion: '1',
        modelEnforcement: { includedModels: ['ALL'], excludedModels: [] },
      },
    }),
  );
  const clients = new Map<string, CloudWatchClient>();
  return {
    sb,
    clock,
    arn: g.guardrailArn!,
    cw(account = PILOT) {
      let c = clients.get(account);
      if (!c) clients.set(account, (c = new CloudWatchClient(cfg(sb, account, REGION))));
      return c;
    },
    async converse(text, account = PILOT) {
      const rt = new BedrockRuntimeClient(cfg(sb, account, REGION));
      const r = await rt.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text }] }] }));
      return r.output?.message?.content?.[0].text ?? '';
    },
    close: () => sb.close(),
  };
}

/** Enforces a management-owned word guardrail on the Workloads OU (PILOT and below) via a BEDROCK_POLICY. */
export async function enforceFromOrganization(sb: SandboxHandle): Promise<string> {
  const bedrock = new BedrockClient(cfg(sb, MGMT));
  const g = await bedrock.send(new CreateGuardrailCommand(wordGuardrail('org')));
  await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId! }));
  await bedrock.send(
    new PutResourcePolicyCommand({ resourceArn: g.guardrailArn!, resourcePolicy: orgSharingPolicy(g.guardrailArn!, ORG) }),
  );
  const org = new OrganizationsClient(cfg(sb, MGMT));
  const root = (await org.send(new ListRootsCommand({}))).Roots![0];
  if (!root.PolicyTypes?.some((t) => t.Type === 'BEDROCK_POLICY' && t.Status === 'ENABLED'))
    await org.send(new EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'BEDROCK_POLICY' }));
  const content = JSON.stringify({
    bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': `${g.guardrailArn}:1` } } } } },
  });
  const p = await org.send(
    new CreatePolicyCommand({ Name: 'org-guardrail', Description: 'org', Type: 'BEDROCK_POLICY', Content: content }),
  );
  await org.send(new AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id!, TargetId: OU_WORK }));
  return g.guardrailArn!;
}

export const dims = (arn: string, extra: Record<string, string> = {}) => [
  { Name: 'GuardrailArn', Value: arn },
  { Name: 'GuardrailVersion', Value: '1' },
  ...Object.entries(extra).map(([Name, Value]) => ({ Name, Value })),
];

/** One MetricStat query's result (Timestamps as ms, Values) over [from, to). */
export async function query(
  cw: CloudWatchClient,
  metric: string,
  dimensions: { Name: string; Value: string }[],
  stat: string,
  from: number,
  to: number,
  period = 3600,
  extra: Partial<GetMetricDataCommandInput> = {},
) {
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(from),
      EndTime: new Date(to),
      MetricDataQueries: [
        { Id: 'q', MetricStat: { Metric: { Namespace: NS, MetricName: metric, Dimensions: dimensions }, Period: period, Stat: stat } },
      ],
      ...extra,
    }),
  );
  const res = r.MetricDataResults![0];
  return {
    timestamps: (res.Timestamps ?? []).map((d) => d.getTime()),
    values: res.Values ?? [],
    status: res.StatusCode,
    next: r.NextToken,
  };
}

/** Sum of a metric over [from, to) in one bucket (undefined when no data). */
export async function sum(cw: CloudWatchClient, metric: string, dimensions: { Name: string; Value: string }[], from: number, to: number) {
  const period = Math.ceil((to - from) / 60_000) * 60;
  const r = await query(cw, metric, dimensions, 'Sum', from, to, period);
  return r.values[0];
}
