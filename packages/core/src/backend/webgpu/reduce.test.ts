// The WebGPU reduce kernels on Dawn (llvmpipe) against the CPU kernels on the same float32/int32
// inputs: values within GPU_TOLERANCE, indices exactly; single, several, all and no dims, size-1
// and size-0 dims, rank 8, short lines (one invocation each) and long ones (a workgroup each,
// LONG_ROW), one row of 100 000 elements, NaN and ±∞.
import { expect } from 'chai';
import { cpuReduce } from '../cpu/reduce.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import type { GpuArray } from './gpu-array.js';
import { LONG_ROW, TOPK_COUNT_MAX, webgpuReduce } from './reduce.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

type Host = Float32Array | Int32Array;

/** Deterministic values in [lo, hi) (mulberry32). */
function randoms(n: number, seed: number, lo = -3, hi = 3): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Small integers (many ties) as float32 or int32. */
const ties = (n: number, seed: number): Float32Array => randoms(n, seed, 0, 5).map(Math.floor);

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const keptSize = (shape: readonly number[], dims: readonly number[]): number => sizeOf(shape.filter((_, i) => !dims.includes(i)));

/** x with NaN, +∞ and −∞ written at every `every`-th element (from different offsets). */
function withSpecials(x: Float32Array, every: number): Float32Array {
  const y = x.slice();
  for (let i = 0; i < y.length; i += every) y[i] = NaN;
  for (let i = Math.floor(every / 3); i < y.length; i += every) y[i] = Infinity;
  for (let i = Math.floor((2 * every) / 3); i < y.length; i += every) y[i] = -Infinity;
  return y;
}

const SHAPES_AND_DIMS: readonly [number[], number[]][] = [
  [[5], [0]],
  [[], []],
  [[3, 4], [0]],
  [[3, 4], [1]],
  [[3, 4], [0, 1]],
  [[3, 4], []],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [0, 1, 2]],
  [[2, 1, 3, 1, 4], [1, 3]],
  [[2, 1, 3, 1, 4], [0, 3, 4]],
  [[2, 1, 2, 3, 1, 2, 2, 3], [0, 3, 5, 7]],
  [[2, 1, 2, 3, 1, 2, 2, 3], [1, 2, 6]],
  [[2, 0, 3], [1]],
  [[2, 0, 3], [0, 2]],
  [[0, 3], [1]],
  [[3, LONG_ROW + 44], [1]],
  [[LONG_ROW + 44, 3], [0]],
  [[3, 20, 5, 16], [1, 3]],
  [[2, 3, 5, 7], [0, 2, 3]],
];

