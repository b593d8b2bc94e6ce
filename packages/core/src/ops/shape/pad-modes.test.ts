// pad's calling forms and the reflect / replicate / circular maps on hand-checked examples (the
// PyTorch comparisons are in pad-slice.torch.test.ts; gradients of any order in the registry test
// of dimGather / dimScatterAdd).
import { expect } from 'chai';
import { arange, pad, reshape, slice, tensor } from '../../index.js';

describe('pad modes and strided slice', () => {
  const row = () => reshape(arange(5), [1, 1, 5]); // [[[0, 1, 2, 3, 4]]]

  it('pad(x, pads, value), pad(x, pads, mode, value) and pad(x, pads, { mode, value }) agree', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const expected = [[7, 1, 2, 7, 7], [7, 3, 4, 7, 7]];
    expect(pad(x, [1, 2], 7).toArray()).to.deep.equal(expected);
    expect(pad(x, [1, 2], 'constant', 7).toArray()).to.deep.equal(expected);
    expect(pad(x, [1, 2], { value: 7 }).toArray()).to.deep.equal(expected);
    expect(pad(row(), [1, 2], { mode: 'reflect' }).toArray()).to.deep.equal(pad(row(), [1, 2], 'reflect').toArray());
    expect(pad(row(), [1, 2], 'reflect', 0).toArray()).to.deep.equal([[[1, 0, 1, 2, 3, 4, 3, 2]]]);
  });

  it('reflect mirrors without repeating the edge, replicate repeats it, circular wraps', () => {
    expect(pad(row(), [2, 3], 'reflect').toArray()).to.deep.equal([[[2, 1, 0, 1, 2, 3, 4, 3, 2, 1]]]);
    expect(pad(row(), [2, 3], 'replicate').toArray()).to.deep.equal([[[0, 0, 0, 1, 2, 3, 4, 4, 4, 4]]]);
    expect(pad(row(), [2, 3], 'circular').toArray()).to.deep.equal([[[3, 4, 0, 1, 2, 3, 4, 0, 1, 2]]]);
  });

  it('negative pads: reflect and replicate pad from the whole dim then crop, circular crops then wraps (PyTorch)', () => {
    expect(pad(row(), [-3, 4], 'reflect').toArray()).to.deep.equal([[[3, 4, 3, 2, 1, 0]]]);
    expect(pad(row(), [-1, 2], 'replicate').toArray()).to.deep.equal([[[1, 2, 3, 4, 4, 4]]]);
    expect(pad(row(), [-1, 2], 'circular').toArray()).to.deep.equal([[[1, 2, 3, 4, 1, 2]]]);
    expect(pad(row(), [-2, -3], 'circular').shape).to.deep.equal([1, 1, 0]);
  });

  it('2-D reflect: corners are the reflection of the reflection', () => {
    const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
    expect(pad(x, [1, 1, 1, 0], 'reflect').toArray()).to.deep.equal([[[5, 4, 5, 6, 5], [2, 1, 2, 3, 2], [5, 4, 5, 6, 5]]]);
  });

  it('slice with a step: x[start:end:step], clamped, empty when start passes end; step 1 is the plain slice', () => {
    const x = arange(10);
    expect(slice(x, 0, 1, undefined, 3).toArray()).to.deep.equal([1, 4, 7]);
    expect(slice(x, 0, -8, -1, 2).toArray()).to.deep.equal([2, 4, 6, 8]);
    expect(slice(x, 0, 7, 100, 5).toArray()).to.deep.equal([7]);
    expect(slice(x, 0, 6, 2, 2).shape).to.deep.equal([0]);
    expect(slice(x, 0, 2, 6, 1).toArray()).to.deep.equal(slice(x, 0, 2, 6).toArray());
  });
});
