import { expect } from 'chai';
import { ArgumentError, ShapeError } from '../../errors.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { flatten, reshape, squeeze, unsqueeze } from './reshape.js';

// Shapes checked against PyTorch 1.13 (torch.flatten / unsqueeze / squeeze / reshape).
describe('reshape, flatten, unsqueeze, squeeze', () => {
  const x4 = () => zeros([2, 3, 4, 5], { dtype: 'float64' });

  it('reshape infers one -1 dim and keeps the values in order', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(reshape(x, [-1]).toArray()).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(reshape(x, [3, -1]).toArray()).to.deep.equal([[1, 2], [3, 4], [5, 6]]);
    expect(reshape(zeros([0, 3], { dtype: 'float64' }), [-1, 3]).shape).to.deep.equal([0, 3]);
  });

  it('reshape refuses a -1 that any size would fit (PyTorch does too)', () => {
    expect(() => reshape(zeros([0, 3], { dtype: 'float64' }), [0, -1])).to.throw(ShapeError, 'reshape: cannot infer the -1 of [0,-1] for x [0,3]: the other dims hold 0 elements, so any size would fit');
    expect(() => reshape(tensor([1, 2, 3, 4]), [3, -1])).to.throw(ShapeError, 'reshape: cannot reshape x [4] (4 elements) to [3,-1]');
  });

  it('flatten merges startDim..endDim, negative dims counting from the end', () => {
    const x = x4();
    expect(flatten(x).shape).to.deep.equal([120]);
    expect(flatten(x, 1).shape).to.deep.equal([2, 60]);
    expect(flatten(x, 1, 2).shape).to.deep.equal([2, 12, 5]);
    expect(flatten(x, -3, -2).shape).to.deep.equal([2, 12, 5]);
    expect(flatten(x, 2, 2).shape).to.deep.equal([2, 3, 4, 5]);
    expect(flatten(x, 0, 0).shape).to.deep.equal([2, 3, 4, 5]);
    expect(flatten(tensor([[1, 2], [3, 4]]), 0, 1).toArray()).to.deep.equal([1, 2, 3, 4]);
  });

  it('flatten of a 0-d tensor is a 1-element vector', () => {
    const y = flatten(tensor(7));
    expect(y.shape).to.deep.equal([1]);
    expect(y.toArray()).to.deep.equal([7]);
  });

  it('flatten rejects dims out of range, in the wrong order or not integers', () => {
    const x = x4();
    const msg = (s: number, e: number) => `flatten: need 0 <= startDim <= endDim < rank, got startDim ${s}, endDim ${e} for x [2,3,4,5]`;
    for (const [s, e] of [[2, 1], [0, 4], [-5, 0], [0, -5], [4, 4]] as const) {
      expect(() => flatten(x, s, e), `${s}, ${e}`).to.throw(ShapeError, msg(s, e));
    }
    expect(() => flatten(x, 0.5)).to.throw(ArgumentError, 'flatten: startDim must be an integer, got 0.5');
    expect(() => flatten(x, 0, 1.5)).to.throw(ArgumentError, 'flatten: endDim must be an integer, got 1.5');
  });

  it('unsqueeze inserts a size-1 dim at 0..rank, negative dims counting from rank', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const shapes = [0, 1, 2, -1, -2, -3].map((d) => unsqueeze(x, d).shape);
    expect(shapes).to.deep.equal([[1, 2, 3], [2, 1, 3], [2, 3, 1], [2, 3, 1], [2, 1, 3], [1, 2, 3]]);
    expect(unsqueeze(x, 1).toArray()).to.deep.equal([[[1, 2, 3]], [[4, 5, 6]]]);
    for (const d of [3, -4, 0.5]) {
      expect(() => unsqueeze(x, d), `${d}`).to.throw(ShapeError, `unsqueeze: dim ${d} is out of range for x [2,3]`);
    }
  });

  it('squeeze removes all size-1 dims, or only dim when it has size 1', () => {
    const x = tensor([[[1], [2], [3]]]);
    expect(squeeze(x).shape).to.deep.equal([3]);
    expect(squeeze(x).toArray()).to.deep.equal([1, 2, 3]);
    expect(squeeze(x, 0).shape).to.deep.equal([3, 1]);
    expect(squeeze(x, -1).shape).to.deep.equal([1, 3]);
    expect(squeeze(x, 2).shape).to.deep.equal([1, 3]);
    expect(squeeze(x, -3).shape).to.deep.equal([3, 1]);
    expect(squeeze(x, 1)).to.equal(x);
    expect(squeeze(tensor([1, 2])).shape).to.deep.equal([2]);
    for (const d of [3, -4, 0.5]) {
      expect(() => squeeze(x, d), `${d}`).to.throw(ShapeError, `squeeze: dim ${d} is out of range for x [1,3,1]`);
    }
  });
});
