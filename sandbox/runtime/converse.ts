/**
 * Converse (POST /model/{modelId}/converse) with enforcement semantics.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
import { AwsError } from '../errors.js';
import type { CallerIdentity, RuntimeRequest, RuntimeResponse, RuntimeWorld } from './context.js';
import { catalogueModel, json, parseJsonBody } from './common.js';
import { type AppliedGuardrail, applicableGuardrails, CONVERSE_REQUEST_RULE, type Segment } from './enforcement.js';
import { type PipelineResult, runGuarded, type TraceLevel } from './pipeline.js';
import { tokens } from './standin.js';

type Block = Record<string, unknown>;

/** Text segments of a Converse request: text blocks (untagged) and guardContent text (tagged). */
export function converseSegments(system: unknown, messages: unknown): Segment[] {
  const segs: Segment[] = [];
  const push = (b: Block, surface: Segment['surface'], message: number, role?: string) => {
    if (typeof b.text === 'string') segs.push({ surface, text: b.text, tagged: false, message, role });
    const gc = b.guardContent as Block | undefined;
    const t = gc?.text as { text?: unknown; qualifiers?: unknown } | undefined;
    if (t && typeof t.text === 'string') {
      segs.push({
        surface,
        text: t.text,
        tagged: true,
        message,
        role,
        qualifiers: Array.isArray(t.qualifiers) ? t.qualifiers.map(String) : undefined,
      });
    }
    // images, documents, tool use/results are not evaluated (tool content is documented as not guarded).
  };
  if (Array.isArray(system)) for (const b of system) if (b && typeof b === 'object') push(b as Block, 'system', -1);
  if (Array.isArray(messages)) {
    messages.forEach((m, i) => {
      const msg = m as { role?: unknown; content?: unknown };
      if (!msg || !Array.isArray(msg.content)) return;
      for (const b of msg.content) if (b && typeof b === 'object') push(b as Block, 'message', i, String(msg.role));
    });
  }
  return segs;
}

/**
 * The guardrails a Converse call of `account` in `region` runs (enforced ones for the model, plus
 * the request's guardrail), access checked. Shared with the traffic simulation (sandbox/traffic),
 * so simulated calls are enforced exactly like real ones.
 */
export function converseGuardrails(
  world: RuntimeWorld,
  account: string,
  region: string,
  modelId: string,
  request?: { identifier: string; version: string },
  identity?: CallerIdentity,
): AppliedGuardrail[] {
  return applicableGuardrails(
    world,
    account,
    region,
    modelId,
    request ? { identifier: request.identifier, version: request.version, rule: CONVERSE_REQUEST_RULE } : undefined,
    identity,
  );
}

/** Converse's guarded pipeline over the request's segments (prompt-attack filtering applies on Converse). */
export function runConverse(applied: AppliedGuardrail[], segments: Segment[], trace: TraceLevel = 'off'): PipelineResult {
  return runGuarded({ applied, segments, trace, promptAttack: true });
}

export async function converse(req: RuntimeRequest, world: RuntimeWorld): Promise<RuntimeResponse> {
  const started = performance.now();
  const modelId = req.params.modelId ?? '';
  const model = catalogueModel(modelId);
  if (!model.converse || !model.outputModalities.includes('TEXT')) {
    throw new AwsError(
      'ValidationException',
      400,
      `The model ${modelId} does not support the Converse API (it is not a text-generation model).`,
    );
  }
  const body = parseJsonBody(req.body);
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new AwsError('ValidationException', 400, 'A conversation must have at least one message (messages is required).');
  }
  for (const [i, m] of messages.entries()) {
    const msg = m as { role?: unknown; content?: unknown };
    if (!msg || (msg.role !== 'user' && msg.role !== 'assistant') || !Array.isArray(msg.content)) {
      throw new AwsError('ValidationException', 400, `messages.${i}: each message needs role "user" or "assistant" and a content list.`);
    }
  }
  if ((messages[0] as { role: string }).role !== 'user')
    throw new AwsError('ValidationException', 400, 'A conversation must start with a user message.');

  const gc = (body.guardrailConfig ?? undefined) as { guardrailIdentifier?: string; guardrailVersion?: string; trace?: string } | undefined;
  const gid = gc?.guardrailIdentifier ?? '';
  const gver = gc?.guardrailVersion ?? '';
  if (gid && !gver)
    throw new AwsError('ValidationException', 400, 'guardrailConfig.guardrailVersion is required when guardrailIdentifier is set.');
  if (gver && !/^(?:DRAFT|[1-9]\d{0,7})$/.test(gver)) throw new AwsError('ValidationException', 400, `Invalid guardrailVersion "${gver}".`);
  const trace: TraceLevel = gc?.trace === 'enabled' ? 'on' : gc?.trace === 'enabled_full' ? 'full' : 'off';

  const applied = converseGuardrails(
    world,
    req.callerAccount,
    req.region,
    modelId,
    gid ? { identifier: gid, version: gver } : undefined,
    req.identity,
  );
  const result = runConverse(applied, converseSegments(body.system, messages), trace);
  req.onEvaluations?.(result.evaluations);

  const outChars = result.outputText.length;
  const response: Record<string, unknown> = {
    output: { message: { role: 'assistant', content: [{ text: result.outputText }] } },
    stopReason: result.intervened ? 'guardrail_intervened' : 'end_turn',
    usage: {
      inputTokens: tokens(result.inputChars),
      outputTokens: tokens(outChars),
      totalTokens: tokens(result.inputChars) + tokens(outChars),
    },
    metrics: { latencyMs: Math.max(1, Math.round(performance.now() - started)) },
  };
  if (trace !== 'off' && applied.length > 0) {
    const guardrail: Record<string, unknown> = { inputAssessment: result.inputAssessments, actionReason: result.actionReason };
    if (Object.keys(result.outputAssessments).length > 0) guardrail.outputAssessments = result.outputAssessments;
    if (
      result.modelOutput !== undefined &&
      (trace === 'full' || result.blockedAt === 'OUTPUT' || result.modelOutput !== result.outputText)
    ) {
      guardrail.modelOutput = [result.modelOutput];
    }
    response.trace = { guardrail };
  }
  return json(response);
}
