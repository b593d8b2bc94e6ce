// Float32 test data for the wasm kernels' bit-for-bit comparisons with the TypeScript loops:
// normal values with special bit patterns (±0, ±∞, NaNs with payloads, subnormals) mixed in.
import { Generator } from '../../../tensor/random.js';

/**
 * n float32 values drawn from a normal of deviation `sigma`, each replaced with probability `rate`
 * by one of `specials` (raw bits). rate 0 draws no replacement at all (the same values as a plain
 * normal stream from this seed).
 */
export function specialFloats(n: number, seed: number, sigma: number, rate: number, specials: readonly number[]): Float32Array {
  const rng = new Generator(seed);
  const bits = new Uint32Array(n);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    if (rate > 0 && rng.uniform(0, 1) < rate) bits[i] = specials[rng.randint(0, specials.length)]!;
    else f[i] = rng.normal(0, sigma);
  }
  return f;
}

/** The raw bits of a float32 array, for deep equality that tells NaN payloads and ±0 apart. */
export const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
