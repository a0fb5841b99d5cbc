import http2 from 'node:http2';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BedrockRuntimeClient,
  ApplyGuardrailCommand,
  ThrottlingException as RtThrottling,
  BedrockRuntimeServiceException,
} from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  GetGuardrailCommand,
  ListGuardrailsCommand,
  ThrottlingException,
  InternalServerException,
  BedrockServiceException,
} from '@aws-sdk/client-bedrock';
import {
  OrganizationsClient,
  ListAccountsCommand,
  CreatePolicyCommand,
  AttachPolicyCommand,
  ListTargetsForPolicyCommand,
  TooManyRequestsException,
  ServiceException,
} from '@aws-sdk/client-organizations';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, PILOT, REGION, ROOT, start } from '../helpers/sandbox.js';

describe('one port, HTTP/1.1 and h2c', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(async () => {
    await sb.close();
  });

  test('a default BedrockRuntimeClient (HTTP/2 prior knowledge) gets parseable answers', async () => {
    const br = new BedrockClient(cfg(sb, MGMT));
    const g = await br.send(
      new CreateGuardrailCommand({
        name: 'h2',
        blockedInputMessaging: 'in',
        blockedOutputsMessaging: 'out',
        wordPolicyConfig: { wordsConfig: [{ text: 'forbidden' }] },
      }),
    );
    const rt = new BedrockRuntimeClient({ region: REGION, endpoint: sb.endpoint, credentials: sb.accounts[MGMT], maxAttempts: 1 });
    try {
      const before = sb.stats.http2;
      // A modeled error through HTTP/2: the SDK raises the runtime client's class.
      sb.setFaults({ ApplyGuardrail: { throttleRate: 1 } });
      const err = await rt
        .send(
          new ApplyGuardrailCommand({
            guardrailIdentifier: g.guardrailArn,
            guardrailVersion: 'DRAFT',
            source: 'INPUT',
            content: [{ text: { text: 'hello' } }],
          }),
        )
        .catch((e) => e);
      expect(err).toBeInstanceOf(RtThrottling);
      expect(err.$metadata.httpStatusCode).toBe(429);
      expect(err.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      sb.setFaults({});
      expect(sb.stats.http2).toBeGreaterThan(before);
      // A success through HTTP/2 (path labels carry the encoded ARN).
      const ok = await rt.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: g.guardrailArn,
          guardrailVersion: 'DRAFT',
          source: 'INPUT',
          content: [{ text: { text: 'this is forbidden' } }],
        }),
      );
      expect(ok.action).toBe('GUARDRAIL_INTERVENED');
      // An unknown key through HTTP/2.
      const bad = new BedrockRuntimeClient({
        region: REGION,
        endpoint: sb.endpoint,
        credentials: { accessKeyId: 'AKIANOPE', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      const e2 = await bad
        .send(
          new ApplyGuardrailCommand({
            guardrailIdentifier: 'abc',
            guardrailVersion: 'DRAFT',
            source: 'INPUT',
            content: [{ text: { text: 'x' } }],
          }),
        )
        .catch((e) => e);
      expect(e2).toBeInstanceOf(BedrockRuntimeServiceException);
      expect(e2.name).toBe('UnrecognizedClientException');
      bad.destroy();
    } finally {
      rt.destroy();
    }
  });

  test('raw HTTP/2 sessions and HTTP/1.1 requests share the port', async () => {
    const session = http2.connect(sb.endpoint);
    try {
      const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = session.request({
          ':method': 'GET',
          ':path': '/no-such-route',
          authorization: `AWS4-HMAC-SHA256 Credential=${sb.accounts[MGMT].accessKeyId}/20260101/${REGION}/bedrock/aws4_request, SignedHeaders=host, Signature=00`,
        });
        let body = '';
        let status = 0;
        let type = '';
        req.on('response', (h) => {
          status = Number(h[':status']);
          type = String(h['x-amzn-errortype']);
        });
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => resolve({ status, type, body }));
        req.on('error', reject);
        req.end();
      });
      expect(res.status).toBe(404);
      expect(res.type).toBe('UnknownOperationException');
      expect(JSON.parse(res.body).message).toMatch(/no-such-route/);
    } finally {
      session.close();
    }
    const r = await fetch(`${sb.endpoint}/guardrails`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${sb.accounts[MGMT].accessKeyId}/20260101/${REGION}/bedrock/aws4_request, SignedHeaders=host, Signature=00`,
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const anon = await fetch(`${sb.endpoint}/guardrails`);
    expect(anon.status).toBe(403);
  });

  test('an unknown access key is UnrecognizedClientException on restJson', async () => {
    const br = new BedrockClient({ ...cfg(sb, MGMT), credentials: { accessKeyId: 'AKIA999999999999XXXX', secretAccessKey: 'x' } });
    const err = await br.send(new ListGuardrailsCommand({})).catch((e) => e);
    expect(err).toBeInstanceOf(BedrockServiceException);
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });
});

describe('persistence', () => {
  test("a second server started on the same --state file sees the first one's world", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbx-state-'));
    const statePath = join(dir, 'nested', 'state.json');
    const first = await start({ statePath });
    const br = new BedrockClient(cfg(first, MGMT));
    const g = await br.send(new CreateGuardrailCommand({ name: 'persisted', blockedInputMessaging: 'a', blockedOutputsMessaging: 'b' }));
    await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId, description: 'r1' }));
    const org = new OrganizationsClient(cfg(first, MGMT));
    const p = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'persisted',
          Description: '',
          Type: 'BEDROCK_POLICY',
          Content: JSON.stringify({
            bedrock: { guardrail_inference: { [REGION]: { c: { identifier: { '@@assign': `${g.guardrailArn}:1` } } } } },
          }),
        }),
      )
    ).Policy!;
    await org.send(new AttachPolicyCommand({ PolicyId: p.PolicySummary!.Id, TargetId: ROOT }));
    const assumed = await new STSClient(cfg(first, MGMT)).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`, RoleSessionName: 'keep' }),
    );
    // Written before the response: the file already has the guardrail while the server runs.
    expect(JSON.parse(readFileSync(statePath, 'utf8')).guardrails[0].id).toBe(g.guardrailId);
    await first.close();

    const second = await start({ statePath });
    try {
      expect(second.accounts).toEqual(first.accounts);
      const v = await new BedrockClient(cfg(second, MGMT)).send(
        new GetGuardrailCommand({ guardrailIdentifier: g.guardrailId, guardrailVersion: '1' }),
      );
      expect(v).toMatchObject({ name: 'persisted', version: '1', description: 'r1' });
      const targets = await new OrganizationsClient(cfg(second, MGMT)).send(
        new ListTargetsForPolicyCommand({ PolicyId: p.PolicySummary!.Id }),
      );
      expect(targets.Targets?.map((t) => t.TargetId)).toEqual([ROOT]);
      const c = assumed.Credentials!;
      const who = await new STSClient({
        ...cfg(second, MGMT),
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      }).send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe(PILOT);
      // New ids continue the sequence instead of colliding with persisted ones.
      const g2 = await new BedrockClient(cfg(second, MGMT)).send(
        new CreateGuardrailCommand({ name: 'after-restart', blockedInputMessaging: 'a', blockedOutputsMessaging: 'b' }),
      );
      expect(g2.guardrailId).not.toBe(g.guardrailId);
    } finally {
      await second.close();
    }
  });

  test('same seed, same calls → same ids; a different seed gives different ids', async () => {
    const ids = async (seed: number) => {
      const sb = await start({ seed });
      try {
        const br = new BedrockClient(cfg(sb, MGMT));
        const out: string[] = [];
        for (const name of ['a', 'b'])
          out.push(
            (await br.send(new CreateGuardrailCommand({ name, blockedInputMessaging: 'x', blockedOutputsMessaging: 'y' }))).guardrailId!,
          );
        return { out, secret: sb.accounts[MGMT].secretAccessKey };
      } finally {
        await sb.close();
      }
    };
    const [a, b, c] = [await ids(7), await ids(7), await ids(8)];
    expect(a).toEqual(b);
    expect(c.out).not.toEqual(a.out);
    expect(c.secret).not.toBe(a.secret);
  });
});

