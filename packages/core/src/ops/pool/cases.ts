// Random valid pooling problems for the generic gradient test: sliding windows over strides,
// paddings (≤ kernel/2), dilations, ceil mode and overlapping windows, and adaptive windows.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { type PoolWindows, slidingWindows } from '../../backend/window.js';
import { type SlidingPoolAttrs, adaptiveGeometry, slidingGeometry } from './windows.js';

export interface PoolCase {
  x: Tensor;
  windows: PoolWindows;
  /** The sliding attributes, or null for adaptive windows. */
  sliding: SlidingPoolAttrs | null;
}

/** Values 0.1·(a random permutation) + small noise: distinct, so argmax survives finite-difference steps. */
export function distinctTensor(shape: readonly number[], seed: number): Tensor {
  const rng = new Generator(seed);
  const perm = rng.permutation(shape.reduce((p, q) => p * q, 1));
  const data = Float64Array.from(perm, (v) => 0.1 * v - 1 + 0.01 * rng.random());
  return new Tensor(data, shape);
}

function tryGeometry(inH: number, inW: number, attrs: SlidingPoolAttrs): PoolWindows | null {
  try {
    return slidingWindows(slidingGeometry('case', inH, inW, attrs));
  } catch {
    return null;
  }
}

function everyWindowNonEmpty({ rows, cols }: PoolWindows): boolean {
  const nonEmpty = ({ offsets }: PoolWindows['rows']): boolean => offsets.every((v, i) => i === 0 || v > offsets[i - 1]!);
  return nonEmpty(rows) && nonEmpty(cols);
}

export function poolCases({ fc }: CaseTools, options: { dilation: boolean }): Arbitrary<PoolCase> {
  const lead = fc.oneof(fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })), fc.tuple(fc.integer({ min: 1, max: 2 })));
  const size = fc.integer({ min: 1, max: 6 });
  const sliding = fc
    .record({
      inH: size,
      inW: size,
      kH: fc.integer({ min: 1, max: 3 }),
      kW: fc.integer({ min: 1, max: 3 }),
      sH: fc.integer({ min: 1, max: 3 }),
      sW: fc.integer({ min: 1, max: 3 }),
      pH: fc.integer({ min: 0, max: 1 }),
      pW: fc.integer({ min: 0, max: 1 }),
      dH: fc.integer({ min: 1, max: options.dilation ? 2 : 1 }),
      dW: fc.integer({ min: 1, max: options.dilation ? 2 : 1 }),
      ceilMode: fc.boolean(),
    })
    .map((r) => {
      const attrs: SlidingPoolAttrs = {
        kernelSize: [r.kH, r.kW],
        stride: [r.sH, r.sW],
        padding: [Math.min(r.pH, r.kH >> 1), Math.min(r.pW, r.kW >> 1)],
        dilation: [r.dH, r.dW],
        ceilMode: r.ceilMode,
      };
      return { inH: r.inH, inW: r.inW, windows: tryGeometry(r.inH, r.inW, attrs), sliding: attrs as SlidingPoolAttrs | null };
    })
    // A window lying entirely in the padding (possible with dilation) outputs -inf, as in PyTorch: not differentiable.
    .filter((c) => c.windows !== null && everyWindowNonEmpty(c.windows));
  const adaptive = fc
    .record({ inH: size, inW: size, outH: fc.integer({ min: 1, max: 4 }), outW: fc.integer({ min: 1, max: 4 }) })
    .map((r) => ({ inH: r.inH, inW: r.inW, windows: adaptiveGeometry('case', r.inH, r.inW, [r.outH, r.outW]), sliding: null }));
  return fc
    .tuple(lead, fc.oneof({ arbitrary: sliding, weight: 3 }, { arbitrary: adaptive, weight: 1 }), fc.integer({ min: 0, max: 0x7fffffff }))
    .map(([l, c, seed]) => ({ x: distinctTensor([...l, c.inH, c.inW], seed), windows: c.windows!, sliding: c.sliding }));
}
