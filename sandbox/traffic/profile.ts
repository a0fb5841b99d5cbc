/**
 * A traffic profile: synthetic application traffic the emulator evaluates as Converse calls of
 * the named accounts and regions, so guardrail metrics exist without a real application
 * (sandbox/traffic/simulator.ts). Plain data, persisted in the state file.
 */
import { z } from 'zod';
import { underlyingModelId } from '../runtime/enforcement.js';
import { findModel } from '../models.js';

export interface TrafficPrompt {
  id: string;
  text: string;
  /** Model id the application calls (enforcement's model lists apply to it). */
  model: string;
  /** Where the text goes: a user message, or the system prompt (with a neutral user turn). */
  surface: 'message' | 'system';
  /** Relative frequency among the profile's prompts. */
  weight: number;
  /** What the author expects (informational: the guardrail evaluator decides). */
  kind: 'benign' | 'harmful';
}

export interface TrafficProfile {
  name: string;
  /** Calls per second per account and region. */
  ratePerSecond: number;
  /** Accounts that run applications. */
  accounts: string[];
  regions: string[];
  prompts: TrafficPrompt[];
  seed?: number;
}

/** What the state file keeps: the profile and the end of the last generated interval. */
export interface TrafficState {
  profile: TrafficProfile;
  /** Epoch ms (sandbox clock): calls up to here have been generated. */
  lastTick: number;
}

const promptSchema = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  model: z.string().min(1),
  surface: z.enum(['message', 'system']),
  weight: z.number().positive(),
  kind: z.enum(['benign', 'harmful']),
});

export const trafficProfileSchema = z.strictObject({
  name: z.string().min(1),
  ratePerSecond: z.number().min(0).max(1000),
  accounts: z.array(z.string().regex(/^\d{12}$/)).min(1),
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/)).min(1),
  prompts: z.array(promptSchema).min(1),
  seed: z.number().int().optional(),
});

/**
 * Validates a profile (throws Error with the reason): shape and unique prompt ids. A prompt whose
 * model is not a Converse text model is kept: its calls fail as on AWS and publish nothing.
 */
export function validateTrafficProfile(profile: TrafficProfile): TrafficProfile {
  const r = trafficProfileSchema.safeParse(profile);
  if (!r.success) throw new Error(`invalid traffic profile: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const ids = new Set<string>();
  for (const p of profile.prompts) {
    if (ids.has(p.id)) throw new Error(`invalid traffic profile: prompt id ${p.id} is repeated`);
    ids.add(p.id);
  }
  return profile;
}

/** Can a Converse call use this model (the sandbox catalogue's text models)? */
export function isConverseModel(model: string): boolean {
  const m = findModel(underlyingModelId(model));
  return !!m?.converse && m.outputModalities.includes('TEXT');
}
