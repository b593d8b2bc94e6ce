// Backward writes a VJP's result over dy only where nothing else can read dy (gradient-reuse.ts):
// a probe op registered for reuse records whether its kernel got dy's storage, and the cases
// where it must not (another slot, a leaf's .grad, the user's seed, createGraph, anomaly
// detection) would show up as a wrong gradient if it did. relu's and batch norm's backward,
// which take the offer, give the same bits with and without it.
import { expect } from 'chai';
import { randn, uninitialized } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { add, mul } from '../ops/elementwise/arithmetic.js';
import { relu } from '../ops/activation/piecewise.js';
import { batchNorm } from '../ops/norm/batch-norm.js';
import { batchNormMaxPool2d } from '../ops/norm/batch-norm-max-pool.js';
import { sum } from '../ops/reduce/sum.js';
import { defineOp } from './registry.js';
import { backward } from './engine.js';
import { detectAnomaly } from './anomaly.js';
import { offeringGradient, outputOver, passingOffer, reusesGradientStorage } from './gradient-reuse.js';

const N = 1 << 13;
const leaf = (seed: number, dtype: 'float32' | 'float64' = 'float64', shape: number[] = [N]): Tensor =>
  randn(shape, { dtype, generator: new Generator(seed) }).requiresGrad_();

/** Whether each probe gradient kernel since the last reset wrote over its g. */
let overwrote: boolean[] = [];

// 2·g, written where outputOver says.
const probeGradOp: (inputs: { g: Tensor }, attrs: Record<string, never>) => Tensor = defineOp({
  name: 'test_gradientReuseProbeGrad',
  inputs: ['g'],
  forward: ({ g }): Tensor => {
    const out = outputOver(g, g.shape, g.dtype);
    overwrote.push(out.storage === g.storage);
    const [src, dst] = [g.data, out.data];
    for (let i = 0; i < src.length; i++) dst[i] = 2 * src[i]!;
    return out;
  },
  vjp: ({ dy }) => ({ g: () => probeGradOp({ g: dy }, {}) }),
  cases: ({ fc, arb }) => arb.shape().chain((s) => fc.record({ inputs: fc.record({ g: arb.tensorOfShape(s) }), attrs: fc.constant({}) })),
});

// y = 2·x, whose VJP reads dy once, in probeGrad.
const probeOp = defineOp({
  name: 'test_gradientReuseProbe',
  inputs: ['x'],
  forward: ({ x }) => {
    const y = uninitialized(x.shape, x.dtype, x.device);
    const [src, dst] = [x.data, y.data];
    for (let i = 0; i < src.length; i++) dst[i] = 2 * src[i]!;
    return y;
  },
  vjp: ({ dy }) => ({ x: () => probeGradOp({ g: dy }, {}) }),
  cases: ({ fc, arb }) => arb.shape().chain((s) => fc.record({ inputs: fc.record({ x: arb.tensorOfShape(s) }), attrs: fc.constant({}) })),
});
reusesGradientStorage(probeOp);
const probe = (x: Tensor): Tensor => probeOp({ x }, {});

const expectValues = (t: Tensor, want: (i: number) => number): void => {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== want(i)) expect.fail(`[${i}]: ${d[i]} vs ${want(i)}`);
};

/**
 * The gradients of x [8, 4, 16, 17], w and b [4] through `loss` (scale: a leaf of scaleShape) are
 * the same bits with gradient reuse (no createGraph) as without (createGraph), in float32 and float64.
 */
function expectReuseKeepsBits(scaleShape: number[], loss: (x: Tensor, w: Tensor, b: Tensor, scale: Tensor) => Tensor): void {
  for (const dtype of ['float32', 'float64'] as const) {
    const x = leaf(8, dtype, [8, 4, 16, 17]);
    const w = leaf(9, dtype, [4]);
    const b = leaf(10, dtype, [4]);
    const scale = leaf(11, dtype, scaleShape);
    const fresh = backward([loss(x, w, b, scale)], [null], { accumulate: false, createGraph: true, retainGraph: false, targets: [x, w, b] });
    const reused = backward([loss(x, w, b, scale)], [null], { accumulate: false, createGraph: false, retainGraph: false, targets: [x, w, b] });
    for (const t of [x, w, b]) expect(Array.from(reused.get(t)!.data), dtype).to.deep.equal(Array.from(fresh.get(t)!.data));
  }
}

