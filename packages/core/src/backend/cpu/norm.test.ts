// Float32 normalization at sizes that take the WebAssembly kernels (assembly/norm.ts) against
// the same computation in float64 (the TypeScript kernels): forward values and all gradients.
import { expect } from 'chai';
import fc from 'fast-check';
import { vjp } from '../../autograd/grad.js';
import { batchNorm } from '../../ops/norm/batch-norm.js';
import { layerNorm } from '../../ops/norm/layer-norm.js';
import { cast } from '../../ops/elementwise/cast.js';
import { fillTensor } from '../../testing/arbitraries.js';
import type { Tensor } from '../../tensor/tensor.js';
import { wasmAvailable } from './wasm/runtime.js';
import { WASM_NORM_MIN_SIZE } from './wasm/norm.js';
import { cpuNorm } from './norm.js';

function expectClose(actual: Tensor, expected: Tensor, what: string): void {
  const a = actual.data;
  const e = expected.data;
  let scale = 0;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]!));
  for (let i = 0; i < e.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= 2e-5 * (scale + 1))) expect.fail(`${what}[${i}]: ${a[i]} vs float64 ${e[i]} (scale ${scale})`);
  }
}

type Norm = (x: Tensor, w: Tensor, b: Tensor) => Tensor;

function compare(norm: Norm, shape: number[], affineShape: number[], seed: number): void {
  const x64 = fillTensor(shape, seed, { min: -3, max: 5 });
  const w64 = fillTensor(affineShape, seed + 1, { min: 0.5, max: 2 });
  const b64 = fillTensor(affineShape, seed + 2);
  const g64 = fillTensor(shape, seed + 3);
  const to32 = (t: Tensor): Tensor => cast(t, 'float32');
  const to64 = (t: Tensor): Tensor => cast(t, 'float64');
  // The float64 reference starts from the float32-rounded values so only the kernels differ.
  const [x, w, b, g] = [x64, w64, b64, g64].map(to32) as [Tensor, Tensor, Tensor, Tensor];
  const [y, pull] = vjp(norm, x, w, b);
  const [yRef, pullRef] = vjp(norm, to64(x), to64(w), to64(b));
  expectClose(y, yRef, 'y');
  const grads = pull(g);
  const gradsRef = pullRef(to64(g));
  ['dx', 'dw', 'db'].forEach((name, i) => expectClose(grads[i]!, gradsRef[i]!, name));
}

/** check([n, c, hw, spatial], c, seed) on 12 random batch-norm shapes just past the wasm size (odd inner sizes included). */
function forBatchNormShapes(check: (shape: number[], c: number, seed: number) => void): void {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1e6 }),
      (n, c, hw, seed) => check([n, c, hw, Math.ceil(WASM_NORM_MIN_SIZE / (n * c * hw))], c, seed),
    ),
    { numRuns: 12 },
  );
}

describe('normalization kernels in WebAssembly (float32) agree with float64', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('batchNorm training forward and gradients over random shapes, odd inner sizes included', () => {
    forBatchNormShapes((shape, c, seed) => compare((x, w, b) => batchNorm(x, null, null, w, b, { training: true }), shape, [c], seed));
  });

  it('batchNorm eval (the running statistics, normalizeWithStats) forward and gradients, odd inner sizes included', () => {
    forBatchNormShapes((shape, c, seed) => {
      const mean = fillTensor([c], seed + 4);
      const variance = fillTensor([c], seed + 5, { min: 0.1, max: 3 });
      const stats = (x: Tensor): [Tensor, Tensor] => [cast(mean, x.dtype), cast(variance, x.dtype)];
      compare((x, w, b) => batchNorm(x, ...stats(x), w, b), shape, [c], seed);
    });
  });

  it('batchNorm eval matches the unfused formula (x − mean)·invstd·w + b', () => {
    const x = cast(fillTensor([6, 5, 13, 11], 21, { min: -3, max: 5 }), 'float32');
    const [mean, w, b] = [22, 23, 24].map((s) => cast(fillTensor([5], s), 'float32')) as [Tensor, Tensor, Tensor];
    const variance = cast(fillTensor([5], 25, { min: 0.1, max: 3 }), 'float32');
    const y = batchNorm(x, mean, variance, w, b).data;
    const [xs, ms, vs, ws, bs] = [x.data, mean.data, variance.data, w.data, b.data];
    for (let i = 0; i < y.length; i++) {
      const c = Math.floor(i / (13 * 11)) % 5;
      const ref = ((xs[i]! - ms[c]!) / Math.sqrt(vs[c]! + 1e-5)) * ws[c]! + bs[c]!;
      if (!(Math.abs(y[i]! - ref) <= 1e-5 * (1 + Math.abs(ref)))) expect.fail(`y[${i}]: ${y[i]} vs ${ref}`);
    }
  });

  it('layerNorm over the last dims (groups are rows, inner = 1 per group element)', () => {
    compare((x, w, b) => layerNorm(x, [7, 97], w, b), [9, 7, 97], [7, 97], 11);
  });

  it("the forward's one-pass statistics equal two float64 passes, means far from zero included", () => {
    // The wasm forward takes each group's variance from the runs' own second moments (one read of
    // x); the TypeScript groupStats takes two passes about the group mean. A shortcut such as
    // E[x²] − mean² loses every digit here (values 1e4 apart by 1e-2), and dropping the runs'
    // spread about the group mean (the inner·(meanᵣ − mean)² term) is off by the spread between images.
    for (const [outer, groups, inner, offset] of [[16, 3, 1030, 1e4], [5, 7, 257, -3], [2, 2, 4099, 0]] as const) {
      const x = new Float32Array(outer * groups * inner);
      for (let i = 0; i < x.length; i++) {
        const o = Math.floor(i / (groups * inner));
        x[i] = offset + 0.01 * Math.sin(i * 0.37) + 0.003 * o;
      }
      const [mean, variance, wantMean, wantVariance] = [0, 1, 2, 3].map(() => new Float64Array(groups)) as [Float64Array, Float64Array, Float64Array, Float64Array];
      cpuNorm.normalize(x, outer, groups, inner, null, null, 1e-5, new Float32Array(x.length), mean, variance);
      cpuNorm.groupStats(x, outer, groups, inner, wantMean, wantVariance);
      for (let c = 0; c < groups; c++) {
        expect(Math.abs(mean[c]! - wantMean[c]!), `mean ${c}`).to.be.at.most(1e-13 * Math.abs(wantMean[c]!) + 1e-15);
        expect(Math.abs(variance[c]! - wantVariance[c]!), `variance ${c}`).to.be.at.most(1e-9 * wantVariance[c]!);
      }
    }
  });

  it('a constant channel gives zero output and finite gradients, not NaN', () => {
    const x = cast(fillTensor([4, 2, 32, 33], 5), 'float32');
    x.data.fill(3, 0, 32 * 33); // channel 0 of image 0 ...
    for (let i = 1; i < 4; i++) x.data.fill(3, i * 2 * 32 * 33, i * 2 * 32 * 33 + 32 * 33); // ... and of every image
    const [y, pull] = vjp((t) => batchNorm(t, null, null, null, null, { training: true }), x);
    for (let i = 0; i < 32 * 33; i++) expect(y.data[i]).to.equal(0);
    const [dx] = pull(cast(fillTensor([4, 2, 32, 33], 6), 'float32'));
    expect(Array.from(dx!.data).every(Number.isFinite)).to.equal(true);
  });
});
