// Backward gives the storage of the gradients it consumed back to the pool. These tests pin the
// safety rules: only buffers the walk allocated itself, never one a gradient slot, a leaf's
// .grad, a user's seed or a returned gradient still holds; nothing with createGraph; and a
// VJP that keeps a tensor it returned fails loudly instead of reading reused memory.
import { expect } from 'chai';
import { AutogradError } from '../errors.js';
import { randn, tensor } from '../tensor/creation.js';
import { clearPool, poolStats, setPoolLimit } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/elementwise/arithmetic.js';
import { exp, neg } from '../ops/elementwise/arithmetic.js';
import { relu } from '../ops/activation/piecewise.js';
import { sum } from '../ops/reduce/sum.js';
import { reshape } from '../ops/shape/reshape.js';
import { Generator } from '../tensor/random.js';
import { defineOp } from './registry.js';
import { grad } from './grad.js';

const big = 1 << 14; // at least the pool's minimum length
const leaf = (seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor => randn([big], { dtype, generator: new Generator(seed) }).requiresGrad_();

/** A chain where every gradient has the same large shape: ideal for reuse. */
function chainLoss(x: Tensor, w: Tensor): Tensor {
  const h = relu(mul(exp(mul(x, w)), w));
  const r = reshape(add(h, mul(h, x)), [128, big / 128]);
  return sum(mul(r, r));
}

function gradsOf(f: () => Tensor, leaves: Tensor[]): number[][] {
  for (const l of leaves) l.grad = null;
  f().backward();
  return leaves.map((l) => Array.from(l.grad!.data));
}

describe('backward recycles consumed gradients', () => {
  afterEach(() => setPoolLimit(512 * 1024 * 1024));

  it('reuses storage across steps and gives exactly the gradients of a run without reuse', () => {
    const x = leaf(1);
    const w = leaf(2);
    setPoolLimit(0);
    const reference = gradsOf(() => chainLoss(x, w), [x, w]);
    setPoolLimit(512 * 1024 * 1024);
    clearPool();
    const before = poolStats().reused;
    for (let step = 0; step < 3; step++) {
      expect(gradsOf(() => chainLoss(x, w), [x, w])).to.deep.equal(reference);
    }
    expect(poolStats().reused - before).to.be.greaterThan(10);
  });

  it('keeps a gradient that a VJP returned for two inputs (add) while either slot holds it', () => {
    const x = leaf(3);
    const y = leaf(4);
    const expected = Array.from(x.data, (v, i) => Math.exp(v + y.data[i]!) + 1);
    // d/dx Σ exp(x + y) + x: add's VJP hands the same dy to x (a leaf) and to y's chain.
    for (let step = 0; step < 3; step++) {
      x.grad = null;
      sum(add(exp(add(x, y)), x)).backward();
      const g = x.grad as Tensor | null;
      Array.from(g!.data).forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, 1e-9));
      // Later allocations must not overwrite the leaf's gradient.
      sum(mul(exp(neg(x)), y));
      Array.from(g!.data).forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, 1e-9));
    }
  });

  it('never recycles the seed, returned gradients, or anything when createGraph is set', () => {
    const x = leaf(5);
    const seed = randn([big], { dtype: 'float64', generator: new Generator(6) });
    const seedCopy = Array.from(seed.data);
    const y = mul(exp(x), x);
    y.backward(seed);
    sum(mul(exp(x), x)).backward(); // more allocation and reuse
    expect(Array.from(seed.data)).to.deep.equal(seedCopy);

    const [gx] = grad((a: Tensor) => sum(mul(exp(a), a)), { argnums: [0] })(x) as Tensor[];
    const gxCopy = Array.from(gx!.data);
    for (let i = 0; i < 3; i++) sum(mul(exp(x), x)).backward();
    expect(Array.from(gx!.data)).to.deep.equal(gxCopy);

    x.grad = null;
    sum(mul(exp(x), x)).backward(undefined, { createGraph: true });
    const first = x.grad as Tensor | null;
    const firstCopy = Array.from(first!.data);
    x.grad = null;
    sum(first!).backward(); // second order through the recorded gradient graph
    expect(Array.from(first!.data)).to.deep.equal(firstCopy);
  });

  it('works for float32 and for views of dy (reshape VJPs)', () => {
    const x = leaf(7, 'float32');
    const w = leaf(8, 'float32');
    setPoolLimit(0);
    const reference = gradsOf(() => chainLoss(x, w), [x, w]);
    setPoolLimit(512 * 1024 * 1024);
    for (let step = 0; step < 3; step++) expect(gradsOf(() => chainLoss(x, w), [x, w])).to.deep.equal(reference);
  });

  it('a VJP that keeps a gradient it returned fails loudly on its next use, not with reused memory', () => {
    let cached: Tensor | null = null;
    const scaleOp = defineOp({
      name: 'test_cachedScale',
      inputs: ['x'],
      forward: ({ x }) => mul(x, tensor(2, { dtype: x.dtype })),
      // Wrong on purpose: caches the tensor it returns.
      vjp: ({ dy }) => ({ x: () => (cached ??= mul(dy, tensor(2, { dtype: dy.dtype }))) }),
      cases: ({ fc }) => fc.constant({ inputs: { x: tensor([1]) }, attrs: {} }),
    });
    const x = leaf(9);
    const h = exp(x);
    sum(exp(scaleOp({ x: h }, {}))).backward();
    expect(() => sum(exp(scaleOp({ x: h }, {}))).backward()).to.throw(AutogradError, /storage was reused/);
  });
});
