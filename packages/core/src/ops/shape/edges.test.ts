import { expect } from 'chai';
import { ArgumentError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { concat, stack } from './concat.js';
import { permute, transpose } from './permute.js';
import { narrow, pad, slice } from './slice.js';

// Edges of the shape ops: no-op calls return x itself, boundary amounts, and the messages of
// their checks (PyTorch semantics for slice, narrow and pad's negative amounts).
describe('shape op edges', () => {
  const x = () => tensor([[1, 2, 3], [4, 5, 6]]);

  it('no-op slice and pad return x itself', () => {
    const t = x();
    expect(slice(t, 1)).to.equal(t);
    expect(pad(t, [0, 0, 0, 0])).to.equal(t);
    expect(pad(t, [0, 0])).to.equal(t);
  });

  it('slice from 0 and narrow from -n', () => {
    expect(slice(x(), 1, 0, 2).toArray()).to.deep.equal([[1, 2], [4, 5]]);
    expect(narrow(x(), 1, -3, 2).toArray()).to.deep.equal([[1, 2], [4, 5]]);
    expect(narrow(x(), 1, 1, 0).shape).to.deep.equal([2, 0]);
  });

  it('pad may crop a dim to nothing but no further', () => {
    expect(pad(tensor([1, 2, 3]), [-1, -2]).shape).to.deep.equal([0]);
    expect(() => pad(tensor([1, 2, 3]), [-2, -2])).to.throw(ArgumentError, 'pad: negative padding [-2, -2] removes more than the 3 entries of dim 0 (x [3])');
  });

  it('messages name the op and the argument', () => {
    expect(() => narrow(x(), 2, 0, 1)).to.throw(ArgumentError, /^narrow: dim must be an integer/);
    expect(() => narrow(x(), 1, -4, 1)).to.throw(ArgumentError, 'narrow: start must be an integer in [-3, 3] for dim 1 of size 3 (x [2,3]), got -4');
    expect(() => narrow(x(), 1, 1, -1)).to.throw(ArgumentError, 'narrow: length must be an integer in [0, 2] for start 1 in dim 1 of size 3 (x [2,3]), got -1');
    expect(() => narrow(x(), 1, 1, 0.5)).to.throw(ArgumentError, 'narrow: length must be an integer in [0, 2] for start 1 in dim 1 of size 3 (x [2,3]), got 0.5');
    expect(() => slice(x(), 1, 0.5)).to.throw(ArgumentError, 'slice: start must be an integer, got 0.5');
    expect(() => slice(x(), 1, 0, 1.5)).to.throw(ArgumentError, 'slice: end must be an integer, got 1.5');
    expect(() => pad(x(), [1, 2, 3])).to.throw(ArgumentError, 'pad: pads must hold an even number of entries, at most 2·rank = 4 for x [2,3], got 3 ([1,2,3])');
    expect(() => pad(x(), [1, 1], 'a' as never)).to.throw(ArgumentError, "pad: mode must be one of 'constant', 'reflect', 'replicate', 'circular', got 'a'");
    expect(() => pad(x(), [1, 1], 'constant', 'a' as never)).to.throw(ArgumentError, 'pad: value must be a number, got string');
    expect(() => permute(x(), [0, 2])).to.throw(ArgumentError, /^permute: dims entry must be an integer/);
    expect(() => permute(x(), [0, 0])).to.throw(ArgumentError, 'permute: dims must be a permutation of 0..1, got [0,0] (a dim is repeated)');
    expect(() => transpose(x(), 2, 0)).to.throw(ArgumentError, /^transpose: dim0 must be an integer/);
    expect(() => concat([tensor(1), tensor(2)])).to.throw(ShapeError, 'concat: cannot concatenate 0-d tensors (xs[0] has shape []); use stack');
    expect(() => stack([])).to.throw(ArgumentError, 'stack: xs must hold at least one tensor, got an empty list');
    expect(() => stack([tensor([[1], [2]]), tensor([1, 2])])).to.throw(ShapeError, 'stack: xs[1] has shape [2] but xs[0] has [2,1]; stack needs equal shapes');
  });
});
