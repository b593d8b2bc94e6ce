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

/** Runs fn (a node's VJP and its thunks) with dy offered for reuse (null: nothing offered). */
export function offeringGradient<T>(dy: Tensor | null, fn: () => T): T {
  const outer = offered;
  offered = dy;
  try {
    return fn();
  } finally {
    offered = outer;
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
 * For a VJP whose only read of dy makes an intermediate of dy's role that it alone holds (the
 * scatter of max pooling's gradient before batch norm's backward, in the fused batchNormMaxPool2d):
 * when dy is on offer, takes that offer and runs fn with `to` on offer instead, so fn's last kernel
 * may write over `to`. fn must read `to` for the last time in that kernel.
 */
export function passingOffer<T>(from: Tensor, to: Tensor, fn: () => T): T {
  if (offered !== from) return fn();
  offered = to;
  try {
    return fn();
  } finally {
    if (offered === to) offered = null;
  }
}
