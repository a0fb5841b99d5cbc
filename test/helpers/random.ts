/** The deterministic PRNG of generated fixtures and benchmarks (core/random.ts). */
export { seededRandom } from '../../core/random.js';
