/**
 * Sandbox HTTP throughput: requests per second through the emulator's loopback server with
 * the real AWS SDK v3 clients (server and clients share this process, as in the tests and
 * the sandbox engine). Concurrency 16, fixed duration per scenario.
 *   - ListGuardrails (Bedrock control plane, HTTP/1.1, restJson1)
 *   - DescribeEffectivePolicy (Organizations, awsJson1_1; effective policy computed per call)
 *   - UpdatePolicy, a mutation, in memory and with --state (atomic fsync'd write per call)
 *   - ApplyGuardrail (Bedrock Runtime over h2c with the client's default HTTP/2 handler)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand, ListGuardrailsCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeEffectivePolicyCommand,
  OrganizationsClient,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { loadEnvironment } from '../model/index.js';
import { clientConfig, startSandbox, type SandboxHandle } from '../sandbox/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONCURRENCY = 16;
const SECONDS = Number(process.env.SANDBOX_BENCH_SECONDS ?? 3);

async function measure(
  seconds: number,
  call: (i: number) => Promise<unknown>,
): Promise<{ rps: number; requests: number; errors: number; p50Ms: number; p99Ms: number }> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const i = n++;
        const s = performance.now();
        try {
          await call(i);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 100) / 100;
  return { rps: Math.round(latencies.length / elapsed), requests: latencies.length, errors, p50Ms: q(0.5), p99Ms: q(0.99) };
}

async function setup(sb: SandboxHandle) {
  const mgmt = sb.managementAccountId;
  const br = new BedrockClient(clientConfig(sb, mgmt));
  const org = new OrganizationsClient(clientConfig(sb, mgmt));
  for (let i = 0; i < 10; i++) {
    await br.send(new CreateGuardrailCommand({ name: `bench-${i}`, blockedInputMessaging: 'blocked', blockedOutputsMessaging: 'blocked' }));
  }
  const g = await br.send(
    new CreateGuardrailCommand({
      name: 'bench-eval',
      blockedInputMessaging: 'blocked',
      blockedOutputsMessaging: 'blocked',
      wordPolicyConfig: { wordsConfig: [{ text: 'project-x' }], managedWordListsConfig: [{ type: 'PROFANITY' }] },
      sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }] },
    }),
  );
  await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
  const doc = (version: string) =>
    JSON.stringify({
      bedrock: { guardrail_inference: { [sb.region]: { config_1: { identifier: { '@@assign': `${g.guardrailArn}:${version}` } } } } },
    });
  const rootPolicy = (
    await org.send(new CreatePolicyCommand({ Name: 'bench-root', Description: '', Type: 'BEDROCK_POLICY', Content: doc('1') }))
  ).Policy!.PolicySummary!.Id!;
  const roots = sb.state.organization.root.id;
  await org.send(new AttachPolicyCommand({ PolicyId: rootPolicy, TargetId: roots }));
  const member = Object.keys(sb.accounts).find((a) => a !== mgmt)!;
  return { br, org, member, rootPolicy, guardrailArn: g.guardrailArn!, doc };
}

export async function run(): Promise<Record<string, unknown>> {
  const env = await loadEnvironment(path.join(root, 'environments', 'sandbox'));
  const results: Record<string, unknown> = { concurrency: CONCURRENCY, seconds: SECONDS, accounts: env.organization.accounts.length };

  const sb = await startSandbox({ env });
  try {
    const { br, org, member, rootPolicy, guardrailArn, doc } = await setup(sb);
    results.listGuardrails = await measure(SECONDS, () => br.send(new ListGuardrailsCommand({})));
    results.describeEffectivePolicy = await measure(SECONDS, () =>
      org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: member })),
    );
    results.updatePolicyInMemory = await measure(SECONDS, (i) =>
      org.send(new UpdatePolicyCommand({ PolicyId: rootPolicy, Description: `d${i}`, Content: doc('1') })),
    );
    const rt = new BedrockRuntimeClient(clientConfig(sb, sb.managementAccountId)); // default handler: HTTP/2 (h2c)
    const text = 'Please summarise the quarterly report for project-x and mail it to jane.doe@example.com. '.repeat(11).slice(0, 1024);
    results.applyGuardrailH2 = await measure(SECONDS, () =>
      rt.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: guardrailArn,
          guardrailVersion: '1',
          source: 'INPUT',
          content: [{ text: { text } }],
        }),
      ),
    );
    rt.destroy();
  } finally {
    await sb.close();
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-bench-'));
  const persisted = await startSandbox({ env, statePath: path.join(dir, 'state.json') });
  try {
    const { org, rootPolicy, doc } = await setup(persisted);
    results.updatePolicyWithStateFile = await measure(SECONDS, (i) =>
      org.send(new UpdatePolicyCommand({ PolicyId: rootPolicy, Description: `d${i}`, Content: doc('1') })),
    );
  } finally {
    await persisted.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const row = (name: string) => {
    const r = results[name] as { rps: number; p50Ms: number; p99Ms: number; errors: number };
    return `  ${name.padEnd(28)} ${String(r.rps).padStart(6)} req/s   p50 ${String(r.p50Ms).padStart(6)} ms   p99 ${String(r.p99Ms).padStart(7)} ms   errors ${r.errors}`;
  };
  console.log(
    `sandbox HTTP server, SDK v3 clients in-process, concurrency ${CONCURRENCY}, ${SECONDS}s each (${env.organization.accounts.length}-account sandbox org)`,
  );
  for (const k of ['listGuardrails', 'describeEffectivePolicy', 'updatePolicyInMemory', 'updatePolicyWithStateFile', 'applyGuardrailH2'])
    console.log(row(k));
  return results;
}
