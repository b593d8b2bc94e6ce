// In-place ops (an op whose spec names `inPlace`, applied with applyInPlace; relu_ is the public
// one): the output is the input tensor itself, whose version goes up and which gets the op's node,
// while the ops recorded before it keep sending their gradients where they did. Each test fails
// if one part goes: the node (later ops would skip relu's mask), fixed edges (earlier consumers
// would route through relu's node), the version bump (a stale saved value would go unnoticed).
import { expect } from 'chai';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, mulScalar } from '../ops/elementwise/arithmetic.js';
import { add_, relu, relu_ } from '../index.js';
import { ArgumentError, AutogradError, ShapeError } from '../errors.js';
import { reshape } from '../ops/shape/reshape.js';
import { sum } from '../ops/reduce/sum.js';
import { noGrad } from './mode.js';
import { inPlaceAsOutOfPlace } from './op-table.js';

const f64 = (data: number[], requiresGrad = true): Tensor => tensor(data, { dtype: 'float64', requiresGrad });
/** The elements, -0 read as 0 (where an expected value is written out). */
const values = (t: Tensor): number[] => Array.from(t.data, (v) => v + 0);

describe('in-place ops (relu_, add_)', () => {
  it('writes relu over x itself: the same tensor and storage, relu values, version up', () => {
    const x = f64([-1, 0.5, 2, -3], false);
    const storage = x.data;
    const version = x.version.value;
    expect(relu_(x)).to.equal(x);
    expect(x.data).to.equal(storage);
    expect(values(x)).to.deep.equal([0, 0.5, 2, 0]);
    expect(x.version.value).to.equal(version + 1);
  });

  it('gives the gradients relu gives, and later ops differentiate through it', () => {
    const run = (inPlace: boolean): number[][] => {
      const a = f64([-1, 0.5, 2, -3]);
      const w = f64([2, -1, 0.5, 1]);
      const h = mul(a, w);
      const r = inPlace ? relu_(h) : relu(h);
      // Two uses after the op: both must go through relu's mask.
      sum(add(mulScalar(r, 3), mul(r, r))).backward();
      return [values(a.grad!), values(w.grad!)];
    };
    expect(run(true)).to.deep.equal(run(false));
    // h = a·w = [-2, -0.5, 1, -3]: only the third passes, where dL/dr = 3 + 2·1.
    expect(run(true)).to.deep.equal([[0, 0, 5 * 0.5, 0], [0, 0, 5 * 2, 0]]);
  });

  it('an op recorded before it keeps its edge to the node that made its input (edges are fixed when recorded)', () => {
    const a = f64([-1, 0.5, 2, -3]);
    const h = mulScalar(a, 2);
    const before = h.node;
    const s = add(h, f64([1, 1, 1, 1], false));
    relu_(h);
    expect(h.node).to.not.equal(before);
    expect(h.node!.edge(0)).to.equal(before);
    expect(s.node!.edge(0)).to.equal(before);
    // add's gradient needs only h's shape (saved): it goes to h's old node, relu's through h's new one.
    sum(add(s, h)).backward();
    expect(values(a.grad!)).to.deep.equal([2, 4, 4, 2]);
  });

  it('an op recorded before it that saved x for its gradient fails in backward, as in PyTorch', () => {
    const a = f64([-1, 0.5]);
    const h = mulScalar(a, 2);
    const p = mul(h, h); // saves h
    relu_(h);
    expect(() => sum(p).backward()).to.throw(AutogradError, /input 0 \('a'\) of op 'mul' was modified in place after it was used/);
    // Not recorded before: the op after it differentiates through relu's node.
    const b = f64([-1, 0.5]);
    const k = mulScalar(b, 2);
    relu_(k);
    sum(mul(k, k)).backward();
    expect(values(b.grad!)).to.deep.equal([0, 2 * 2 * 1]);
  });

  it('twice in a row: the first one\'s saved output is overwritten, so backward fails (PyTorch too)', () => {
    const h = mulScalar(f64([-1, 0.5]), -1);
    const r = relu_(relu_(h));
    expect(() => sum(r).backward()).to.throw(AutogradError, /the output of op 'relu' was modified in place after it was used \(version 1, now 2\)/);
  });

  it('refuses a leaf that requires grad while recording, and works on it under noGrad', () => {
    const x = f64([-1, 2]);
    expect(() => relu_(x)).to.throw(AutogradError, /relu_: 'x' is a leaf that requires grad/);
    expect(values(x)).to.deep.equal([-1, 2]);
    noGrad(() => relu_(x));
    expect(values(x)).to.deep.equal([0, 2]);
  });

  it('refuses a tensor whose storage a reshape shares while recording (the view would not see it in its graph)', () => {
    const a = f64([-1, 0.5, 2, -3]);
    const h = mulScalar(a, 1);
    const v = reshape(h, [2, 2]);
    expect(() => relu_(h)).to.throw(AutogradError, /relu_: 'x' shares its storage with another tensor/);
    expect(() => relu_(v)).to.throw(AutogradError, /shares its storage/);
    // Without a graph to keep right, it writes through to the view, as PyTorch does.
    noGrad(() => relu_(h));
    expect(values(v)).to.deep.equal([0, 0.5, 2, 0]);
  });

  it('inPlaceAsOutOfPlace: the same values in a tensor of its own, x untouched (for tracers)', () => {
    const a = f64([-1, 0.5]);
    const h = mulScalar(a, 2);
    const r = inPlaceAsOutOfPlace(() => relu_(h));
    expect(r).to.not.equal(h);
    expect(values(r)).to.deep.equal([0, 1]);
    expect(values(h)).to.deep.equal([-2, 1]);
    expect(h.version.value).to.equal(0);
    expect(relu_(h)).to.equal(h); // back in place afterwards
  });

  it('takes only a Tensor', () => {
    expect(() => relu_([1, -1] as unknown as Tensor)).to.throw(/relu_: argument 'x' must be a Tensor \(relu_ writes over it\), got an array/);
  });

  it('add_: a + b over a (b broadcast), the gradients add gives, and a residual block\'s relu_(add_(out, x))', () => {
    const a = tensor([[1, -2], [3, -4]], { dtype: 'float64' });
    expect(add_(a, tensor([10, 20], { dtype: 'float64' }))).to.equal(a);
    expect(values(a)).to.deep.equal([11, 18, 13, 16]);
    expect(values(add_(a, 1))).to.deep.equal([12, 19, 14, 17]);
    const run = (inPlace: boolean): number[][] => {
      const w = f64([1, -2, 0.5, 3]);
      const x = f64([-1, 0.25, 2, -0.5]);
      const out = mulScalar(w, 2);
      const y = inPlace ? relu_(add_(out, x)) : relu(add(out, x));
      sum(mul(y, y)).backward();
      return [values(w.grad!), values(x.grad!)];
    };
    expect(run(true)).to.deep.equal(run(false));
  });

  it('add_ refuses a sum that is not a\'s shape or dtype; b may be a itself', () => {
    const a = tensor([1, 2], { dtype: 'float32' });
    expect(() => add_(a, tensor([[1, 2], [3, 4]], { dtype: 'float32' }))).to.throw(ShapeError, /add_: a \+ b is \[2,2\] float32, but add_ writes it over a, which is \[2\] float32/);
    expect(() => add_(a, tensor([1, 2], { dtype: 'float64' }))).to.throw(ShapeError, /is \[2\] float64/);
    expect(values(a)).to.deep.equal([1, 2]);
    // b a view of a (the same elements): each is read before it is written.
    const m = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    expect(values(add_(m, reshape(m, [2, 2])))).to.deep.equal([2, 4, 6, 8]);
    expect(() => add_([1, 2] as unknown as Tensor, 1)).to.throw(ArgumentError, /add_: argument 'a' must be a Tensor/);
  });
});
