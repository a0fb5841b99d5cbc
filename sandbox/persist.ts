/**
 * `--state <file>`: the sandbox state as JSON, loaded at start and rewritten atomically
 * (write to a temporary file, fsync, rename) after every mutating call, before its response
 * is sent — so a second CLI invocation always sees what the first one was told happened.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { deserializeState, serializeState, type SandboxState } from './state.js';

export function loadStateFile(path: string): SandboxState | undefined {
  if (!existsSync(path)) return undefined;
  return deserializeState(readFileSync(path, 'utf8'), path);
}

export function saveStateFile(path: string, state: SandboxState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic.sync(path, serializeState(state), { fsync: true });
}
