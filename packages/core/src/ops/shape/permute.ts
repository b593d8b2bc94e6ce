import { defineOp } from '../../autograd/registry.js';
import { ArgumentError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { backendOf } from '../../backend/index.js';

// y[i_perm[0], ..., i_perm[n-1]] = x[i_0, ..., i_{n-1}];  dx = permute(dy, perm⁻¹)
const permuteOp = defineOp({
  name: 'permute',
  inputs: ['x'],
  forward: ({ x }, { dims }: { dims: number[] }) => {
    const out = zeroFilled(dims.map((d) => x.shape[d]!), x.dtype, x.device);
    backendOf(x).copy.permute(x.storage, x.shape, dims, out.storage);
    return out;
  },
  vjp: ({ dy }, { dims }) => ({ x: () => permute(dy, inversePermutation(dims)) }),
  cases: ({ fc, arb }) =>
    arb.shape({ rank: [1, 4] }).chain((s) =>
      fc.record({
        inputs: fc.record({ x: arb.tensorOfShape(s) }),
        attrs: fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }).map((dims) => ({ dims })),
      }),
    ),
});

function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** x with its dims reordered: result dim i is x's dim dims[i] (negative dims count from the end). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new ArgumentError(`permute: dims must list each of x's ${x.ndim} dims once, got [${dims.join(',')}] for x ${formatShape(x.shape)}`);
  }
  const perm = dims.map((d) => normalizeDim('permute', d, x.ndim, 'dims entry'));
  if (new Set(perm).size !== perm.length) {
    throw new ArgumentError(`permute: dims must be a permutation of 0..${x.ndim - 1}, got [${dims.join(',')}] (a dim is repeated)`);
  }
  if (perm.every((p, i) => p === i)) return x;
  return permuteOp({ x }, { dims: perm });
}

/** x with dims dim0 and dim1 swapped. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim('transpose', dim0, x.ndim, 'dim0');
  const b = normalizeDim('transpose', dim1, x.ndim, 'dim1');
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}
