// The WebGPU normalisation kernels on Dawn against the CPU kernels (backend/cpu/norm.ts) on the
// same float32 inputs: the CPU's statistics are float64, the GPU's float32, compared within
// GPU_TOLERANCE. Layouts: batch-norm-like (outer = N, groups = C, inner = H·W), layer-norm-like
// (outer = 1), one large group (64×28×28 elements), and LRN's channel window sums.
import { expect } from 'chai';
import { cpuNorm } from '../cpu/norm.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import { webgpuNorm } from './norm.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

/** Deterministic values in [offset − 1, offset + 1). */
function values(n: number, seed: number, offset = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1 + offset;
  });
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(describeMismatch(got, want, GPU_TOLERANCE), what).to.equal(null);
}

interface Layout {
  name: string;
  outer: number;
  groups: number;
  inner: number;
  /** Added to every x: a mean far from 0 (two passes keep the variance exact-ish). */
  offset: number;
}

const LAYOUTS: Layout[] = [
  { name: 'batch-norm-like [3, 4, 5·6]', outer: 3, groups: 4, inner: 30, offset: 0 },
  { name: 'batch-norm-like [5, 3, 1] (no spatial dims)', outer: 5, groups: 3, inner: 1, offset: 0 },
  { name: 'layer-norm-like [1, 6, 20] with mean 8', outer: 1, groups: 6, inner: 20, offset: 8 },
  { name: 'large group [64, 2, 28·28]', outer: 64, groups: 2, inner: 784, offset: 0.5 },
  { name: 'large group [1, 1, 64·28·28]', outer: 1, groups: 1, inner: 64 * 784, offset: 0 },
];

