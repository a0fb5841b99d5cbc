/**
 * InvokeModel (POST /model/{modelId}/invoke): native model bodies, guard tags, enforcement.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tagging.html
 */
import { AwsError } from '../errors.js';
import type { CatalogueModel } from '../models.js';
import type { RuntimeRequest, RuntimeResponse, RuntimeWorld } from './context.js';
import { catalogueModel, isEmbedding, parseJsonBody } from './common.js';
import { applicableGuardrails, type Segment } from './enforcement.js';
import { runGuarded, type TraceLevel } from './pipeline.js';
import { standInAnswer, standInEmbedding, tokens } from './standin.js';

const TAG_PREFIX = 'amazon-bedrock-guardrails-guardContent_';
const CONFIG_KEY = 'amazon-bedrock-guardrailConfig';

/** Splits text into untagged and tagged parts for `<amazon-bedrock-guardrails-guardContent_SUFFIX>`. */
export function splitTags(text: string, suffix: string | undefined): { text: string; tagged: boolean }[] {
  if (!suffix) return [{ text, tagged: false }];
  const open = `<${TAG_PREFIX}${suffix}>`;
  const close = `</${TAG_PREFIX}${suffix}>`;
  const parts: { text: string; tagged: boolean }[] = [];
  let pos = 0;
  for (;;) {
    const s = text.indexOf(open, pos);
    if (s < 0) break;
    const e = text.indexOf(close, s + open.length);
    if (e < 0) break; // an unclosed tag is left as plain text
    if (s > pos) parts.push({ text: text.slice(pos, s), tagged: false });
    parts.push({ text: text.slice(s + open.length, e), tagged: true });
    pos = e + close.length;
  }
  if (pos < text.length || parts.length === 0) parts.push({ text: text.slice(pos), tagged: false });
  return parts.filter((p) => p.text.length > 0 || parts.length === 1);
}

type Shape =
  | 'anthropic'
  | 'nova'
  | 'chat'
  | 'titan-text'
  | 'titan-embed'
  | 'cohere-embed'
  | 'cohere-chat'
  | 'llama'
  | 'mistral'
  | 'completion';

interface Parsed {
  shape: Shape;
  raw: { surface: Segment['surface']; role?: string; message: number; text: string }[];
}

const textOf = (c: unknown): string => {
  if (typeof c === 'string') return c;
  if (Array.isArray(c))
    return c
      .map((b) => (b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : ''))
      .filter(Boolean)
      .join('\n');
  return '';
};

/** Reads the prompt text out of a native model body. */
export function parseNativeBody(model: CatalogueModel, body: Record<string, unknown>): Parsed {
  const raw: Parsed['raw'] = [];
  const provider = model.modelId.split('.')[0];
  if (Array.isArray(body.messages)) {
    if (body.system !== undefined) raw.push({ surface: 'system', message: -1, text: textOf(body.system) });
    body.messages.forEach((m, i) => {
      const msg = m as { role?: string; content?: unknown };
      if (msg?.role === 'system') raw.push({ surface: 'system', message: -1, text: textOf(msg.content) });
      else raw.push({ surface: 'message', role: msg?.role ?? 'user', message: i, text: textOf(msg?.content) });
    });
    return { shape: provider === 'anthropic' ? 'anthropic' : provider === 'amazon' ? 'nova' : 'chat', raw };
  }
  if (typeof body.inputText === 'string') {
    raw.push({ surface: 'message', role: 'user', message: 0, text: body.inputText });
    return { shape: isEmbedding(model) ? 'titan-embed' : 'titan-text', raw };
  }
  if (Array.isArray(body.texts)) {
    body.texts.forEach((t, i) => {
      raw.push({ surface: 'message', role: 'user', message: i, text: String(t) });
    });
    return { shape: 'cohere-embed', raw };
  }
  if (typeof body.message === 'string') {
    if (typeof body.preamble === 'string') raw.push({ surface: 'system', message: -1, text: body.preamble });
    const history = Array.isArray(body.chat_history) ? body.chat_history : [];
    history.forEach((h, i) => {
      const e = h as { role?: string; message?: string };
      raw.push({ surface: 'message', role: e.role === 'CHATBOT' ? 'assistant' : 'user', message: i, text: String(e.message ?? '') });
    });
    raw.push({ surface: 'message', role: 'user', message: history.length, text: body.message });
    return { shape: 'cohere-chat', raw };
  }
  if (typeof body.prompt === 'string') {
    raw.push({ surface: 'message', role: 'user', message: 0, text: body.prompt });
    return { shape: provider === 'meta' ? 'llama' : provider === 'mistral' ? 'mistral' : 'completion', raw };
  }
  throw new AwsError(
    'ValidationException',
    400,
    'Malformed input request: expected messages, inputText, prompt, message or texts in the model body.',
  );
}

