// The WebGPU pooling kernels on Dawn against the CPU kernels (backend/cpu/pool.ts) on the same
// float32 inputs: max pooling's values and argmax exactly (ties, NaN, empty windows), the gathers
// and scatters, average pooling and its transpose within GPU_TOLERANCE.
import { expect } from 'chai';
import { cpuPool } from '../cpu/pool.js';
import { type PoolWindows, adaptiveWindows, isPairWindows, slidingTaps, slidingWindows } from '../window.js';
import { slidingGeometry, type SlidingPoolAttrs } from '../../ops/pool/windows.js';
import type { Window2d } from '../window.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import { webgpuPool } from './pool.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

/** Deterministic values in [-1, 1) (or integers in [0, levels) when levels is given: ties). */
function values(n: number, seed: number, levels?: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return levels === undefined ? s / 2 ** 31 - 1 : Math.floor((s / 2 ** 32) * levels);
  });
}

interface Case {
  name: string;
  windows: PoolWindows;
  geometry: Window2d | null;
}

function sliding(name: string, inH: number, inW: number, attrs: SlidingPoolAttrs): Case {
  const geometry = slidingGeometry(name, inH, inW, attrs);
  return { name, windows: slidingWindows(geometry), geometry };
}

const CASES: Case[] = [
  sliding('2x2 s2', 8, 6, { kernelSize: 2 }),
  sliding('2x2 s2 odd input', 7, 5, { kernelSize: 2 }),
  sliding('3x3 s2 padded', 9, 7, { kernelSize: 3, stride: 2, padding: 1 }),
  sliding('3x3 s2 ceil mode', 8, 8, { kernelSize: 3, stride: 2, ceilMode: true }),
  sliding('3x2 s1 padded ceil mode', 6, 5, { kernelSize: [3, 2], stride: [2, 1], padding: [1, 1], ceilMode: true }),
  sliding('3x3 dilation 2', 9, 8, { kernelSize: 3, stride: 1, dilation: 2 }),
  { name: 'adaptive 7x5 -> 3x4', windows: adaptiveWindows(7, 5, 3, 4), geometry: null },
  { name: 'adaptive 5x5 -> 7x3 (overlapping)', windows: adaptiveWindows(5, 5, 7, 3), geometry: null },
];

const PLANES = 6;

