/** What every service handler receives and returns. */
import type { SvcResponse } from '../protocol.js';
import type { SandboxState } from '../state.js';

export interface ServiceContext {
  state: SandboxState;
  now(): number;
}

export interface HandlerResult {
  response: SvcResponse;
  /** True when the state changed (the server then persists it before answering). */
  mutated: boolean;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
