// Shared forward and test-case builders for elementwise ops: each op file states only its
// scalar function (an op code of the kernel's callback-free loops, or a function) and its derivative.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import { uninitialized } from '../../tensor/creation.js';
import { type DType, assertFloat, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ValueOptions } from '../../testing/arbitraries.js';
import { type BinaryOp, type UnaryOp, mapBinary, mapUnary } from '../../backend/cpu/elementwise.js';

export function binaryForward(name: string, f: BinaryOp, resultDtype: (a: DType, b: DType) => DType = promoteTypes) {
  return ({ a, b }: { a: Tensor; b: Tensor }): Tensor => {
    const out = uninitialized(broadcastShapes(name, a.shape, b.shape, ['a', 'b']), resultDtype(a.dtype, b.dtype));
    mapBinary(a.data, a.shape, b.data, b.shape, out.data, out.shape, f);
    return out;
  };
}

export function unaryForward(name: string, f: UnaryOp, floatOnly = true) {
  return ({ x }: { x: Tensor }): Tensor => {
    if (floatOnly) assertFloat(name, 'x', x.dtype);
    const out = uninitialized(x.shape, x.dtype);
    mapUnary(x.data, out.data, f);
    return out;
  };
}

export function binaryCases(aValues: ValueOptions = {}, bValues: ValueOptions = {}) {
  return ({ fc, arb }: CaseTools): Arbitrary<{ inputs: { a: Tensor; b: Tensor }; attrs: Record<string, never> }> =>
    arb.broadcastableShapes().chain(([sa, sb]) =>
      fc.record({
        inputs: fc.record({ a: arb.tensorOfShape(sa, aValues), b: arb.tensorOfShape(sb, bValues) }),
        attrs: fc.constant({} as Record<string, never>),
      }),
    );
}

export function unaryCases(values: ValueOptions = {}) {
  return ({ arb }: CaseTools) => arb.tensorCase({ names: ['x'], ...values });
}