function render(
  shape: Shape,
  modelId: string,
  text: string,
  inChars: number,
  intervened: boolean,
  embedText: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const inT = tokens(inChars);
  const outT = tokens(text.length);
  switch (shape) {
    case 'anthropic':
      return {
        id: 'msg_sandbox',
        type: 'message',
        role: 'assistant',
        model: modelId,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: inT, output_tokens: outT },
      };
    case 'nova':
      return {
        output: { message: { role: 'assistant', content: [{ text }] } },
        stopReason: intervened ? 'content_filtered' : 'end_turn',
        usage: { inputTokens: inT, outputTokens: outT, totalTokens: inT + outT },
      };
    case 'chat':
      return {
        id: 'chat-sandbox',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: inT, completion_tokens: outT, total_tokens: inT + outT },
      };
    case 'titan-text':
      return {
        inputTextTokenCount: inT,
        results: [{ tokenCount: outT, outputText: text, completionReason: intervened ? 'CONTENT_FILTERED' : 'FINISH' }],
      };
    case 'titan-embed':
      return {
        embedding: standInEmbedding(embedText, typeof body.dimensions === 'number' ? body.dimensions : 1024),
        inputTextTokenCount: inT,
      };
    case 'cohere-embed':
      return {
        id: 'embed-sandbox',
        texts: body.texts,
        embeddings: (body.texts as unknown[]).map((t) => standInEmbedding(String(t), 1024)),
        response_type: 'embeddings_floats',
      };
    case 'cohere-chat':
      return {
        response_id: 'sandbox',
        text,
        generation_id: 'sandbox',
        finish_reason: intervened ? 'ERROR_TOXIC' : 'COMPLETE',
        chat_history: [],
      };
    case 'llama':
      return { generation: text, prompt_token_count: inT, generation_token_count: outT, stop_reason: 'stop' };
    case 'mistral':
      return { outputs: [{ text, stop_reason: 'stop' }] };
    case 'completion':
      return { completion: text, stop_reason: 'stop_sequence' };
  }
}

