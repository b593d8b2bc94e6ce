// Random kernels on the CPU: the generator's 32-bit draws into a scratch array, then one loop.
import type { TypedArray } from '../../tensor/dtype.js';
import type { Generator } from '../../tensor/random.js';
import type { RandomKernels } from '../random.js';

/** Scratch for the random bits, reused across calls (fresh memory is slow to touch). */
let bits = new Uint32Array(0);

/** mask[i] = scale · [bits[i] ≥ threshold], branch-free. */
export function dropoutMaskInto(bits: Uint32Array, threshold: number, scale: number, mask: TypedArray): void {
  for (let i = 0; i < mask.length; i++) mask[i] = scale * +(bits[i]! >= threshold);
}

export const cpuRandom: RandomKernels<TypedArray> = {
  dropoutMask(generator: Generator, p, scale, mask) {
    if (bits.length < mask.length) bits = new Uint32Array(mask.length);
    const drawn = bits.subarray(0, mask.length);
    generator.fillUint32(drawn);
    dropoutMaskInto(drawn, p * 4294967296, scale, mask);
  },
};
