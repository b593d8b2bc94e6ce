import { expect } from 'chai';
import { ArgumentError } from '../../errors.js';
import { arange, mul, narrow, pad, reshape, slice, sum, tensor } from '../../index.js';
import { checkAdjoint } from '../../testing/check-adjoint.js';
import { padBox, sliceBox } from './slice.js';

describe('narrow / slice', () => {
  const x = () => reshape(arange(12, undefined, 1, { dtype: 'float64' }), [3, 4]);

  it('narrow takes length entries from start (negative start from the end)', () => {
    expect(narrow(x(), 0, 1, 2).toArray()).to.deep.equal([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(narrow(x(), 1, -3, 2).toArray()).to.deep.equal([[1, 2], [5, 6], [9, 10]]);
    expect(narrow(x(), 1, 4, 0).shape).to.deep.equal([3, 0]);
  });

  it('slice follows Python semantics: negative indices, clamping, default end', () => {
    expect(slice(x(), 1, 2).toArray()).to.deep.equal([[2, 3], [6, 7], [10, 11]]);
    expect(slice(x(), 0, -1).toArray()).to.deep.equal([[8, 9, 10, 11]]);
    expect(slice(x(), 1, 1, -1).toArray()).to.deep.equal([[1, 2], [5, 6], [9, 10]]);
    expect(slice(x(), 0, -10, 10).shape).to.deep.equal([3, 4]);
    expect(slice(x(), 0, 2, 1).shape).to.deep.equal([0, 4]);
  });

  it('gradient is dy zero-padded back to the input shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    sum(mul(narrow(t, 1, 1, 2), tensor([[10, 20], [30, 40]], { dtype: 'float64' }))).backward();
    expect(t.grad!.toArray()).to.deep.equal([[0, 10, 20], [0, 30, 40]]);
  });

  it('rejects out-of-range arguments, naming them', () => {
    expect(() => narrow(x(), 1, 5, 1)).to.throw(ArgumentError, /narrow: start must be an integer in \[-4, 4\].*got 5/);
    expect(() => narrow(x(), 1, 2, 3)).to.throw(ArgumentError, /narrow: length must be an integer in \[0, 2\].*got 3/);
    expect(() => slice(x(), 2, 0)).to.throw(ArgumentError, /slice: dim must be an integer in \[-2, 1\].*got 2/);
  });
});

describe('pad', () => {
  it('pads the last dim first ([left, right, top, bottom]) with a constant', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(pad(x, [1, 0]).toArray()).to.deep.equal([[0, 1, 2], [0, 3, 4]]);
    expect(pad(x, [0, 1, 1, 0], -1).toArray()).to.deep.equal([[-1, -1, -1], [1, 2, -1], [3, 4, -1]]);
    expect(pad(tensor([[[1]]]), [1, 1, 1, 1]).shape).to.deep.equal([1, 3, 3]);
  });

  it('crops with negative amounts (as F.pad)', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(pad(x, [-1, 1]).toArray()).to.deep.equal([[2, 3, 0], [5, 6, 0]]);
    expect(pad(x, [0, 0, -1, 0]).toArray()).to.deep.equal([[4, 5, 6]]);
  });

  it('gradient is the slice of dy where x sits (the value gets none)', () => {
    const t = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    sum(mul(pad(t, [1, 2], 9), tensor([1, 2, 3, 4, 5], { dtype: 'float64' }))).backward();
    expect(t.grad!.toArray()).to.deep.equal([2, 3]);
  });

  it('is the adjoint of slice: <slice(x), y> = <x, pad(y)>', () => {
    const shape = [3, 4, 2];
    const start = [1, 0, 1];
    const size = [2, 3, 1];
    const after = shape.map((d, i) => d - start[i]! - size[i]!);
    checkAdjoint(
      (v) => sliceBox(v, start, size),
      (w) => padBox(w, start, after, 0),
      shape,
    );
    // And the reverse pairing, with pad as the map.
    checkAdjoint(
      (v) => padBox(v, start, after, 0),
      (w) => sliceBox(w, start, size),
      size,
    );
  });

  it('rejects malformed pads', () => {
    const x = tensor([[1, 2]]);
    expect(() => pad(x, [1])).to.throw(ArgumentError, /pad: pads must hold an even number of entries, at most 2·rank = 4 for x \[1,2\], got 1/);
    expect(() => pad(x, [1, 1, 1, 1, 1, 1])).to.throw(ArgumentError, /got 6/);
    expect(() => pad(x, [-2, -1])).to.throw(ArgumentError, /pad: negative padding \[-2, -1\] removes more than the 2 entries of dim 1/);
  });
});
