// The WebGPU random kernels. The mask is drawn on the host with the seeded Generator, by the CPU
// kernel's formula, and uploaded: a seed then gives the same mask, bit for bit, on the CPU
// and on every GPU (a model trains the same whichever device it runs on, and a run can be checked
// against the CPU), and leaves the generator exactly where the CPU kernel leaves it, so later
// draws agree too. Running the generator's stream on the GPU would save the upload (4 bytes per
// element, as many as the mask itself) but duplicate the generator in WGSL.
import type { Generator } from '../../tensor/random.js';
import type { RandomKernels } from '../random.js';
import type { KernelArray } from '../storage.js';
import { gpuArrayOf } from './gpu-array.js';
import { webgpuRuntime } from './runtime.js';

/** Host scratch, reused across calls (queue.writeBuffer copies the data when it is called). */
let bits = new Uint32Array(0);
let values = new Float32Array(0);

export const webgpuRandom: RandomKernels = {
  dropoutMask(generator: Generator, p: number, scale: number, mask: KernelArray) {
    const n = mask.length;
    if (bits.length < n) {
      bits = new Uint32Array(n);
      values = new Float32Array(n);
    }
    const drawn = bits.subarray(0, n);
    generator.fillUint32(drawn);
    const host = values.subarray(0, n);
    // backend/cpu/random.ts's dropoutMaskInto (this room may not import the CPU backend's): the
    // same threshold and products in float32, so the same bits (random.test.ts compares them).
    const threshold = p * 4294967296;
    for (let i = 0; i < n; i++) host[i] = scale * +(drawn[i]! >= threshold);
    webgpuRuntime().write(gpuArrayOf(mask, 'dropoutMask', 'mask'), host);
  },
};
