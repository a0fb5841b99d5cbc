/** Cheap deterministic numbers from strings (FNV-1a, then a 32-bit finaliser): simulation, not crypto. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from a key. */
export const unit = (key: string): number => hash32(key) / 0x1_0000_0000;

/** A small seeded PRNG (mulberry32) for sequences. */
export { seededRandom as prng } from '../../core/random.js';