describe('fault injection', () => {
  test('each service answers its own throttling and 5xx errors', async () => {
    const sb = await start({ faults: { '*': { throttleRate: 1 } } });
    try {
      await expect(new BedrockClient(cfg(sb, MGMT)).send(new ListGuardrailsCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
      await expect(new OrganizationsClient(cfg(sb, MGMT)).send(new ListAccountsCommand({}))).rejects.toBeInstanceOf(
        TooManyRequestsException,
      );
      const sts = await new STSClient(cfg(sb, MGMT)).send(new GetCallerIdentityCommand({})).catch((e) => e);
      expect(sts.name).toBe('Throttling');
      sb.setFaults({ '*': { errorRate: 1 } });
      await expect(new BedrockClient(cfg(sb, MGMT)).send(new ListGuardrailsCommand({}))).rejects.toBeInstanceOf(InternalServerException);
      await expect(new OrganizationsClient(cfg(sb, MGMT)).send(new ListAccountsCommand({}))).rejects.toBeInstanceOf(ServiceException);
      // A per-operation rule overrides "*".
      sb.setFaults({ '*': { errorRate: 1 }, ListGuardrails: {} });
      expect((await new BedrockClient(cfg(sb, MGMT)).send(new ListGuardrailsCommand({}))).guardrails).toEqual([]);
    } finally {
      await sb.close();
    }
  });

  test('outcomes are deterministic for a seed and follow the configured rates', async () => {
    const run = async (seed: number) => {
      const sb = await start({ seed, faults: { ListGuardrails: { throttleRate: 0.3, errorRate: 0.2 } } });
      const br = new BedrockClient(cfg(sb, MGMT));
      const outcomes: string[] = [];
      try {
        for (let i = 0; i < 60; i++) {
          outcomes.push(
            await br.send(new ListGuardrailsCommand({})).then(
              () => 'ok',
              (e) => e.name,
            ),
          );
          // Other operations do not shift ListGuardrails' sequence.
          if (i % 7 === 0) await br.send(new GetGuardrailCommand({ guardrailIdentifier: 'nope00000000' })).catch(() => undefined);
        }
      } finally {
        await sb.close();
      }
      return outcomes;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
    const count = (k: string) => a.filter((x) => x === k).length;
    expect(count('ThrottlingException')).toBeGreaterThan(8);
    expect(count('InternalServerException')).toBeGreaterThan(4);
    expect(count('ok')).toBeGreaterThan(15);
  });

  test('added latency delays the answer', async () => {
    // The sandbox waits out the latency through `sleep`; this one hands the test the release, so
    // "delayed" is observed as "still unanswered until the wait ends", with no clock involved.
    const waits: number[] = [];
    let entered!: () => void;
    const waiting = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const sleep = (ms: number) => {
      waits.push(ms);
      entered();
      return new Promise<void>((r) => {
        release = r;
      });
    };
    const sb = await start({ faults: { ListGuardrails: { latencyMs: 150 } }, sleep });
    try {
      const br = new BedrockClient(cfg(sb, MGMT));
      let answered = false;
      const call = br.send(new ListGuardrailsCommand({})).then((r) => {
        answered = true;
        return r;
      });
      await waiting;
      expect(waits).toEqual([150]);
      // Another round trip completes meanwhile: the server is not blocked, only that call waits.
      expect((await br.send(new GetGuardrailCommand({ guardrailIdentifier: 'nope00000000' })).catch((e) => e)).name).toBe(
        'ResourceNotFoundException',
      );
      expect(answered).toBe(false);
      release();
      expect((await call).guardrails).toEqual([]);
      expect(answered).toBe(true);
      // Operations without a latency rule never wait.
      expect(waits).toEqual([150]);
    } finally {
      await sb.close();
    }
  });

  test('invalid fault configs are refused', async () => {
    await expect(start({ faults: { '*': { throttleRate: 2 } } })).rejects.toThrow();
    await expect(start({ faults: { '*': { colour: 1 } as never } })).rejects.toThrow();
  });
});
