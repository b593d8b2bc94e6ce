// Gather and scatter-add by a per-plane index (max pooling's argmax): each is the other's
// transpose, so each one's VJP is the other and max pooling has gradients of every order.
import type { KernelArray } from '../../tensor/device.js';
import { defineOp } from '../../autograd/registry.js';
import { zeroFilled, uninitialized } from '../../tensor/creation.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CaseTools } from '../../autograd/registry.js';
import { Generator } from '../../tensor/random.js';
import { backendOf } from '../../backend/index.js';

export interface PlaneIndexAttrs {
  /** Flat index into an input plane for every output element (-1: none). */
  index: KernelArray;
  /** Shape of the indexed tensor (gather's input, scatter's output): [...planes, H, W]. */
  inShape: number[];
  /** Shape of the index (gather's output, scatter's input): [...planes, outH, outW]. */
  outShape: number[];
  /**
   * The index is the argmax of a 2×2, stride-2, unpadded max pool (each output's index lies in
   * its own window): scatter-add then writes every input element once (PoolKernels.scatterPairs).
   */
  pairs?: boolean;
}

const planeSize = (shape: readonly number[]): number => (shape[shape.length - 2] ?? 1) * (shape[shape.length - 1] ?? 1);

// y[p, o] = x[p, index[p, o]];  dx = scatterAdd(dy) by the same index
const gatherOp = defineOp({
  name: 'planeGather',
  inputs: ['x'],
  forward: ({ x }, { index, outShape }: PlaneIndexAttrs) => {
    const out = uninitialized(outShape, x.dtype, x.device);
    backendOf(x).pool.gatherPlanes(x.storage, planeSize(x.shape), index, planeSize(outShape), out.storage);
    return out;
  },
  vjp: ({ dy }, attrs) => ({ x: () => planeScatterAdd(dy, attrs) }),
  cases: indexCases('x'),
});

// y[p, index[p, o]] += g[p, o];  dg = gather(dy) by the same index
const scatterAddOp = defineOp({
  name: 'planeScatterAdd',
  inputs: ['g'],
  forward: ({ g }, { index, inShape, outShape, pairs }: PlaneIndexAttrs) => {
    // The 2×2 kernels write every element of y; the general scatter adds into zeros.
    const y = pairs === true ? uninitialized(inShape, g.dtype, g.device) : zeroFilled(inShape, g.dtype, g.device);
    if (pairs === true) {
      const [inH, inW] = inShape.slice(-2) as [number, number];
      const [outH, outW] = outShape.slice(-2) as [number, number];
      const planes = g.size / Math.max(outH * outW, 1);
      backendOf(g).pool.scatterPairs(g.storage, planes, inH, inW, outH, outW, index, y.storage);
    } else backendOf(g).pool.scatterAddPlanes(g.storage, planeSize(outShape), index, planeSize(inShape), y.storage);
    return y;
  },
  vjp: ({ dy }, attrs) => ({ g: () => planeGather(dy, attrs) }),
  cases: indexCases('g'),
});

export const planeGather = (x: Tensor, attrs: PlaneIndexAttrs): Tensor => gatherOp({ x }, attrs);
export const planeScatterAdd = (g: Tensor, attrs: PlaneIndexAttrs): Tensor => scatterAddOp({ g }, attrs);

/** Random planes and indices, repeats included (they make scatter accumulate). */
function indexCases<K extends 'x' | 'g'>(input: K) {
  return ({ fc, arb }: CaseTools) =>
    fc
      .record({
        lead: arb.shape({ rank: [1, 2], maxDim: 2 }),
        inH: fc.integer({ min: 1, max: 4 }),
        inW: fc.integer({ min: 1, max: 4 }),
        outH: fc.integer({ min: 1, max: 3 }),
        outW: fc.integer({ min: 1, max: 3 }),
        seed: fc.integer({ min: 0, max: 0x7fffffff }),
      })
      .chain(({ lead, inH, inW, outH, outW, seed }) => {
        const inShape = [...lead, inH, inW];
        const outShape = [...lead, outH, outW];
        const rng = new Generator(seed);
        const index = new Int32Array(sizeOf(outShape));
        for (let i = 0; i < index.length; i++) index[i] = rng.randint(-1, inH * inW);
        const attrs: PlaneIndexAttrs = { index, inShape, outShape };
        return arb
          .tensorOfShape(input === 'x' ? inShape : outShape)
          .map((t) => ({ inputs: { [input]: t } as Record<K, Tensor>, attrs }));
      });
}
