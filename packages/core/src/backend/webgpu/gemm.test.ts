// webgpuGemm on Dawn against the CPU's gemm on the same float32 inputs: odd sizes around the blocks
// (32×64 ... 4×512) and the K slices, transposed and offset views, accumulate, batches with broadcast
// offsets, and the edge cases (K = 0, no products).
import { expect } from 'chai';
import { ArgumentError, DTypeError, DeviceError } from '../../errors.js';
import { cpuGemm } from '../cpu/gemm.js';
import type { MatrixView } from '../gemm.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { webgpuGemm } from './gemm.js';
import type { GpuArray } from './gpu-array.js';
import type { WebGPURuntime } from './runtime.js';
import { TILES, chooseTile } from './tiled.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

/** Deterministic values in [-1, 1). */
export function randomFloats(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface Operand {
  host: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/**
 * A rows×cols operand at `offset` in an array, stored row-major or transposed (column-major): its
 * elements random, everything around them NaN, so a read outside the view poisons the result.
 */
function operand(rows: number, cols: number, transposed: boolean, offset: number, seed: number): Operand {
  const host = new Float32Array(offset + 2 * rows * cols + 3).fill(NaN);
  host.set(randomFloats(rows * cols, seed), offset);
  return {
    host,
    offset,
    rowStride: transposed ? 1 : cols,
    colStride: transposed ? rows : 1,
  };
}

describe('webgpu gemm (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  const view = <A>(o: Operand, data: A): MatrixView<A> => ({ data, offset: o.offset, rowStride: o.rowStride, colStride: o.colStride });

  /** Runs one (batched when offsets are given) product on both backends; C starts as `c0`. */
  async function compare(
    M: number, N: number, K: number, a: Operand, b: Operand, c0: Float32Array, cOffset: number, accumulate: boolean,
    batch?: { a: number[]; b: number[] },
  ): Promise<void> {
    const want = c0.slice();
    const [ga, gb, gc] = [rt.upload(a.host), rt.upload(b.host), rt.upload(c0)];
    if (batch === undefined) {
      cpuGemm.gemm(M, N, K, view(a, a.host), view(b, b.host), want, cOffset, accumulate);
      webgpuGemm.gemm(M, N, K, view(a, ga), view(b, gb), gc, cOffset, accumulate);
    } else {
      cpuGemm.gemmBatched(M, N, K, view(a, a.host), batch.a, view(b, b.host), batch.b, want, cOffset, accumulate);
      webgpuGemm.gemmBatched(M, N, K, view(a, ga), batch.a, view(b, gb), batch.b, gc, cOffset, accumulate);
    }
    const got = await rt.readAsync(gc);
    for (const g of [ga, gb, gc]) rt.release(g);
    expect(describeMismatch(got, want, GPU_TOLERANCE), `${M}x${N}x${K}`).to.equal(null);
  }

  it('matches the CPU for odd sizes, transposed views and offsets', async () => {
    const sizes: [number, number, number][] = [[1, 1, 1], [7, 13, 5], [33, 65, 17], [32, 64, 16], [5, 70, 40], [40, 3, 33], [1, 600, 3], [7, 250, 5]];
    // Between them the sizes run every block shape of the shader.
    expect(new Set(sizes.map(([M, N]) => chooseTile(M, N))).size).to.equal(TILES.length);
    let seed = 1;
    for (const [M, N, K] of sizes) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = operand(M, K, ta, ta ? 3 : 0, seed++);
        const b = operand(K, N, tb, tb ? 0 : 5, seed++);
        // C's prior contents are NaN: without accumulate they must be ignored.
        await compare(M, N, K, a, b, new Float32Array(M * N + 4).fill(NaN), 2, false);
      }
    }
  });

  it('accumulates into C when asked, and leaves elements outside the block alone', async () => {
    const a = operand(9, 20, false, 0, 11);
    const b = operand(20, 70, true, 1, 12);
    const c0 = randomFloats(9 * 70 + 10, 13);
    await compare(9, 70, 20, a, b, c0, 7, true);
  });

  it('K = 0 writes zeros (or keeps C when accumulating); M = 0 and an empty batch write nothing', async () => {
    const a = operand(3, 1, false, 0, 1);
    const b = operand(1, 4, false, 0, 2);
    await compare(3, 4, 0, a, b, new Float32Array(12).fill(NaN), 0, false);
    await compare(3, 4, 0, a, b, randomFloats(12, 3), 0, true);
    await compare(0, 4, 1, a, b, randomFloats(12, 4), 0, false);
    await compare(3, 4, 1, a, b, randomFloats(12, 5), 0, false, { a: [], b: [] });
  });

  it('batched products read A and B at per-product offsets (broadcast: repeated offsets)', async () => {
    const [M, N, K] = [6, 10, 7];
    // A holds 2 matrices (transposed), B 3; 6 products pair them as a broadcast [2, 3] batch would.
    const a = operand(M, K, true, 1, 21);
    a.host = randomFloats(1 + 2 * M * K, 21);
    const b = operand(K, N, false, 0, 22);
    b.host = randomFloats(3 * K * N, 22);
    const batch = { a: [0, 0, 0, 1, 1, 1].map((i) => i * M * K), b: [0, 1, 2, 0, 1, 2].map((i) => i * K * N) };
    await compare(M, N, K, a, b, new Float32Array(3 + 6 * M * N).fill(NaN), 3, false, batch);
    await compare(M, N, K, a, b, randomFloats(3 + 6 * M * N, 23), 3, true, batch);
  });

  it('sums of many products stay within GPU_TOLERANCE (K = 300)', async () => {
    await compare(20, 30, 300, operand(20, 300, false, 0, 31), operand(300, 30, false, 0, 32), new Float32Array(600), 0, false);
  });

  it('refuses CPU arrays, int32 arrays and mismatched batch offsets', () => {
    const g = rt.upload(new Float32Array(4));
    const i = rt.upload(new Int32Array(4));
    const v = (data: Float32Array | GpuArray): MatrixView => ({ data, offset: 0, rowStride: 2, colStride: 1 });
    expect(() => webgpuGemm.gemm(2, 2, 2, v(new Float32Array(4)), v(g), g, 0, false)).to.throw(DeviceError, /^gemm: .*CPU Float32Array as A/);
    expect(() => webgpuGemm.gemm(2, 2, 2, v(g), v(g), i, 0, false)).to.throw(DTypeError, /^gemm: C must be float32 on WebGPU, got int32/);
    expect(() => webgpuGemm.gemmBatched(2, 2, 2, v(g), [0], v(g), [0, 0], g, 0, false)).to.throw(ArgumentError, /one entry per product, got 1 and 2/);
    rt.release(g);
    rt.release(i);
  });
});
