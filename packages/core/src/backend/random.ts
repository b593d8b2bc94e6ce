// The random kernels of a backend (see backend.ts). The seeded Generator (tensor/random.ts) stays
// the one source of randomness, so a seed gives the same bits on every backend and platform: a
// kernel takes the generator, draws from it exactly as many values as it documents (in element
// order, leaving it where the CPU backend leaves it), and turns the draws into its output. A backend
// on another device may draw the bits on the host and upload them, or run the same stream itself.
// (rand and randn fill tensors in the tensor room, tensor/creation.ts: creation happens on the CPU.)
import type { KernelArray } from '../tensor/device.js';
import type { Generator } from '../tensor/random.js';

export interface RandomKernels<A = KernelArray> {
  /**
   * Dropout's mask: draws mask.length uniform 32-bit values (generator.fillUint32's stream) and
   * writes mask[i] = 0 where the i-th draw is below p·2³² (dropped with probability p, resolved
   * to 2⁻³²), else scale.
   */
  dropoutMask(generator: Generator, p: number, scale: number, mask: A): void;
}
