/**
 * The S3 state: `<prefix>/<env>/state.json`, updated read-modify-write with a conditional put:
 * GetObject (its ETag) → change → PutObject If-Match: <etag> (If-None-Match: * when there is none
 * yet). A writer that lost the race (412) re-reads and re-applies its change, so both changes
 * survive and nothing is overwritten; after MAX_ROUNDS lost races it gives up with exit 3.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolingError } from '../../../core/errors.js';
import { emptyState, parseState, type RolloutState } from '../store.js';
import { get, put, urlOf, type S3Place } from './s3-objects.js';

const KEY = 'state.json';
export const MAX_ROUNDS = 8;

export async function loadS3State(p: S3Place, env: string): Promise<RolloutState> {
  return (await read(p, env)).state;
}

async function read(p: S3Place, env: string): Promise<{ state: RolloutState; etag?: string }> {
  const got = await get(p, KEY);
  return got ? { state: parseState(got.body, urlOf(p, KEY)), etag: got.etag } : { state: emptyState(env) };
}

export interface UpdateStats {
  /** Lost races of the last update (tests, benchmarks). */
  conflicts: number;
}

export async function updateS3State(
  p: S3Place,
  env: string,
  change: (s: RolloutState) => void,
  stats?: UpdateStats,
): Promise<RolloutState> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { state, etag } = await read(p, env);
    change(state);
    state.updatedAt = new Date().toISOString();
    const r = await put(p, KEY, `${JSON.stringify(state, null, 2)}\n`, etag ? { ifMatch: etag } : { ifNoneMatch: '*' });
    if (r !== 'conflict') return state;
    if (stats) stats.conflicts++;
    // Another writer got there first: back off a little (jittered) and re-apply on its result.
    await sleep(10 + Math.floor(Math.random() * 40 * (round + 1)));
  }
  throw new ToolingError(
    `state store: ${urlOf(p, KEY)} kept changing under this update (${MAX_ROUNDS} conditional writes lost); nothing was overwritten — re-run the command`,
  );
}
