// Shared forwards of the elementwise ops: each op file states only its scalar operation (a kernel
// op code, with its parameters) and its derivative.
import { backendOf } from '../../backend/index.js';
import type { BinaryCode, UnaryCode } from '../../backend/elementwise.js';
import { uninitialized } from '../../tensor/creation.js';
import { type DType, assertFloat, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export function binaryForward(name: string, op: BinaryCode, resultDtype: (a: DType, b: DType) => DType = promoteTypes) {
  return ({ a, b }: { a: Tensor; b: Tensor }): Tensor => {
    const out = uninitialized(broadcastShapes(name, a.shape, b.shape, ['a', 'b']), resultDtype(a.dtype, b.dtype), a.device);
    backendOf(a).elementwise.binary(op, a.storage, a.shape, b.storage, b.shape, out.storage, out.shape);
    return out;
  };
}

/**
 * An op's result written over `target` (an op applied in place, ctx.into), by `compute(out)`:
 * straight into target's storage on the CPU, where the kernels read each element before they
 * write it; elsewhere into new storage then copied over target, since a WebGPU dispatch may not
 * bind one buffer for reading and writing. Returns target.
 */
export function writeOver(target: Tensor, compute: (out: Tensor) => void): Tensor {
  if (ArrayBuffer.isView(target.storage)) {
    compute(target);
    return target;
  }
  const out = uninitialized(target.shape, target.dtype, target.device);
  compute(out);
  backendOf(target).storage.copy(out.storage, target.storage);
  return target;
}

export function unaryForward(name: string, op: UnaryCode, floatOnly = true) {
  return ({ x }: { x: Tensor }): Tensor => {
    if (floatOnly) assertFloat(name, 'x', x.dtype);
    return pointwise(x, op);
  };
}

/** The forward of a float unary op whose kernel takes parameters a, b (from the op's attributes). */
export function floatUnary(name: string, x: Tensor, op: UnaryCode, a: number, b?: number): Tensor {
  assertFloat(name, 'x', x.dtype);
  return pointwise(x, op, a, b);
}

/** op (with parameters a, b) applied to each element of x, as a plain tensor off the tape (the VJPs' masks and slopes). */
export function pointwise(x: Tensor, op: UnaryCode, a?: number, b?: number): Tensor {
  const out = uninitialized(x.shape, x.dtype, x.device);
  backendOf(x).elementwise.unary(op, x.storage, out.storage, a, b);
  return out;
}
