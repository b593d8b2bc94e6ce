import { DTypeError } from '../../errors.js';
import { type DType, checkInt32Values, isDType } from '../../tensor/dtype.js';
import { zeroFilled } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';

// cast(x) = x in another dtype;  dx = cast(dy, x.dtype)
const castOp = defineOp({
  name: 'cast',
  inputs: ['x'],
  forward: ({ x }, { dtype }: { dtype: DType }) => {
    if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${String(dtype)}`);
    if (x.dtype === dtype) return x;
    // To int32: truncation toward zero (PyTorch); NaN, ±Infinity and overflow are rejected
    // where PyTorch stores an undefined value.
    if (dtype === 'int32') checkInt32Values('cast', 'x', x.data);
    const out = zeroFilled(x.shape, dtype);
    backendOf(x).copy.convert(x.data, out.data);
    return out;
  },
  vjp: ({ dy, x }) => ({ x: () => cast(dy, x.dtype) }),
  cases: ({ fc, arb }) =>
    fc.record({ inputs: fc.record({ x: arb.tensor({ dtype: 'float64' }) }), attrs: fc.constant({ dtype: 'float64' as DType }) }),
});

/** x converted to dtype (the same tensor if it already has it). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (dtype === 'int32' && x.requiresGrad) {
    throw new DTypeError('cast: cannot cast a tensor that requires grad to int32 (the result has no gradient); detach() it first');
  }
  return castOp({ x }, { dtype });
}
