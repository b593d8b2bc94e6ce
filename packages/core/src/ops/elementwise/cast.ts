import { DTypeError } from '../../errors.js';
import { type DType, int32ValueError, isDType } from '../../tensor/dtype.js';
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
    // where PyTorch stores an undefined value. The check reads back one index (and the value
    // there, for the message).
    const backend = backendOf(x);
    if (dtype === 'int32') {
      const bad = backend.copy.firstNotInt32(x.storage);
      if (bad >= 0) throw int32ValueError('cast', 'x', x.size, bad, x.data[bad]!);
    }
    const out = zeroFilled(x.shape, dtype, x.device);
    backend.copy.convert(x.storage, out.storage);
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
