// Backward writing a gradient over the one it came from. A VJP such as relu's (dy·[x > 0]) or
// batch norm's (dx from dy, x and per-channel sums) reads dy once, element by element, and makes
// a result of the same shape. When nothing else can read dy afterwards, that result can go into
// dy's own storage instead of a fresh array: memory just read is in cache, and a fresh large
// array costs page faults and cold writes (batch norm's backward on 128×32×28×28: 4.5-5.4 ms into
// a fresh array, 3.6 ms over dy, arrays not in cache).
// The engine (engine.ts) offers dy to the node's VJP only when
//  - the node's op is one registered here, whose VJP reads dy for the last time in the kernel
//    that takes the offer (its other reads, such as batch norm's sums, come first);
//  - the walk reuses storage (no createGraph: then gradients are part of a graph the caller
//    keeps) and anomaly detection is off (it reads dy after the VJP);
//  - dy's buffer was allocated by this walk and one gradient slot, dy's, holds it (recycler.ts):
//    no user tensor, forward value or other gradient can see it.
// Kernels take the offer through outputOver; on the CPU only (a WebGPU dispatch may not bind one
// buffer for reading and writing).
import type { OpDef } from './types.js';
import { uninitialized } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { type Shape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const reusingOps = new WeakSet<OpDef>();
let offered: Tensor | null = null;

/** Marks op's VJP as one whose last read of dy is a kernel that may write its result over dy. */
export function reusesGradientStorage(op: { def: OpDef }): void {
  reusingOps.add(op.def);
}

/** Whether the engine may offer dy to op's VJP. */
export const mayReuseGradient = (op: OpDef): boolean => reusingOps.has(op);

/** Whether the walk running the current VJP may write results over gradients (see passingOffer). */
let reusing = false;

/**
 * Runs fn (a node's VJP and its thunks) with dy offered for reuse (null: nothing offered); `reuse`:
 * whether the walk reuses storage for this node at all (no createGraph, no anomaly detection, its op
 * registered here), even where dy itself is not on offer.
 */
export function offeringGradient<T>(dy: Tensor | null, fn: () => T, reuse = dy !== null): T {
  const outer = offered;
  const outerReusing = reusing;
  offered = dy;
  reusing = reuse;
  try {
    return fn();
  } finally {
    offered = outer;
    reusing = outerReusing;
  }
}

/**
 * The output of a kernel that writes an elementwise result of `shape` and `dtype` from g: a tensor
 * over g's own storage when g is the gradient on offer (taken once: g must not be read after the
 * kernel), else fresh uninitialised storage.
 */
export function outputOver(g: Tensor, shape: Shape, dtype: DType): Tensor {
  if (offered === g && g.dtype === dtype && shapesEqual(g.shape, shape) && ArrayBuffer.isView(g.storage)) {
    offered = null;
    return new Tensor(g.storage, g.shape);
  }
  return uninitialized(shape, dtype, g.device);
}

/**
 * For a VJP that makes an intermediate gradient of its own and reads it for the last time in one
 * kernel (batchNormMaxPool2d's: max pooling's scatter, then batch norm's backward over it): runs fn
 * with `own` on offer where the walk reuses storage, so that kernel may write over it. Whether dy
 * itself is on offer does not matter: `own` was made by this VJP, and only the VJP holds it.
 */
export function passingOffer<T>(own: Tensor, fn: () => T): T {
  if (!reusing) return fn();
  const outer = offered;
  offered = own;
  try {
    return fn();
  } finally {
    offered = outer;
  }
}
