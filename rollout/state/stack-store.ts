/**
 * Content-addressed store of the phase stacks that were applied (`.rollout/<env>/stacks/<sha256>.json`):
 * a rollback re-applies the previous unit's stack byte for byte instead of re-synthesizing it
 * from today's environment. Files are written once (atomically) and never changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolingError } from '../../core/errors.js';
import { writeJsonAtomic } from './store.js';

export function stackHashOf(json: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(json)).digest('hex');
}

const fileOf = (dir: string, hash: string) => join(dir, `${hash}.json`);

/** Keeps a stack's JSON; returns its hash. */
export async function keepStack(dir: string, json: Record<string, unknown>): Promise<string> {
  const hash = stackHashOf(json);
  await writeJsonAtomic(fileOf(dir, hash), json);
  return hash;
}

/** The JSON kept under `hash`, checked against it (a damaged file is refused, never applied). */
export async function keptStack(dir: string, hash: string): Promise<Record<string, unknown>> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(fileOf(dir, hash), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ToolingError(`the stack kept for rollback (${fileOf(dir, hash)}) cannot be read: ${(err as Error).message}`, err);
  }
  if (stackHashOf(json) !== hash) throw new ToolingError(`the stack kept as ${hash} does not match its hash: refusing to apply it`);
  return json;
}
