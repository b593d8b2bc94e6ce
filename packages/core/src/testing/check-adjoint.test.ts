import { expect } from 'chai';
import { ArgumentError } from '../errors.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from '../ops/elementwise/cast.js';
import { matmul } from '../ops/linalg/matmul.js';
import { transpose } from '../ops/shape/permute.js';
import { AdjointError, checkAdjoint } from './check-adjoint.js';

const A = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
const apply = (x: Tensor): Tensor => matmul(A, x);
const applyT = (y: Tensor): Tensor => matmul(transpose(A, 0, 1), y);

describe('checkAdjoint never passes vacuously', () => {
  it('passes Aᵀ for A and catches a wrong transpose', () => {
    const { lhs, rhs } = checkAdjoint(apply, applyT, [3, 2]);
    expect(lhs).to.be.closeTo(rhs, 1e-12);
    expect(lhs).to.not.equal(0);
    expect(() => checkAdjoint(apply, (y) => matmul(transpose(A, 0, 1), matmul(y, tensor([[1, 0], [0, 2]], { dtype: 'float64' }))), [3, 2]))
      .to.throw(AdjointError, /<A x, y> = .* but <x, A\^T y> = /);
  });

  it('throws when nothing would be compared', () => {
    expect(() => checkAdjoint(apply, applyT, [3, 0])).to.throw(ArgumentError, /xShape \[3,0\] has no elements/);
    const zeroMap = (x: Tensor): Tensor => zeros([2, x.shape[1]!], { dtype: 'float64' });
    const zeroMapT = (y: Tensor): Tensor => zeros([3, y.shape[1]!], { dtype: 'float64' });
    expect(() => checkAdjoint(zeroMap, zeroMapT, [3, 2])).to.throw(AdjointError, /exactly 0 in all 3 trial\(s\)/);
    expect(() => checkAdjoint(() => zeros([0], { dtype: 'float64' }), applyT, [3, 2])).to.throw(ArgumentError, /apply returned an empty tensor/);
    expect(() => checkAdjoint(apply, applyT, [3, 2], { trials: 0 })).to.throw(ArgumentError, /trials must be a finite integer >= 1/);
  });

  it('rejects float32 results and unknown options', () => {
    expect(() => checkAdjoint((x) => cast(apply(x), 'float32'), applyT, [3, 2])).to.throw(ArgumentError, /apply returned float32 for float64 input/);
    expect(() => checkAdjoint(apply, applyT, [3, 2], { tries: 2 } as object)).to.throw(ArgumentError, /unknown option 'tries'/);
  });
});
