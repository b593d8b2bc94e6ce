import { expect } from 'chai';
import { ArgumentError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { reshape } from '../shape/reshape.js';
import { sum } from '../reduce/sum.js';
import { mul } from '../elementwise/arithmetic.js';
import { adaptiveMaxPool2d, maxPool2d } from './max-pool.js';
import { avgPool2d } from './avg-pool.js';

// Max pooling edges: windows holding no input element, returned indices the caller may
// modify, and PyTorch's padding rule.
describe('maxPool2d edges', () => {
  const plane = () => tensor(Array.from({ length: 16 }, (_, i) => i), { dtype: 'float64', requiresGrad: true });

  it('a window with every tap in the padding gives -Infinity (PyTorch), index -1 and no gradient', () => {
    // kernel 2, dilation 5, padding 1 on 4 rows: the taps of the only row window are rows -1 and 4.
    const x = plane();
    const [y, indices] = maxPool2d(reshape(x, [1, 1, 4, 4]), { kernelSize: 2, stride: 1, padding: 1, dilation: [5, 1], returnIndices: true });
    expect(y.toArray()).to.deep.equal([[[[-Infinity, -Infinity, -Infinity, -Infinity, -Infinity]]]]);
    expect(indices.toArray()).to.deep.equal([[[[-1, -1, -1, -1, -1]]]]);
    sum(y).backward();
    expect(x.grad!.toArray()).to.deep.equal(new Array(16).fill(0));
  });

  it('returned indices are a copy: changing them leaves the gradient alone', () => {
    for (const kernelSize of [2, 3]) {
      const x = plane();
      const [y, indices] = maxPool2d(reshape(x, [1, 1, 4, 4]), { kernelSize, stride: kernelSize === 2 ? 2 : 1, returnIndices: true });
      const expected = indices.toArray();
      indices.data.fill(0);
      sum(mul(y, tensor(1, { dtype: 'float64' }))).backward();
      const grad = x.grad!.toArray() as number[];
      const hits = (expected as number[][][][]).flat(3);
      expect(grad.map((_, i) => hits.filter((h) => h === i).length), `kernel ${kernelSize}`).to.deep.equal(grad);
      expect(grad[0]).to.equal(0);
    }
  });

  it('float64 inputs large enough for the float32 WebAssembly kernels keep their precision (2×2 windows)', () => {
    const values = Array.from({ length: 2 * 64 * 64 }, (_, i) => 0.1 + i * 1e-9);
    const x = tensor(values, { dtype: 'float64', requiresGrad: true });
    const y = maxPool2d(reshape(x, [2, 64, 64]), { kernelSize: 2 });
    // Values grow along rows and columns: each window's maximum is its bottom-right element.
    const expected = Array.from({ length: 2 * 32 * 32 }, (_, o) => {
      const [p, r, c] = [Math.floor(o / 1024), Math.floor(o / 32) % 32, o % 32];
      return values[p * 4096 + (2 * r + 1) * 64 + 2 * c + 1]!;
    });
    expect((y.toArray() as number[][][]).flat(2)).to.deep.equal(expected);
    sum(mul(y, tensor(0.1, { dtype: 'float64' }))).backward();
    expect(x.grad!.data.filter((v) => v !== 0).length).to.equal(2048);
    expect(x.grad!.data.every((v) => v === 0 || v === 0.1)).to.equal(true);
  });

  it('refuses padding over half the kernel in either dim', () => {
    const x = reshape(plane(), [1, 1, 4, 4]);
    const msg = (p: string) => `maxPool2d: padding must be at most half the kernel size, got padding [${p}] for kernelSize [3,3] (PyTorch's rule pad <= kernel/2)`;
    expect(() => maxPool2d(x, { kernelSize: 3, padding: [2, 0] })).to.throw(ArgumentError, msg('2,0'));
    expect(() => maxPool2d(x, { kernelSize: 3, padding: [0, 2] })).to.throw(ArgumentError, msg('0,2'));
    expect(maxPool2d(x, { kernelSize: 3, padding: [1, 1], stride: 3 }).shape).to.deep.equal([1, 1, 2, 2]);
    expect(() => maxPool2d(x, { kernelSize: 3, padding: -1 })).to.throw(ArgumentError, /^maxPool2d: padding must be an integer >= 0/);
    expect(() => maxPool2d(x, { kernelSize: 2, returnIndices: 'yes' as never })).to.throw(ArgumentError, /^maxPool2d: returnIndices must be true or false/);
    expect(() => adaptiveMaxPool2d(x, [2, 2], { returnIndices: 1 as never })).to.throw(ArgumentError, /^adaptiveMaxPool2d: returnIndices must be true or false/);
    expect(() => adaptiveMaxPool2d(tensor([[1, 2]], { dtype: 'float64' }), [1, 1])).to.throw(/^adaptiveMaxPool2d: x must be 4-D/);
  });
});

describe('avgPool2d checks', () => {
  it('name avgPool2d and the option', () => {
    const x = tensor([[[1, 2], [3, 4]]], { dtype: 'float64' });
    expect(() => avgPool2d(x, { kernelSize: 2, countIncludePad: 'yes' as never })).to.throw(ArgumentError, /^avgPool2d: countIncludePad must be true or false/);
    expect(() => avgPool2d(x, { kernelSize: 2, padding: 2 })).to.throw(ArgumentError, /^avgPool2d: padding must be at most half the kernel size/);
  });
});
