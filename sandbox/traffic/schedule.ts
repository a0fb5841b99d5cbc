/**
 * When the simulated calls happen: time is cut into one-second slots on the epoch; slot k of an
 * (account, region) holds floor((k+1)·rate) − floor(k·rate) calls (so fractional rates carry
 * over exactly), at timestamps drawn from a PRNG seeded by (profile seed, account, region, k),
 * each picking a prompt by weight. A call belongs to whichever tick's interval (lastTick, now]
 * contains its timestamp, so the calls are the same however the ticks fall.
 */
import { hash32, prng } from '../metrics/hash.js';
import type { TrafficPrompt } from './profile.js';

export interface ScheduledCall {
  t: number;
  prompt: TrafficPrompt;
}

export function callsIn(
  seed: number,
  account: string,
  region: string,
  rate: number,
  prompts: TrafficPrompt[],
  from: number,
  to: number,
): ScheduledCall[] {
  const out: ScheduledCall[] = [];
  if (rate <= 0 || to <= from) return out;
  const total = prompts.reduce((n, p) => n + p.weight, 0);
  const first = Math.floor(from / 1000);
  const last = Math.floor(to / 1000);
  for (let k = first; k <= last; k++) {
    const n = Math.floor((k + 1) * rate) - Math.floor(k * rate);
    if (n === 0) continue;
    const rnd = prng(hash32(`${seed}:${account}:${region}:${k}`));
    const slot: ScheduledCall[] = [];
    for (let i = 0; i < n; i++) {
      const t = k * 1000 + Math.floor(rnd() * 1000);
      let pick = rnd() * total;
      let prompt = prompts[prompts.length - 1];
      for (const p of prompts) {
        pick -= p.weight;
        if (pick < 0) {
          prompt = p;
          break;
        }
      }
      if (t > from && t <= to) slot.push({ t, prompt });
    }
    slot.sort((a, b) => a.t - b.t);
    out.push(...slot);
  }
  return out;
}