export async function invokeModel(req: RuntimeRequest, world: RuntimeWorld): Promise<RuntimeResponse> {
  const modelId = req.params.modelId ?? '';
  const model = catalogueModel(modelId);
  const h = (k: string) => req.headers[k] ?? req.headers[k.toLowerCase()];
  const gid = h('x-amzn-bedrock-guardrailidentifier') ?? '';
  const gver = h('x-amzn-bedrock-guardrailversion') ?? '';
  const traceHeader = (h('x-amzn-bedrock-trace') ?? '').toUpperCase();
  const trace: TraceLevel = traceHeader === 'ENABLED' ? 'on' : traceHeader === 'ENABLED_FULL' ? 'full' : 'off';
  const contentType = (h('content-type') ?? 'application/json').toLowerCase();
  if (gid && !gver)
    throw new AwsError(
      'ValidationException',
      400,
      'X-Amzn-Bedrock-GuardrailVersion is required when X-Amzn-Bedrock-GuardrailIdentifier is set.',
    );
  if (gver && !/^(?:DRAFT|[1-9]\d{0,7})$/.test(gver))
    throw new AwsError('ValidationException', 400, `Invalid guardrail version "${gver}".`);

  const body = parseJsonBody(req.body, 'model body');
  const tagConfig = body[CONFIG_KEY] as { tagSuffix?: unknown } | undefined;
  delete body[CONFIG_KEY]; // the guardrail configuration is stripped before the model sees the body
  const suffix = typeof tagConfig?.tagSuffix === 'string' ? tagConfig.tagSuffix : undefined;
  if (suffix !== undefined && !/^[A-Za-z0-9]{1,20}$/.test(suffix))
    throw new AwsError('ValidationException', 400, 'amazon-bedrock-guardrailConfig.tagSuffix must be 1–20 alphanumeric characters.');

  const applied = applicableGuardrails(
    world,
    req.callerAccount,
    req.region,
    modelId,
    gid ? { identifier: gid, version: gver, rule: 'TAGGED_OR_ALL' } : undefined,
    req.identity,
  );
  if (tagConfig !== undefined && applied.length === 0) {
    throw new AwsError(
      'ValidationException',
      400,
      `${CONFIG_KEY} was sent but no guardrail applies to this request (set X-Amzn-Bedrock-GuardrailIdentifier).`,
    );
  }
  if (applied.length > 0 && !contentType.startsWith('application/json')) {
    throw new AwsError('ValidationException', 400, 'Guardrails require Content-Type application/json on InvokeModel.');
  }
  if (applied.length > 0 && isEmbedding(model)) {
    // Preview FAQ: models without guardrail support fail under enforcement; exclude them in model_enforcement.
    throw new AwsError(
      'ValidationException',
      400,
      `The model ${modelId} does not support guardrails; exclude it from enforcement (model_enforcement.excluded_models) or drop the request guardrail.`,
    );
  }

  const parsed = parseNativeBody(model, body);
  const segments: Segment[] = [];
  for (const r of parsed.raw)
    for (const p of splitTags(r.text, suffix))
      segments.push({ surface: r.surface, role: r.role, message: r.message, text: p.text, tagged: p.tagged });
  const anyTag = segments.some((s) => s.tagged);
  const embedText = parsed.raw.map((r) => r.text).join('\n');

  if (isEmbedding(model) || parsed.shape === 'titan-embed' || parsed.shape === 'cohere-embed') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(render(parsed.shape, modelId, '', embedText.length, false, embedText, body)),
    };
  }

  let out: Record<string, unknown>;
  if (applied.length === 0) {
    const lastUser = Math.max(-1, ...segments.filter((s) => s.surface === 'message' && s.role === 'user').map((s) => s.message));
    const text = standInAnswer(
      segments
        .filter((s) => s.surface === 'message' && s.message === lastUser)
        .map((s) => s.text)
        .join(' '),
    );
    out = render(parsed.shape, modelId, text, embedText.length, false, embedText, body);
  } else {
    // Prompt-attack filtering on InvokeModel requires guard tags (guardrails-tagging docs).
    const result = runGuarded({ applied, segments, trace, promptAttack: anyTag });
    req.onEvaluations?.(result.evaluations);
    out = render(parsed.shape, modelId, result.outputText, result.inputChars, result.intervened, embedText, body);
    out['amazon-bedrock-guardrailAction'] = result.intervened ? 'INTERVENED' : 'NONE';
    if (trace !== 'off') {
      const guardrail: Record<string, unknown> = {
        input: result.inputAssessments,
        outputs: Object.entries(result.outputAssessments).map(([k, v]) => ({ [k]: v[0] })),
        actionReason: result.actionReason,
      };
      if (result.modelOutput !== undefined && (trace === 'full' || result.modelOutput !== result.outputText))
        guardrail.modelOutput = [result.modelOutput];
      out['amazon-bedrock-trace'] = { guardrail };
    }
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(out) };
}
