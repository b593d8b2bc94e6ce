import { expect } from 'chai';
import { ArgumentError, ShapeError, tensor } from '@tensorgrad/core';
import { TensorDataset, randomSplit, subset } from './dataset.js';

describe('TensorDataset, subset, randomSplit', () => {
  const inputs = tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
  const data = new TensorDataset(inputs, Array.from({ length: 10 }, (_, i) => i % 3));

  it('returns row i and label i', () => {
    const s = data.get(4);
    expect(s.input.shape).to.deep.equal([2]);
    expect(Array.from(s.input.data)).to.deep.equal([4, 40]);
    expect(s.label).to.equal(1);
  });

  it('rejects mismatched labels, non-integer labels and bad indices', () => {
    expect(() => new TensorDataset(inputs, [1, 2])).to.throw(ShapeError, '10 inputs');
    expect(() => new TensorDataset(inputs, Array(10).fill(0.5))).to.throw(ArgumentError, 'integers');
    expect(() => data.get(10)).to.throw(ArgumentError, 'TensorDataset.get: index must be an integer in [0, 10), got 10');
  });

  it('subset maps its indices', () => {
    const s = subset(data, [7, 2]);
    expect(s.length).to.equal(2);
    expect(s.get(0).input.data[0]).to.equal(7);
    expect(() => subset(data, [11])).to.throw(ArgumentError, 'Subset');
  });

  it('randomSplit partitions the indices, and the same seed gives the same split', () => {
    const parts = randomSplit(data, [0.7, 0.3], 5);
    expect(parts.map((p) => p.length)).to.deep.equal([7, 3]);
    const all = parts.flatMap((p) => Array.from(p.indices)).sort((a, b) => a - b);
    expect(all).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(randomSplit(data, [7, 3], 5)[0]!.indices)).to.deep.equal(Array.from(parts[0]!.indices));
    expect(Array.from(randomSplit(data, [7, 3], 6)[0]!.indices)).to.not.deep.equal(Array.from(parts[0]!.indices));
    expect(() => randomSplit(data, [5, 4])).to.throw(ArgumentError, 'sum to the dataset length 10');
  });
});