describe('webgpu norm kernels (Dawn) vs the CPU kernels', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  for (const { name, outer, groups, inner, offset } of LAYOUTS) {
    it(`groupStats, normalize (affine and not), normalizeWithStats, normalizeSums and normalizeBackward: ${name}`, async () => {
      const n = outer * groups * inner;
      const x = values(n, 1 + groups, offset);
      const g = values(n, 2 + groups);
      const weight = values(groups, 3, 1);
      const bias = values(groups, 4);
      const eps = 1e-5;
      const count = outer * inner;
      const cpu = { mean: new Float64Array(groups), variance: new Float64Array(groups) };
      cpuNorm.groupStats(x, outer, groups, inner, cpu.mean, cpu.variance);

      const [gx, gg] = [rt.upload(x), rt.upload(g)];
      const mean = rt.allocate('float32', groups, false);
      const variance = rt.allocate('float32', groups, false);
      await expectNoGpuErrors(rt, () => webgpuNorm.groupStats(gx, outer, groups, inner, mean, variance));
      expectClose(await rt.readAsync(mean), cpu.mean, 'mean');
      expectClose(await rt.readAsync(variance), cpu.variance, 'variance');

      for (const affine of [false, true]) {
        const [w, b] = affine ? [weight, bias] : [null, null];
        const wantY = new Float32Array(n);
        cpuNorm.normalize(x, outer, groups, inner, w, b, eps, wantY, new Float64Array(groups), new Float64Array(groups));
        const y = rt.allocate('float32', n, false);
        const [m2, v2] = [rt.allocate('float32', groups, false), rt.allocate('float32', groups, false)];
        await expectNoGpuErrors(rt, () =>
          webgpuNorm.normalize(gx, outer, groups, inner, w && rt.upload(w), b && rt.upload(b), eps, y, m2, v2));
        expectClose(await rt.readAsync(y), wantY, `normalize y (affine ${affine})`);
        expectClose(await rt.readAsync(m2), cpu.mean, 'normalize mean');
        expectClose(await rt.readAsync(v2), cpu.variance, 'normalize variance');
        // With given statistics (batchNorm in eval mode): float32 mean and variance on both sides.
        const [mean32, variance32] = [Float32Array.from(cpu.mean), Float32Array.from(cpu.variance, (v) => v + 0.25)];
        const wantGiven = new Float32Array(n);
        cpuNorm.normalizeWithStats(x, outer, groups, inner, mean32, variance32, w, b, eps, wantGiven);
        const yGiven = rt.allocate('float32', n, false);
        await expectNoGpuErrors(rt, () =>
          webgpuNorm.normalizeWithStats(gx, outer, groups, inner, rt.upload(mean32), rt.upload(variance32), w && rt.upload(w), b && rt.upload(b), eps, yGiven));
        expectClose(await rt.readAsync(yGiven), wantGiven, `normalizeWithStats y (affine ${affine})`);
      }

      // The backward kernels on the CPU's statistics (rounded to float32 for the GPU).
      const wantSums = new Float32Array(2 * groups);
      cpuNorm.normalizeSums(g, x, outer, groups, inner, cpu.mean, cpu.variance, eps, wantSums);
      const [cpuMean, cpuVar] = [rt.upload(Float32Array.from(cpu.mean)), rt.upload(Float32Array.from(cpu.variance))];
      const sums = rt.allocate('float32', 2 * groups, false);
      await expectNoGpuErrors(rt, () => webgpuNorm.normalizeSums(gg, gx, outer, groups, inner, cpuMean, cpuVar, eps, sums));
      expectClose(await rt.readAsync(sums), wantSums, 'normalizeSums');

      for (const w of [null, weight]) {
        const wantDx = new Float32Array(n);
        cpuNorm.normalizeBackward(g, x, outer, groups, inner, cpu.mean, cpu.variance, eps, count, wantSums, w, wantDx);
        const dx = rt.allocate('float32', n, false);
        await expectNoGpuErrors(rt, () =>
          webgpuNorm.normalizeBackward(gg, gx, outer, groups, inner, cpuMean, cpuVar, eps, count, rt.upload(wantSums), w && rt.upload(w), dx));
        expectClose(await rt.readAsync(dx), wantDx, `normalizeBackward (weight ${w !== null})`);
      }
    });
  }

  it('groupStats over more than 65535 groups (a 2-D grid of workgroups)', async () => {
    const groups = 70000;
    const x = values(2 * groups * 3, 9);
    const want = { mean: new Float64Array(groups), variance: new Float64Array(groups) };
    cpuNorm.groupStats(x, 2, groups, 3, want.mean, want.variance);
    const [mean, variance] = [rt.allocate('float32', groups, false), rt.allocate('float32', groups, false)];
    await expectNoGpuErrors(rt, () => webgpuNorm.groupStats(rt.upload(x), 2, groups, 3, mean, variance));
    expectClose(await rt.readAsync(mean), want.mean, 'mean');
    expectClose(await rt.readAsync(variance), want.variance, 'variance');
  });

  it('updateRunningStats', async () => {
    const c = 7;
    const [rm, rv] = [values(c, 1), values(c, 2, 2)];
    const [mean, variance] = [values(c, 3), values(c, 4, 1.5)];
    const want = { rm: rm.slice(), rv: rv.slice() };
    cpuNorm.updateRunningStats(want.rm, want.rv, Float64Array.from(mean), Float64Array.from(variance), 0.1, 10 / 9);
    const [grm, grv] = [rt.upload(rm), rt.upload(rv)];
    await expectNoGpuErrors(rt, () => webgpuNorm.updateRunningStats(grm, grv, rt.upload(mean), rt.upload(variance), 0.1, 10 / 9));
    expectClose(await rt.readAsync(grm), want.rm, 'running mean');
    expectClose(await rt.readAsync(grv), want.rv, 'running variance');
  });

  it('channelWindowSum: odd and even LRN windows, windows wider than the channels', async () => {
    const [outer, channels, inner] = [2, 6, 5];
    const x = values(outer * channels * inner, 5);
    for (const [before, after] of [[2, 2], [2, 1], [0, 0], [7, 9]] as const) {
      const want = new Float32Array(x.length);
      cpuNorm.channelWindowSum(x, outer, channels, inner, before, after, want);
      const y = rt.allocate('float32', x.length, true);
      await expectNoGpuErrors(rt, () => webgpuNorm.channelWindowSum(rt.upload(x), outer, channels, inner, before, after, y));
      // Added in increasing channel order onto zero, as on the CPU: the same float32 sums.
      expect(await rt.readAsync(y), `before ${before}, after ${after}`).to.deep.equal(want);
    }
  });
});
