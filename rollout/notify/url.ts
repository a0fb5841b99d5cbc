/**
 * Sink URLs are secrets (a Slack webhook URL is its own credential): `${env:VAR}` is resolved
 * only at send time, and nothing derived from a URL reaches the ledger or an error message.
 */
import { ENV_URL, isHttpUrl } from '../../model/schema.js';

export type ResolvedUrl = { ok: true; url: string } | { ok: false; error: string };

export function resolveSinkUrl(url: string, envVars: NodeJS.ProcessEnv): ResolvedUrl {
  const m = ENV_URL.exec(url);
  if (!m) return isHttpUrl(url) ? { ok: true, url } : { ok: false, error: 'the sink URL is not an http(s) URL' };
  const value = envVars[m[1]]?.trim();
  if (!value) return { ok: false, error: `environment variable ${m[1]} is not set` };
  // Say which variable is wrong, never what it holds.
  return isHttpUrl(value) ? { ok: true, url: value } : { ok: false, error: `environment variable ${m[1]} does not hold an http(s) URL` };
}

/** Removes the URL, and its path and query on their own, from a message (fetch errors may quote them). */
export function scrubUrl(message: string, url: string): string {
  let out = message.split(url).join('<url>');
  try {
    const u = new URL(url);
    const tail = `${u.pathname}${u.search}`;
    if (tail.length > 1) out = out.split(tail).join('/<redacted>');
    if (u.search.length > 1) out = out.split(u.search).join('?<redacted>');
    if (u.password) out = out.split(u.password).join('<redacted>');
  } catch {
    // not a URL: only the literal was removed
  }
  return out;
}
