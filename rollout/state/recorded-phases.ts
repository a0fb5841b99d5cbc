/**
 * What `rollout preview --diff` compares against: the releases recorded per phase and the
 * published guardrail versions, read from `.rollout/<env>/state.json` (written by rollout/state/store.ts).
 * Missing file ⇒ nothing recorded ("empty organization" before). Read-only and lenient: only the
 * stable shapes `phases.<phase>.release`, `phases.pilot.versions[region]` (the pilot account's own
 * guardrail, as `status` shows it) and `published[release][region]` are used.
 */
import { readFile } from 'node:fs/promises';
import { PHASES, type EnforcementDefaults, type Environment, type Phase } from '../../model/types.js';
import { ToolingError } from '../../core/errors.js';
import { envPaths } from './paths.js';

export interface PublishedIdentifier {
  guardrailArn: string;
  version: string;
}

export interface RecordedPhase {
  release: string;
  appliedAt?: string;
  /** The enforcement settings of the unit the phase holds (absent in state written before units). */
  enforcement?: EnforcementDefaults;
  versions?: Record<string, PublishedIdentifier>;
}

export interface RecordedRollout {
  phases: Partial<Record<Phase, RecordedPhase>>;
  published: Record<string, Record<string, PublishedIdentifier>>;
}

async function readStateFile(env: Pick<Environment, 'name'>, home?: string): Promise<unknown> {
  const file = envPaths(env.name, home).state;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ToolingError(`cannot read rollout state ${file}: ${(err as Error).message}`, err);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ToolingError(`rollout state ${file} is not valid JSON (${(err as Error).message})`, err);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** region → { guardrailArn, version } entries that have both (anything else is skipped). */
function identifiers(regions: Record<string, unknown>): Record<string, PublishedIdentifier> {
  const out: Record<string, PublishedIdentifier> = {};
  for (const [region, v] of Object.entries(regions)) {
    if (isObj(v) && typeof v.guardrailArn === 'string' && (typeof v.version === 'string' || typeof v.version === 'number')) {
      out[region] = { guardrailArn: v.guardrailArn, version: String(v.version) };
    }
  }
  return out;
}

export async function loadRecordedRollout(env: Pick<Environment, 'name'>, home?: string): Promise<RecordedRollout> {
  const raw = await readStateFile(env, home);
  const out: RecordedRollout = { phases: {}, published: {} };
  if (!isObj(raw)) return out;
  if (isObj(raw.phases)) {
    for (const p of PHASES) {
      const rec = raw.phases[p];
      if (isObj(rec) && typeof rec.release === 'string' && rec.release) {
        // Only the pilot's versions differ from published[release] (they live in the pilot account).
        const versions = p === 'pilot' && isObj(rec.versions) ? identifiers(rec.versions) : {};
        out.phases[p] = {
          release: rec.release,
          ...(typeof rec.appliedAt === 'string' ? { appliedAt: rec.appliedAt } : {}),
          ...(isObj(rec.unit) && isObj(rec.unit.enforcement)
            ? { enforcement: rec.unit.enforcement as unknown as EnforcementDefaults }
            : {}),
          ...(Object.keys(versions).length ? { versions } : {}),
        };
      }
    }
  }
  if (isObj(raw.published)) {
    for (const [release, regions] of Object.entries(raw.published)) {
      if (!isObj(regions)) continue;
      const ids = identifiers(regions);
      if (Object.keys(ids).length) out.published[release] = ids;
    }
  }
  return out;
}

/** Releases recorded per phase (`phases.<phase>.release`); {} when nothing is recorded. */
export async function loadRecordedPhases(env: Pick<Environment, 'name'>, home?: string): Promise<Partial<Record<Phase, RecordedPhase>>> {
  return (await loadRecordedRollout(env, home)).phases;
}
