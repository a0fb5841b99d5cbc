/**
 * `--state <file>`: the sandbox state as JSON, loaded at start and rewritten atomically
 * (temporary file, fsync, rename — write-file-atomic) after every mutating call, before that
 * call's response is sent, so a second CLI invocation always sees what the first one was told.
 * Group commit: calls that mutate while a write is in flight share the next write, so
 * concurrent mutations cost one fsync per batch instead of one each (see the benchmark).
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

export class StateWriter {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly getState: () => SandboxState,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Resolves once a write that began after this call has reached the disk. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const after = this.running?.catch(() => undefined) ?? Promise.resolve();
    const next = after.then(() => {
      this.queued = undefined;
      // Serialised when the write starts: it includes every mutation made so far.
      const write = writeFileAtomic(this.path, serializeState(this.getState()), { fsync: true });
      this.running = write;
      return write.finally(() => {
        if (this.running === write) this.running = undefined;
      });
    });
    this.queued = next;
    return next;
  }

  /** Synchronous write (shutdown paths). */
  flushSync(): void {
    saveStateFile(this.path, this.getState());
  }
}
