/**
 * What `rollout preview --diff` compares against: the releases recorded per phase and the
 * published guardrail versions, read from `.rollout/<env>/state.json` (written by rollout/state.ts).
 * Missing file ⇒ nothing recorded ("empty organization" before). Read-only and lenient: only the
 * two stable shapes `phases.<phase>.release` and `published[release][region]` are used.
 */
import { readFile } from 'node:fs/promises';
import { PHASES, type Environment, type Phase } from '../environments/types.js';
import { ToolingError } from './errors.js';
import { envPaths } from './paths.js';

export interface PublishedIdentifier { guardrailArn: string; version: string }

export interface RecordedRollout {
  phases: Partial<Record<Phase, { release: string; appliedAt?: string }>>;
  published: Record<string, Record<string, PublishedIdentifier>>;
}

async function readStateFile(env: Pick<Environment, 'name'>, home?: string): Promise<unknown> {
  const file = envPaths(env.name, home).state;
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ToolingError(`cannot read rollout state ${file}: ${(err as Error).message}`, err);
  }
  try { return JSON.parse(text); } catch (err) {
    throw new ToolingError(`rollout state ${file} is not valid JSON (${(err as Error).message})`, err);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function loadRecordedRollout(env: Pick<Environment, 'name'>, home?: string): Promise<RecordedRollout> {
  const raw = await readStateFile(env, home);
  const out: RecordedRollout = { phases: {}, published: {} };
  if (!isObj(raw)) return out;
  if (isObj(raw.phases)) {
    for (const p of PHASES) {
      const rec = raw.phases[p];
      if (isObj(rec) && typeof rec.release === 'string' && rec.release) {
        out.phases[p] = { release: rec.release, ...(typeof rec.appliedAt === 'string' ? { appliedAt: rec.appliedAt } : {}) };
      }
    }
  }
  if (isObj(raw.published)) {
    for (const [release, regions] of Object.entries(raw.published)) {
      if (!isObj(regions)) continue;
      for (const [region, v] of Object.entries(regions)) {
        if (isObj(v) && typeof v.guardrailArn === 'string' && (typeof v.version === 'string' || typeof v.version === 'number')) {
          (out.published[release] ??= {})[region] = { guardrailArn: v.guardrailArn, version: String(v.version) };
        }
      }
    }
  }
  return out;
}

/** Releases recorded per phase (`phases.<phase>.release`); {} when nothing is recorded. */
export async function loadRecordedPhases(env: Pick<Environment, 'name'>, home?: string): Promise<Partial<Record<Phase, { release: string; appliedAt?: string }>>> {
  return (await loadRecordedRollout(env, home)).phases;
}
