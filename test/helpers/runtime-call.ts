import { handleRuntime } from '../../sandbox/runtime/handler.js';
import type { RuntimeWorld } from '../../sandbox/runtime/context.js';
import { MEMBER, REGION } from './memory-world.js';

export const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
export const NOVA = 'amazon.nova-lite-v1:0';
export const EMBED = 'amazon.titan-embed-text-v2:0';

export type Json = any;

export async function converse(
  world: RuntimeWorld,
  body: Json,
  opts: { model?: string; caller?: string; region?: string } = {},
): Promise<Json> {
  const r = await handleRuntime(
    {
      operation: 'Converse',
      callerAccount: opts.caller ?? MEMBER,
      region: opts.region ?? REGION,
      params: { modelId: opts.model ?? CLAUDE },
      headers: {},
      body: Buffer.from(JSON.stringify(body)),
    },
    world,
  );
  return JSON.parse(String(r.body));
}

export async function invoke(
  world: RuntimeWorld,
  body: Json,
  opts: { model?: string; caller?: string; headers?: Record<string, string> } = {},
): Promise<Json> {
  const r = await handleRuntime(
    {
      operation: 'InvokeModel',
      callerAccount: opts.caller ?? MEMBER,
      region: REGION,
      params: { modelId: opts.model ?? CLAUDE },
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: Buffer.from(JSON.stringify(body)),
    },
    world,
  );
  expect(r.headers['content-type']).toBe('application/json');
  return JSON.parse(Buffer.isBuffer(r.body) ? r.body.toString('utf8') : r.body);
}

export async function apply(world: RuntimeWorld, id: string, version: string, body: Json, caller = MEMBER): Promise<Json> {
  const r = await handleRuntime(
    {
      operation: 'ApplyGuardrail',
      callerAccount: caller,
      region: REGION,
      params: { guardrailIdentifier: id, guardrailVersion: version },
      headers: {},
      body: Buffer.from(JSON.stringify(body)),
    },
    world,
  );
  return JSON.parse(String(r.body));
}

export const user = (...content: Json[]) => ({ role: 'user', content });
export const assistant = (...content: Json[]) => ({ role: 'assistant', content });
export const text = (t: string) => ({ text: t });
export const tagged = (t: string) => ({ guardContent: { text: { text: t } } });
