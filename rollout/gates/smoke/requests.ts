/**
 * The requests smoke sends. Chat models: Converse WITHOUT naming a guardrail, so only
 * enforcement can block; `guardrailConfig` carries an empty identifier and version (both may be
 * empty, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConfiguration.html)
 * with `trace: enabled`, which asks for the trace of the enforced guardrails. Non-chat models
 * (embeddings, images): InvokeModel with the provider's native body. Pure.
 */
import type { ContentBlock, ConverseCommandInput, Message, SystemContentBlock } from '@aws-sdk/client-bedrock-runtime';
import type { SmokeCase } from '../../../model/types.js';

/** The user turn sent with a system-prompt case: benign, so only the system prompt can trigger. */
export const BENIGN_USER_TURN = 'Hello! Can you briefly say what you can help me with?';

export function converseInput(c: SmokeCase): ConverseCommandInput {
  const block = (text: string, tagged?: boolean): ContentBlock =>
    tagged ? { guardContent: { text: { text, qualifiers: ['guard_content'] } } } : { text };
  const messages: Message[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlock) => {
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content = [...(last.content ?? []), content];
    else messages.push({ role, content: [content] });
  };
  for (const t of c.history ?? []) push(t.role, { text: t.text });
  const system: SystemContentBlock[] | undefined =
    c.surface === 'system' ? [c.tagged ? { guardContent: { text: { text: c.content } } } : { text: c.content }] : undefined;
  push('user', c.surface === 'message' ? block(c.content, c.tagged) : { text: BENIGN_USER_TURN });
  return {
    modelId: c.model,
    messages,
    ...(system ? { system } : {}),
    inferenceConfig: { maxTokens: 256 },
    // No guardrail named: empty identifier/version only ask for the trace of enforced guardrails.
    guardrailConfig: { guardrailIdentifier: '', guardrailVersion: '', trace: 'enabled' },
  };
}

/** InvokeModel body for a non-chat model (provider-native shape). */
export function invokeBody(model: string, text: string): Record<string, unknown> {
  if (model.startsWith('cohere.embed')) return { texts: [text], input_type: 'search_document' };
  if (/image-generator/.test(model))
    return { taskType: 'TEXT_IMAGE', textToImageParams: { text }, imageGenerationConfig: { numberOfImages: 1 } };
  return { inputText: text };
}
