// maxPool2d / adaptiveMaxPool2d: y = max over each window; dx = scatterAdd(dy) to the argmax
// (overlapping windows accumulate; ties go to the first maximum; padding acts as -inf).
import type { KernelArray } from '../../tensor/device.js';
import { defineOp } from '../../autograd/registry.js';
import { checkBoolean, checkOptions, optionKeys } from '../../options.js';
import { uninitialized } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Pair } from '../window.js';
import { poolCases } from './cases.js';
import { backendOf } from '../../backend/index.js';
import { type PoolWindows, isPairWindows, slidingWindows } from '../../backend/window.js';
import { planeScatterAdd } from './plane-index.js';
import { type SlidingPoolAttrs, adaptiveGeometry, planesOf, pooledShape, slidingGeometry } from './windows.js';

interface MaxPoolAttrs {
  windows: PoolWindows;
}

/** The argmax of every output maxPool produced, for returnIndices (the tape keeps its own copy). */
const argmaxOf = new WeakMap<Tensor, KernelArray>();

const maxPoolOp = defineOp({
  name: 'maxPool2d',
  inputs: ['x'],
  forward: ({ x }, { windows }: MaxPoolAttrs, ctx: { save(v: KernelArray): void }) => {
    const { planes } = planesOf('maxPool2d', x);
    const y = uninitialized(pooledShape(x, windows), x.dtype, x.device);
    const argmax = backendOf(x).storage.allocate('int32', y.size, false);
    backendOf(x).pool.maxPool(x.storage, planes, windows, y.storage, argmax);
    ctx.save(argmax);
    argmaxOf.set(y, argmax);
    return y;
  },
  vjp: ({ dy, x, saved }, { windows }) => ({
    x: () => planeScatterAdd(dy, { index: saved, inShape: [...x.shape], outShape: [...dy.shape], pairs: isPairWindows(windows) }),
  }),
  cases: (tools) => poolCases(tools, { dilation: true }).map(({ x, windows }) => ({ inputs: { x }, attrs: { windows } })),
});

/** Max pooling of x over windows already parsed (pool/windows.ts). */
export const maxPoolOver = (x: Tensor, windows: PoolWindows): Tensor => maxPoolOp({ x }, { windows });

function apply(x: Tensor, windows: PoolWindows, returnIndices: boolean): Tensor | [Tensor, Tensor] {
  const y = maxPoolOp({ x }, { windows });
  if (!returnIndices) return y;
  return [y, new Tensor(argmaxOf.get(y)!, y.shape).clone()];
}

/** Options of `maxPool2d` (F.max_pool2d's, PyTorch's defaults). */
export interface MaxPool2dOptions extends SlidingPoolAttrs {
  /** Also return the argmax as int32 flat indices into each input plane (PyTorch's return_indices). */
  returnIndices?: boolean;
}
const MAX_POOL2D_OPTIONS = optionKeys<MaxPool2dOptions>()(['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices']);

export interface AdaptiveMaxPool2dOptions {
  /** As for maxPool2d. */
  returnIndices?: boolean;
}
const ADAPTIVE_MAX_POOL2D_OPTIONS = optionKeys<AdaptiveMaxPool2dOptions>()(['returnIndices']);

/** The returnIndices flag of checked options. */
function returnIndicesOf(op: string, options: { returnIndices?: boolean }, accepted: readonly string[]): boolean {
  checkOptions(op, options, accepted);
  checkBoolean(op, 'returnIndices', options.returnIndices);
  return options.returnIndices ?? false;
}

/** Max pooling over [N, C, H, W] or [C, H, W]; stride defaults to the kernel size. */
export function maxPool2d(x: Tensor, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor;
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor | [Tensor, Tensor] {
  const returnIndices = returnIndicesOf('maxPool2d', options, MAX_POOL2D_OPTIONS);
  const { inH, inW } = planesOf('maxPool2d', x);
  return apply(x, slidingWindows(slidingGeometry('maxPool2d', inH, inW, options)), returnIndices);
}

/** Max over PyTorch's adaptive windows [floor(i·in/out), ceil((i+1)·in/out)). */
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair, options?: AdaptiveMaxPool2dOptions): Tensor;
export function adaptiveMaxPool2d(x: Tensor, outputSize: Pair, options: AdaptiveMaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const returnIndices = returnIndicesOf('adaptiveMaxPool2d', options, ADAPTIVE_MAX_POOL2D_OPTIONS);
  const { inH, inW } = planesOf('adaptiveMaxPool2d', x);
  return apply(x, adaptiveGeometry('adaptiveMaxPool2d', inH, inW, outputSize), returnIndices);
}