describe('backward writes a gradient over the dy it came from only where nothing else reads dy', () => {
  beforeEach(() => {
    overwrote = [];
  });

  it("takes dy's storage when the walk made dy and only dy's slot holds it", () => {
    const x = leaf(1);
    const w = leaf(2);
    sum(mul(probe(x), w)).backward(); // probe's dy = mul's gradient, fresh
    expect(overwrote).to.deep.equal([true]);
    expectValues(x.grad!, (i) => 2 * w.data[i]!);
  });

  it("not when another slot holds the same buffer (add hands dy to a leaf's .grad too)", () => {
    const x = leaf(3);
    const w = leaf(4);
    sum(add(probe(x), w)).backward(); // sum's gradient goes to probe and, as it is, to w
    expect(overwrote).to.deep.equal([false]);
    // Had probe's backward written 2·dy over dy, w's gradient would be 2.
    expectValues(x.grad!, () => 2);
    expectValues(w.grad!, () => 1);
  });

  it("not the user's seed, nor with createGraph, nor under anomaly detection", () => {
    const x = leaf(5);
    const seed = randn([N], { dtype: 'float64', generator: new Generator(6) });
    const copy = Array.from(seed.data);
    probe(x).backward(seed);
    expect(Array.from(seed.data)).to.deep.equal(copy);
    const w = leaf(7);
    backward([sum(mul(probe(x), w))], [null], { accumulate: false, createGraph: true, retainGraph: false });
    detectAnomaly(() => sum(mul(probe(x), w)).backward());
    expect(overwrote).to.deep.equal([false, false, false]);
  });

  it('is taken once, and only by a result of the same shape and dtype', () => {
    const g = randn([4, 5]);
    offeringGradient(g, () => {
      expect(outputOver(g, [5, 4], 'float32').storage).to.not.equal(g.storage);
      expect(outputOver(g, [4, 5], 'float64').storage).to.not.equal(g.storage);
      expect(outputOver(randn([4, 5]), [4, 5], 'float32').storage).to.not.equal(g.storage);
      expect(outputOver(g, [4, 5], 'float32').storage).to.equal(g.storage);
      expect(outputOver(g, [4, 5], 'float32').storage).to.not.equal(g.storage);
    });
    expect(outputOver(g, [4, 5], 'float32').storage).to.not.equal(g.storage);
  });

  it("relu's and batch norm's backward give the same bits over dy as into fresh arrays", () => {
    expectReuseKeepsBits([8, 4, 16, 17], (x, w, b, scale) => sum(mul(relu(batchNorm(mul(x, scale), null, null, w, b, { training: true })), scale)));
  });

  it("a VJP's own intermediate is offered where the walk reuses storage, whether or not dy is on offer", () => {
    const own = randn([4, 5]);
    const takes = (): boolean => outputOver(own, [4, 5], 'float32').storage === own.storage;
    expect(offeringGradient(null, () => passingOffer(own, takes), true)).to.equal(true);
    expect(offeringGradient(randn([2]), () => passingOffer(own, takes), true)).to.equal(true);
    expect(offeringGradient(null, () => passingOffer(own, takes), false)).to.equal(false);
    expect(passingOffer(own, takes)).to.equal(false);
    // The offer ends with fn.
    expect(offeringGradient(null, () => (passingOffer(own, () => 0), takes()), true)).to.equal(false);
  });

  it("batchNormMaxPool2d's backward gives the same bits over its scattered gradient as into fresh arrays", () => {
    expectReuseKeepsBits([8, 4, 8, 8], (x, w, b, scale) => sum(mul(relu(batchNormMaxPool2d(x, null, null, w, b, { training: true }, { kernelSize: 2 })), scale)));
  });
});
