// Shared forwards of the elementwise ops: each op file states only its scalar operation (a kernel
// op code, or a scalar function for the unary ones) and its derivative.
import { backendOf } from '../../backend/index.js';
import type { BinaryCode, UnaryOp } from '../../backend/elementwise.js';
import { uninitialized } from '../../tensor/creation.js';
import { type DType, assertFloat, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export function binaryForward(name: string, op: BinaryCode, resultDtype: (a: DType, b: DType) => DType = promoteTypes) {
  return ({ a, b }: { a: Tensor; b: Tensor }): Tensor => {
    const out = uninitialized(broadcastShapes(name, a.shape, b.shape, ['a', 'b']), resultDtype(a.dtype, b.dtype));
    backendOf(a).elementwise.binary(op, a.data, a.shape, b.data, b.shape, out.data, out.shape);
    return out;
  };
}

export function unaryForward(name: string, op: UnaryOp, floatOnly = true) {
  return ({ x }: { x: Tensor }): Tensor => {
    if (floatOnly) assertFloat(name, 'x', x.dtype);
    const out = uninitialized(x.shape, x.dtype);
    backendOf(x).elementwise.unary(op, x.data, out.data);
    return out;
  };
}

/** op applied to each element of x, as a plain tensor off the tape (masks and slopes in VJPs). */
export function pointwise(x: Tensor, op: UnaryOp): Tensor {
  const out = uninitialized(x.shape, x.dtype);
  backendOf(x).elementwise.unary(op, x.data, out.data);
  return out;
}
