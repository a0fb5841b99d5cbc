/**
 * The deterministic stand-in model. It answers "Echo: <the last user message>" (whitespace
 * collapsed, first 200 characters), or — when the prompt asks it to repeat/echo some text —
 * that text verbatim, so output-side filters and ANONYMIZE on output can be exercised.
 */
const REPEAT = /\b(?:repeat|echo)\b(?:\s+(?:this|that|after me|back|verbatim|exactly|the following(?: text)?))*\s*[:,-]?\s*([\s\S]+)$/i;

export function standInAnswer(lastUserMessage: string): string {
  const text = lastUserMessage.trim();
  const m = REPEAT.exec(text);
  if (m) {
    const said = m[1].trim().replace(/^(["'“])([\s\S]*)(["'”])$/, '$2');
    if (said) return said;
  }
  const summary = text.replace(/\s+/g, ' ').slice(0, 200);
  return `Echo: ${summary || '(empty prompt)'}`;
}

/** Rough token count used for usage figures: one token per 4 characters. */
export const tokens = (chars: number) => Math.ceil(chars / 4);

/** A deterministic pseudo-embedding (FNV-1a seeded), for embedding models called with InvokeModel. */
export function standInEmbedding(text: string, dims: number): number[] {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    h ^= i;
    h = Math.imul(h, 0x01000193) >>> 0;
    out.push(Math.round(((h / 0xffffffff) * 2 - 1) * 1e6) / 1e6);
  }
  return out;
}