describe('webgpu reduce kernels (Dawn) vs the CPU kernels', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  /** Runs `kernel` on uploads of x and out (out's start values matter for sum) and reads out back. */
  async function onGpu(x: Host, out: Host, kernel: (gx: GpuArray, go: GpuArray) => void): Promise<Host> {
    const gx = rt.upload(x);
    const go = rt.upload(out);
    try {
      await expectNoGpuErrors(rt, () => kernel(gx, go));
      return await rt.readAsync(go);
    } finally {
      rt.release(gx);
      rt.release(go);
    }
  }

  function expectClose(got: Host, want: Host, what: string): void {
    expect(describeMismatch(got, want, GPU_TOLERANCE), what).to.equal(null);
  }

  function expectEqual(got: Host, want: Host, what: string): void {
    expect(Array.from(got), what).to.deep.equal(Array.from(want));
  }

  /** Output filled with a value no kernel produces here, so an unwritten element shows. */
  const sentinel = (n: number, int: boolean): Host => (int ? new Int32Array(n).fill(-777) : new Float32Array(n).fill(-777));

  type DimsKernel = 'sum' | 'max' | 'min' | 'logSumExp';

  async function checkDims(kernel: DimsKernel, x: Host, shape: number[], dims: number[], what: string): Promise<void> {
    const int = x instanceof Int32Array;
    const n = keptSize(shape, dims);
    // sum adds into out: start from values other than 0.
    const start = (): Host => (kernel === 'sum' ? (int ? Int32Array.from({ length: n }, (_, i) => i - 2) : Float32Array.from({ length: n }, (_, i) => i / 4)) : sentinel(n, int));
    const want = start();
    cpuReduce[kernel](x.slice(), shape, dims, want);
    const got = await onGpu(x, start(), (gx, go) => webgpuReduce[kernel](gx, shape, dims, go));
    const label = `${kernel} ${what} [${shape.join(',')}] dims [${dims.join(',')}]`;
    if (int) expectEqual(got, want, label);
    else expectClose(got, want, label);
  }

  for (const kernel of ['sum', 'max', 'min', 'logSumExp'] as const) {
    it(`${kernel}: single, several, all and no dims, size-1 and size-0 dims, rank 8, short and long lines; NaN and ±∞`, async () => {
      for (const [shape, dims] of SHAPES_AND_DIMS) {
        const x = randoms(sizeOf(shape), shape.length * 31 + dims.length);
        await checkDims(kernel, x, shape, dims, 'random');
        await checkDims(kernel, withSpecials(x, 7), shape, dims, 'NaN/±∞ every 7th');
        if (x.length > 200) await checkDims(kernel, withSpecials(x, 97), shape, dims, 'NaN/±∞ every 97th');
      }
    });
  }

  it('logSumExp: lines of −∞ only give −∞, lines with +∞ give +∞, large values do not overflow', async () => {
    const x = Float32Array.from([-Infinity, -Infinity, -Infinity, 1, Infinity, 2, 1000, 999, -1000, -Infinity, 5, -Infinity]);
    await checkDims('logSumExp', x, [4, 3], [1], 'special lines');
    await checkDims('logSumExp', Float32Array.from({ length: 3 * 300 }, (_, i) => (i < 300 ? -Infinity : i < 600 ? 900 + (i % 7) : i === 700 ? Infinity : 1)), [3, 300], [1], 'special long lines');
  });

  for (const kernel of ['sum', 'max', 'min'] as const) {
    it(`${kernel} of int32, exactly${kernel === 'sum' ? ' (sums wrap modulo 2³², as the CPU int32 stores do)' : ''}`, async () => {
      for (const [shape, dims] of SHAPES_AND_DIMS) {
        const x = Int32Array.from(randoms(sizeOf(shape), shape.length + 5 * dims.length, -(2 ** 30), 2 ** 30), Math.round);
        await checkDims(kernel, x, shape, dims, 'int32');
      }
    });
  }

  it('variance with corrections 0, 1, 2, −1 and divisors of 0 (+∞ or NaN); NaN and ±∞ give NaN', async () => {
    const cases: [number[], number[]][] = [...SHAPES_AND_DIMS, [[3, 1], [1]], [[3, 2], [1]]];
    for (const [c, [shape, dims]] of cases.entries()) {
      // Every correction on a few shapes (short and long lines, no dims, divisors of 0), 1 on all.
      for (const correction of [1, 8, 13, 16, 19, 20, 21].includes(c) ? [0, 1, 2, -1, 5] : [1]) {
        for (const [what, x] of [
          ['random, mean 10', randoms(sizeOf(shape), 7 + shape.length, 7, 13)],
          ['NaN/±∞', withSpecials(randoms(sizeOf(shape), 3), 11)],
        ] as const) {
          const n = keptSize(shape, dims);
          const want = new Float32Array(n);
          cpuReduce.variance(x.slice(), shape, dims, correction, want);
          const got = await onGpu(x, sentinel(n, false), (gx, go) => webgpuReduce.variance(gx, shape, dims, correction, go));
          expectClose(got, want, `variance ${what} [${shape.join(',')}] dims [${dims.join(',')}] correction ${correction}`);
        }
      }
    }
  });

  for (const kernel of ['softmax', 'logSoftmax'] as const) {
    it(`${kernel} along each dim, short and long lines, rank 0 and size 0; ±1000, NaN, ±∞ and all −∞ lines`, async () => {
      const shapes = [[5], [], [3, 4], [2, 3, 4], [2, 1, 3], [2, 0, 3], [2, LONG_ROW + 10], [LONG_ROW + 10, 2], [2, 1, 2, 3, 1, 2, 2, 3]];
      for (const shape of shapes) {
        for (let dim = 0; dim < Math.max(1, shape.length); dim++) {
          const size = sizeOf(shape);
          const inputs: [string, Float32Array][] = [
            ['random', randoms(size, 11 + dim)],
            ['±1000', randoms(size, 12 + dim, -1000, 1000)],
            ['NaN/±∞ every 13th', withSpecials(randoms(size, 13), 13)],
            ['−∞ every 2nd', randoms(size, 14).map((v, i) => (i % 2 === 0 ? -Infinity : v))],
            ['all −∞', new Float32Array(size).fill(-Infinity)],
          ];
          for (const [what, x] of inputs) {
            const want = new Float32Array(size);
            cpuReduce[kernel](x.slice(), shape, dim, want);
            const got = await onGpu(x, sentinel(size, false), (gx, go) => webgpuReduce[kernel](gx, shape, dim, go));
            expectClose(got, want, `${kernel} ${what} [${shape.join(',')}] dim ${dim}`);
          }
        }
      }
    });
  }

  /** [outer, size, inner] views: short and long lines, a size-1 dim, inner > 1. */
  const VIEWS: readonly [number, number, number][] = [
    [1, 1, 1],
    [1, 7, 1],
    [3, 5, 4],
    [2, 1, 3],
    [4, 6, 1],
    [1, 9, 6],
    [2, LONG_ROW + 30, 3],
    [3, LONG_ROW * 2, 1],
  ];

  for (const kernel of ['argmax', 'argmin'] as const) {
    it(`${kernel}: the first of equal values, NaN wins (float32 and int32), short and long lines`, async () => {
      for (const [outer, size, inner] of VIEWS) {
        const n = outer * size * inner;
        const inputs: [string, Host][] = [
          ['random', randoms(n, size + inner)],
          ['ties', ties(n, size)],
          ['ties with NaN and ±∞', withSpecials(ties(n, size + 1), 5)],
          ['NaN every 3rd', ties(n, 2).map((v, i) => (i % 3 === 1 ? NaN : v))],
          ['int32 ties', Int32Array.from(ties(n, size + 2))],
        ];
        for (const [what, x] of inputs) {
          const want = new Int32Array(outer * inner);
          cpuReduce[kernel](x.slice(), outer, size, inner, want);
          const got = await onGpu(x, sentinel(outer * inner, true), (gx, go) => webgpuReduce[kernel](gx, outer, size, inner, go));
          expectEqual(got, want, `${kernel} ${what} [${outer}, ${size}, ${inner}]`);
        }
      }
    });
  }

  it(`topk: k largest and smallest, ties to the lower index, NaN above every number (float32, int32); ranking by counting and (size > ${TOPK_COUNT_MAX}) by selection`, async () => {
    const views: [number, number, number, number[]][] = [
      [1, 1, 1, [0, 1]],
      [1, 7, 1, [1, 3, 7]],
      [3, 5, 4, [2, 5]],
      [2, 9, 3, [4]],
      [1, TOPK_COUNT_MAX + 976, 1, [1, 5, 40]],
      [2, TOPK_COUNT_MAX + 300, 3, [3]],
    ];
    for (const [outer, size, inner, ks] of views) {
      const n = outer * size * inner;
      const inputs: [string, Host][] = [
        ['random', randoms(n, size)],
        ['ties', ties(n, size + 1)],
        ['ties with NaN and ±∞', withSpecials(ties(n, size + 2), 4)],
        ['int32 ties', Int32Array.from(ties(n, size + 3))],
      ];
      for (const k of ks) {
        for (const largest of [true, false]) {
          for (const [what, x] of inputs) {
            const want = new Int32Array(outer * k * inner);
            cpuReduce.topk(x.slice(), outer, size, inner, k, largest, want);
            const got = await onGpu(x, sentinel(want.length, true), (gx, go) => webgpuReduce.topk(gx, outer, size, inner, k, largest, go));
            expectEqual(got, want, `topk ${what} [${outer}, ${size}, ${inner}] k ${k} ${largest ? 'largest' : 'smallest'}`);
          }
        }
      }
    }
  });

  it('one row of 100 000 elements: every kernel (sum within float32 summation error of the CPU)', async () => {
    const n = 100_000;
    const x = randoms(n, 99, -1, 1);
    x[77_777] = 5;
    x[12_345] = -5;
    for (const kernel of ['sum', 'max', 'min', 'logSumExp'] as const) await checkDims(kernel, x, [n], [0], 'long row');
    await checkDims('sum', Int32Array.from(x, (v) => Math.round(v * 1000)), [n], [0], 'long int32 row');
    const variance = new Float32Array(1);
    cpuReduce.variance(x.slice(), [n], [0], 1, variance);
    expectClose(await onGpu(x, sentinel(1, false), (gx, go) => webgpuReduce.variance(gx, [n], [0], 1, go)), variance, 'variance long row');
    for (const kernel of ['softmax', 'logSoftmax'] as const) {
      const want = new Float32Array(n);
      cpuReduce[kernel](x.slice(), [n], 0, want);
      expectClose(await onGpu(x, sentinel(n, false), (gx, go) => webgpuReduce[kernel](gx, [n], 0, go)), want, `${kernel} long row`);
    }
    for (const kernel of ['argmax', 'argmin'] as const) {
      const got = await onGpu(x, sentinel(1, true), (gx, go) => webgpuReduce[kernel](gx, 1, n, 1, go));
      expectEqual(got, Int32Array.of(kernel === 'argmax' ? 77_777 : 12_345), `${kernel} long row`);
    }
    const xt = x.slice();
    xt[500] = 5; // a tie with 77 777: the lower index ranks first
    for (const largest of [true, false]) {
      const want = new Int32Array(4);
      cpuReduce.topk(xt.slice(), 1, n, 1, 4, largest, want);
      expectEqual(await onGpu(xt, sentinel(4, true), (gx, go) => webgpuReduce.topk(gx, 1, n, 1, 4, largest, go)), want, `topk long row ${largest}`);
    }
  });

  it('is deterministic: the same float32 sum, twice, gives the same bits', async () => {
    const x = randoms(3 * 5000, 5, -1e4, 1e4);
    const run = (): Promise<Host> => onGpu(x, new Float32Array(3), (gx, go) => webgpuReduce.sum(gx, [3, 5000], [1], go));
    expectEqual(await run(), await run(), 'sum twice');
  });
});
