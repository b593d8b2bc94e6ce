// Normalisation's wasm kernels as tasks over 2 threads (norm-tasks.ts) give the bits of the
// single-threaded streamed kernels (norm.ts): forward outputs and statistics, the gradient sums
// and the input gradient, on shapes with several sums tasks (of one and of several groups), a
// ragged last combine task, inner sizes that are not multiples of 4, a single sample, and values
// of mixed magnitudes where any reordering of a float64 sum changes its bits.
import { expect } from 'chai';
import { setNumThreads } from '../../../index.js';
import { cpuNorm } from '../norm.js';
import { useNormTasks } from './norm-tasks.js';

/** mulberry32-driven values of both signs and magnitudes 1e-4 .. 1e4: float64 sums of them round, so any reordering shows. */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => (u() - 0.5) * 10 ** (u() * 8 - 4));
}

/** [outer, groups, inner]: one group per sums task, several (48 = 8 tasks of 6), odd inners, a layerNorm-like single sample. */
const shapes: [number, number, number][] = [
  [37, 5, 1000],
  [150, 48, 49],
  [9, 3, 8191],
  [1, 70, 1001],
];

interface Results {
  y: Float32Array;
  mean: Float64Array;
  variance: Float64Array;
  sums: Float64Array;
  dx: Float32Array;
}

function run([outer, groups, inner]: [number, number, number], seed: number): Results {
  const n = outer * groups * inner;
  const x = values(n, seed);
  const g = values(n, seed + 1);
  const w = values(groups, seed + 2);
  const b = values(groups, seed + 3);
  const r: Results = { y: new Float32Array(n), mean: new Float64Array(groups), variance: new Float64Array(groups), sums: new Float64Array(2 * groups), dx: new Float32Array(n) };
  cpuNorm.normalize(x, outer, groups, inner, w, b, 1e-5, r.y, r.mean, r.variance);
  cpuNorm.normalizeSums(g, x, outer, groups, inner, r.mean, r.variance, 1e-5, r.sums);
  cpuNorm.normalizeBackward(g, x, outer, groups, inner, r.mean, r.variance, 1e-5, outer * inner, r.sums, w, r.dx);
  return r;
}

const bytes = (a: Float32Array | Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function firstDifference(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  const x = bytes(a);
  const y = bytes(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

describe('normalisation as tasks over the threads (wasm/norm-tasks.ts)', function () {
  this.timeout(20000);
  afterEach(async () => {
    await setNumThreads(1);
  });

  for (const [i, shape] of shapes.entries()) {
    it(`2 threads give the 1-thread bits: forward, statistics, sums, input gradient [${shape.join(', ')}]`, async () => {
      const n = shape[0] * shape[1] * shape[2];
      expect(useNormTasks(n), '1 thread: streamed kernels').to.equal(false);
      const one = run(shape, 10 * i + 1);
      expect(await setNumThreads(2)).to.equal(true);
      expect(useNormTasks(n), '2 threads: tasks').to.equal(true);
      const two = run(shape, 10 * i + 1);
      for (const k of ['mean', 'variance', 'y', 'sums', 'dx'] as const) {
        const at = firstDifference(one[k], two[k]);
        expect(at, `${k}[${at}]: 1 thread ${one[k][at]}, 2 threads ${two[k][at]}`).to.equal(-1);
      }
    });
  }
});
