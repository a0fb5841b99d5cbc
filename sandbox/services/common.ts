/** What every service handler receives and returns. */
import type { SvcResponse } from '../protocol.js';
import type { SandboxState } from '../state.js';

export interface ServiceContext {
  state: SandboxState;
  now(): number;
  /** Bumped after every request that changed the state (caches of derived answers key on it). */
  revision?: number;
}

export interface HandlerResult {
  response: SvcResponse;
  /** True when the state changed (the server then persists it before answering). */
  mutated: boolean;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
