import { expect } from 'chai';
import { tensor } from '../tensor/creation.js';
import { conv2d } from '../ops/conv/conv2d.js';
import { reshape } from '../ops/shape/reshape.js';

describe('tape: a node exposes its op attributes (what a graph exporter reads)', () => {
  it('gives the attrs the op was applied with, through tensor.node', () => {
    const x = tensor(Array.from({ length: 16 }, (_, i) => i), { requiresGrad: true });
    const y = reshape(x, [1, 1, 4, 4]);
    expect(y.node!.op.name).to.equal('reshape');
    expect(y.node!.attrs).to.deep.equal({ shape: [1, 1, 4, 4] });
    const w = tensor(Array.from({ length: 4 }, () => 1), { requiresGrad: true });
    const z = conv2d(y, reshape(w, [1, 1, 2, 2]), null, { stride: 2, padding: 1, dilation: 1, groups: 1 });
    expect(z.node!.op.name).to.equal('conv2d');
    expect(z.node!.attrs).to.deep.include({ stride: [2, 2], dilation: [1, 1], groups: 1 });
    expect(z.node!.inputs![0]).to.equal(y);
  });
});