describe('webgpu pool kernels (Dawn) vs the CPU kernels', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  async function maxPoolBoth(x: Float32Array, w: PoolWindows, planes: number) {
    const n = planes * w.outH * w.outW;
    const want = { out: new Float32Array(n), argmax: new Int32Array(n) };
    cpuPool.maxPool(x, planes, w, want.out, want.argmax);
    const out = rt.allocate('float32', n, false);
    const argmax = rt.allocate('int32', n, false);
    await expectNoGpuErrors(rt, () => webgpuPool.maxPool(rt.upload(x), planes, w, out, argmax));
    return { want, got: { out: await rt.readAsync(out), argmax: await rt.readAsync(argmax) } };
  }

  for (const { name, windows } of CASES) {
    it(`maxPool ${name}: values and first-maximum argmax as the CPU's, also with ties`, async () => {
      for (const levels of [undefined, 3]) {
        const x = values(PLANES * windows.inH * windows.inW, 7, levels);
        const { want, got } = await maxPoolBoth(x, windows, PLANES);
        expect(got.argmax).to.deep.equal(want.argmax);
        expect(got.out).to.deep.equal(want.out);
      }
    });
  }

  it('maxPool: the first NaN wins, -inf inputs count, empty windows give -inf and -1', async () => {
    // Padding of 3 on a kernel of 2 leaves whole windows in the padding (ops never make them; the kernel must cope).
    const rows = slidingTaps(5, 5, 2, 2, 3, 1);
    const cols = slidingTaps(6, 4, 3, 2, 1, 1);
    const w: PoolWindows = { inH: 5, inW: 6, outH: 5, outW: 4, rows, cols };
    const x = values(2 * 30, 3);
    x[7] = NaN;
    x[9] = NaN;
    x[14] = -Infinity;
    x.fill(-Infinity, 30, 42);
    x[33] = NaN;
    const { want, got } = await maxPoolBoth(x, w, 2);
    expect(Array.from(want.argmax)).to.include(-1);
    expect(Array.from(want.argmax)).to.include(7);
    expect(got.argmax).to.deep.equal(want.argmax);
    expect(got.out).to.deep.equal(want.out);
  });

  it('gatherPlanes and scatterAddPlanes by a random index with repeats and -1', async () => {
    const inPlane = 12, outPlane = 9, planes = 5;
    const x = values(planes * inPlane, 11);
    const g = values(planes * outPlane, 12);
    // Few distinct targets: lists of several outputs per input element.
    const index = Int32Array.from(values(planes * outPlane, 13, 5), (v) => (v === 4 ? -1 : v * 2));
    const wantOut = new Float32Array(planes * outPlane);
    cpuPool.gatherPlanes(x, inPlane, index, outPlane, wantOut);
    const wantDx = new Float32Array(planes * inPlane);
    cpuPool.scatterAddPlanes(g, outPlane, index, inPlane, wantDx);
    const out = rt.allocate('float32', wantOut.length, false);
    const dx = rt.allocate('float32', wantDx.length, true);
    const gpuIndex = rt.upload(index);
    await expectNoGpuErrors(rt, () => {
      webgpuPool.gatherPlanes(rt.upload(x), inPlane, gpuIndex, outPlane, out);
      webgpuPool.scatterAddPlanes(rt.upload(g), outPlane, gpuIndex, inPlane, dx);
    });
    expect(await rt.readAsync(out)).to.deep.equal(wantOut);
    // Added in increasing output order, as on the CPU: the same float32 sums.
    expect(await rt.readAsync(dx)).to.deep.equal(wantDx);
  });

  for (const { name, windows } of CASES) {
    it(`scatterAddPlanes of maxPool ${name}'s argmax (host index too), and scatterPairs where it applies`, async () => {
      const planes = 3;
      const x = values(planes * windows.inH * windows.inW, 21, 4);
      const g = values(planes * windows.outH * windows.outW, 22);
      const { want } = await maxPoolBoth(x, windows, planes);
      const wantDx = new Float32Array(x.length);
      cpuPool.scatterAddPlanes(g, windows.outH * windows.outW, want.argmax, windows.inH * windows.inW, wantDx);
      const dx = rt.allocate('float32', x.length, true);
      await expectNoGpuErrors(rt, () => webgpuPool.scatterAddPlanes(rt.upload(g), windows.outH * windows.outW, want.argmax, windows.inH * windows.inW, dx));
      expect(await rt.readAsync(dx)).to.deep.equal(wantDx);
      if (!isPairWindows(windows)) return;
      // scatterPairs writes every element: dx starts with garbage.
      const pairs = rt.upload(new Float32Array(x.length).fill(99));
      await expectNoGpuErrors(rt, () => webgpuPool.scatterPairs(rt.upload(g), planes, windows.inH, windows.inW, windows.outH, windows.outW, rt.upload(want.argmax), pairs));
      expect(await rt.readAsync(pairs)).to.deep.equal(wantDx);
    });
  }

  /** avg pooling's divisors as the ops make them (avg-pool.ts): override, count_include_pad, or the window's count. */
  function divisors({ windows: w, geometry: g }: Case, mode: 'include' | 'exclude' | 'override'): Float64Array {
    const d = new Float64Array(w.outH * w.outW);
    const count = (t: PoolWindows['rows'], o: number) => t.offsets[o + 1]! - t.offsets[o]!;
    const extent = (o: number, stride: number, pad: number, k: number, inLen: number) => Math.min(o * stride - pad + k, inLen + pad) - (o * stride - pad);
    for (let oh = 0; oh < w.outH; oh++) {
      for (let ow = 0; ow < w.outW; ow++) {
        d[oh * w.outW + ow] = mode === 'override' ? 3 : mode === 'include' && g !== null
          ? extent(oh, g.strideH, g.padTop, g.kH, g.inH) * extent(ow, g.strideW, g.padLeft, g.kW, g.inW)
          : count(w.rows, oh) * count(w.cols, ow);
      }
    }
    return d;
  }

  for (const c of CASES.filter((c) => c.geometry === null || c.geometry.dilationH === 1)) {
    it(`boxPool and boxPoolTranspose ${c.name} (count_include_pad on and off, divisor override)`, async () => {
      const { windows: w } = c;
      const x = values(PLANES * w.inH * w.inW, 31);
      const g = values(PLANES * w.outH * w.outW, 32);
      for (const mode of ['include', 'exclude', 'override'] as const) {
        const divisor = divisors(c, mode);
        const wantOut = new Float32Array(g.length);
        cpuPool.boxPool(x, PLANES, w, divisor, wantOut);
        const wantDx = new Float32Array(x.length);
        cpuPool.boxPoolTranspose(g, PLANES, w, divisor, wantDx);
        const out = rt.allocate('float32', g.length, false);
        const dx = rt.allocate('float32', x.length, true);
        await expectNoGpuErrors(rt, () => {
          webgpuPool.boxPool(rt.upload(x), PLANES, w, divisor, out);
          webgpuPool.boxPoolTranspose(rt.upload(g), PLANES, w, divisor, dx);
        });
        expect(describeMismatch(await rt.readAsync(out), wantOut, GPU_TOLERANCE), `boxPool ${mode}`).to.equal(null);
        expect(describeMismatch(await rt.readAsync(dx), wantDx, GPU_TOLERANCE), `boxPoolTranspose ${mode}`).to.equal(null);
      }
    });
  }
});
