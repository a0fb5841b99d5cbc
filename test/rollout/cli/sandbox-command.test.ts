import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { BedrockClient, CreateGuardrailCommand } from '@aws-sdk/client-bedrock';

const BIN = join(process.cwd(), 'bin', 'rollout.mjs');

test('`rollout sandbox` prints one JSON line when ready, serves, and flushes state on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-cli-'));
  const statePath = join(dir, 'state.json');
  const child = spawn(process.execPath, [BIN, 'sandbox', '--state', statePath], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code} before printing`)));
    });
    const ready = JSON.parse(line) as {
      endpoint: string;
      region: string;
      managementAccountId: string;
      accounts: Record<string, { accessKeyId: string; secretAccessKey: string }>;
    };
    expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.region).toBe('us-east-1');
    expect(ready.managementAccountId).toMatch(/^\d{12}$/);
    const member = Object.keys(ready.accounts).find((a) => a !== ready.managementAccountId)!;
    const who = await new STSClient({
      region: ready.region,
      endpoint: ready.endpoint,
      credentials: ready.accounts[member],
      maxAttempts: 1,
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(member);
    const g = await new BedrockClient({
      region: ready.region,
      endpoint: ready.endpoint,
      credentials: ready.accounts[ready.managementAccountId],
      maxAttempts: 1,
    }).send(new CreateGuardrailCommand({ name: 'from-cli-test', blockedInputMessaging: 'a', blockedOutputsMessaging: 'b' }));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).guardrails.map((x: { id: string }) => x.id)).toEqual([g.guardrailId]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('a bad --faults file or --port is bad input (exit 2) and nothing is started', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-cli-'));
  const faults = join(dir, 'faults.json');
  writeFileSync(faults, JSON.stringify({ ListGuardrails: { throttleRate: 3 } }));
  const r = await execa(process.execPath, [BIN, 'sandbox', '--faults', faults, '--state', join(dir, 's.json')], {
    reject: false,
    timeout: 60_000,
  });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain(faults);
  expect(r.stderr).toContain('ListGuardrails.throttleRate');
  expect(r.stdout).toBe('');
  expect(existsSync(join(dir, 's.json'))).toBe(false);
  const p = await execa(process.execPath, [BIN, 'sandbox', '--port', 'eighty'], { reject: false, timeout: 60_000 });
  expect(p.exitCode).toBe(2);
  expect(p.stderr).toContain('--port');
});
