import { expect } from 'chai';
import { arange, tensor } from './creation.js';
import { Tensor } from './tensor.js';

describe('Tensor.toString', () => {
  it('prints every value of a small tensor, nested, exactly enough to rebuild it', () => {
    expect(String(tensor([[1, -2.5], [0.1, 3]], { dtype: 'float64' }))).to.equal('Tensor(shape=[2,2], dtype=float64, [[1, -2.5], [0.1, 3]])');
    expect(String(tensor(0.1 + 0.2, { dtype: 'float64' }))).to.equal('Tensor(shape=[], dtype=float64, 0.30000000000000004)');
    // float32: the shortest decimal that reads back as the same float32, not its float64 expansion.
    expect(String(tensor([0.3, -0, NaN, -Infinity]))).to.equal('Tensor(shape=[4], dtype=float32, [0.3, -0, NaN, -Infinity])');
    expect(String(tensor([16777217, 1e-7]))).to.equal('Tensor(shape=[2], dtype=float32, [16777216, 1e-7])');
    expect(String(tensor([7, -1], { dtype: 'int32' }))).to.equal('Tensor(shape=[2], dtype=int32, [7, -1])');
    expect(String(tensor([[], []], { dtype: 'float64' }))).to.equal('Tensor(shape=[2,0], dtype=float64, [[], []])');
    expect(String(tensor([1], { requiresGrad: true }))).to.equal('Tensor(shape=[1], dtype=float32, requiresGrad, [1])');
  });

  it('prints a large tensor by its first and last values', () => {
    const t = new Tensor(Float64Array.from({ length: 100 }, (_, i) => i / 2), [10, 10]);
    expect(String(t)).to.equal('Tensor(shape=[10,10], dtype=float64, [0, 0.5, 1, ..., 48.5, 49, 49.5] (100 values, row-major))');
    expect(String(arange(0, 64, 1, { dtype: 'int32' }))).to.match(/^Tensor\(shape=\[64\], dtype=int32, \[0, 1, .*, 62, 63\]\)$/);
  });

  it('does not throw for a tensor whose storage was released', () => {
    const t = tensor([1, 2]);
    t._releaseStorage();
    expect(String(t)).to.equal('Tensor(shape=[2], dtype=float32, storage released)');
  });
});
