// avgPool2d / adaptiveAvgPool2d / globalAvgPool2d: y = A·x with A a (per-plane) averaging
// matrix; dx = Aᵀ·dy spreads dy uniformly over each window. A is linear, so the VJP of Aᵀ is A.
import { defineOp } from '../../autograd/registry.js';
import { ArgumentError } from '../../errors.js';
import { checkBoolean, checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Pair, Window2d } from '../window.js';
import { poolCases } from './cases.js';
import { backendOf } from '../../backend/index.js';
import { type PoolWindows, slidingWindows } from '../../backend/window.js';
import { type SlidingPoolAttrs, adaptiveGeometry, planesOf, pooledShape, slidingGeometry } from './windows.js';

export interface AvgPoolAttrs {
  windows: PoolWindows;
  /** Divisor of each output position (outH·outW). */
  divisor: Float64Array;
}

const avgPoolOp = defineOp({
  name: 'avgPool2d',
  inputs: ['x'],
  forward: ({ x }, attrs: AvgPoolAttrs) => {
    const { planes } = planesOf('avgPool2d', x);
    const y = zeroFilled(pooledShape(x, attrs.windows), x.dtype, x.device);
    backendOf(x).pool.boxPool(x.storage, planes, attrs.windows, attrs.divisor, y.storage);
    return y;
  },
  vjp: ({ dy }, attrs) => ({ x: () => avgPoolTranspose(dy, attrs) }),
  cases: (tools) => avgCases(tools).map(({ x, attrs }) => ({ inputs: { x }, attrs })),
});

const avgPoolTransposeOp = defineOp({
  name: 'avgPool2dBackward',
  inputs: ['g'],
  forward: ({ g }, attrs: AvgPoolAttrs) => {
    const { inH, inW, outH, outW } = attrs.windows;
    const dx = zeroFilled([...g.shape.slice(0, -2), inH, inW], g.dtype, g.device);
    backendOf(g).pool.boxPoolTranspose(g.storage, g.size / Math.max(outH * outW, 1), attrs.windows, attrs.divisor, dx.storage);
    return dx;
  },
  vjp: ({ dy }, attrs) => ({ g: () => avgPool(dy, attrs) }),
  cases: (tools) =>
    avgCases(tools).chain(({ x, attrs }) =>
      tools.arb.tensorOfShape(pooledShape(x, attrs.windows)).map((g) => ({ inputs: { g }, attrs })),
    ),
});

function avgPool(x: Tensor, attrs: AvgPoolAttrs): Tensor {
  return avgPoolOp({ x }, attrs);
}

function avgPoolTranspose(g: Tensor, attrs: AvgPoolAttrs): Tensor {
  return avgPoolTransposeOp({ g }, attrs);
}

function avgCases(tools: Parameters<typeof poolCases>[0]) {
  return tools.fc
    .tuple(poolCases(tools, { dilation: false }), tools.fc.boolean(), tools.fc.option(tools.fc.integer({ min: 1, max: 5 })))
    .map(([{ x, windows, sliding }, countIncludePad, divisorOverride]) => ({
      x,
      attrs: { windows, divisor: sliding === null ? windowCounts(windows) : slidingDivisor(windows, geometryOf(windows, sliding), countIncludePad, divisorOverride) },
    }));
}

function geometryOf(w: PoolWindows, s: SlidingPoolAttrs): Window2d {
  return slidingGeometry('case', w.inH, w.inW, s);
}

/** The number of input elements in each window. */
function windowCounts({ outH, outW, rows, cols }: PoolWindows): Float64Array {
  const d = new Float64Array(outH * outW);
  for (let oh = 0; oh < outH; oh++) {
    for (let ow = 0; ow < outW; ow++) {
      d[oh * outW + ow] = (rows.offsets[oh + 1]! - rows.offsets[oh]!) * (cols.offsets[ow + 1]! - cols.offsets[ow]!);
    }
  }
  return d;
}

/**
 * PyTorch's divisor: divisorOverride if given; else with countIncludePad the window clipped to
 * the padded input (a ceil-mode window hanging past the padding counts only up to it); else
 * the number of real input elements.
 */
function slidingDivisor(w: PoolWindows, g: Window2d, countIncludePad: boolean, divisorOverride: number | null): Float64Array {
  if (divisorOverride !== null) return new Float64Array(w.outH * w.outW).fill(divisorOverride);
  if (!countIncludePad) return windowCounts(w);
  const extent = (o: number, stride: number, pad: number, k: number, inLen: number): number => {
    const start = o * stride - pad;
    return Math.min(start + k, inLen + pad) - start;
  };
  const d = new Float64Array(w.outH * w.outW);
  for (let oh = 0; oh < w.outH; oh++) {
    for (let ow = 0; ow < w.outW; ow++) {
      d[oh * w.outW + ow] = extent(oh, g.strideH, g.padTop, g.kH, g.inH) * extent(ow, g.strideW, g.padLeft, g.kW, g.inW);
    }
  }
  return d;
}

/** Options of `avgPool2d` (F.avg_pool2d's, PyTorch's defaults). */
export interface AvgPool2dOptions extends Omit<SlidingPoolAttrs, 'dilation'> {
  /** Count padded positions in the divisor (default true, as in PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. */
  divisorOverride?: number | null;
}
const AVG_POOL2D_OPTIONS = optionKeys<AvgPool2dOptions>()(['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);

/** Average pooling over [N, C, H, W] or [C, H, W]; stride defaults to the kernel size. */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  checkOptions('avgPool2d', options, AVG_POOL2D_OPTIONS);
  checkBoolean('avgPool2d', 'countIncludePad', options.countIncludePad);
  const { inH, inW } = planesOf('avgPool2d', x);
  const override = options.divisorOverride ?? null;
  if (override !== null && !(Number.isInteger(override) && override > 0)) {
    throw new ArgumentError(`avgPool2d: divisorOverride must be a positive integer, got ${override}`);
  }
  const g = slidingGeometry('avgPool2d', inH, inW, { ...options, dilation: 1 });
  const windows = slidingWindows(g);
  return avgPool(x, { windows, divisor: slidingDivisor(windows, g, options.countIncludePad ?? true, override) });
}

/** Average over PyTorch's adaptive windows [floor(i·in/out), ceil((i+1)·in/out)). */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  const { inH, inW } = planesOf('adaptiveAvgPool2d', x);
  const windows = adaptiveGeometry('adaptiveAvgPool2d', inH, inW, outputSize);
  return avgPool(x, { windows, divisor: windowCounts(windows) });
}

/** Mean over each whole plane: [N, C, H, W] → [N, C, 1, 1]. */
export function globalAvgPool2d(x: Tensor): Tensor {
  return adaptiveAvgPool2d(x, 1);
}
