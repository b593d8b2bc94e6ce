// The WebGPU backend's GEMM kernels (backend/gemm.ts): C (+)= A·B on the tiled shader (tiled.ts),
// A and B read through their strided views (so transposed and broadcast operands need no copies),
// one product per workgroup z; a batch's per-product offsets go to the GPU as an int32 array
// [aOffset0, bOffset0, aOffset1, bOffset1, ...].
import { ArgumentError } from '../../errors.js';
import type { KernelArray } from '../storage.js';
import type { GemmKernels, MatrixView } from '../gemm.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { webgpuRuntime, type WebGPURuntime } from './runtime.js';
import { TiledShader, runTiled } from './tiled.js';

const GEMM = new TiledShader({
  name: 'gemm',
  bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<storage, read> offsets: array<i32>;`,
  params: ['aOff', 'aRow', 'aCol', 'bOff', 'bRow', 'bCol', 'cOff', 'accumulate'],
  // An element's index is its row's (column's) start plus its depth's displacement.
  functions: /* wgsl */ `
alias ARow = i32;
alias ADepth = i32;
alias BDepth = i32;
alias BCol = i32;
fn aRow(z: i32, r: i32) -> i32 { return p.aOff + offsets[2 * z] + r * p.aRow; }
fn aDepth(z: i32, k: i32) -> i32 { return k * p.aCol; }
fn loadA(r: i32, k: i32) -> f32 { return A[r + k]; }
fn bDepth(z: i32, k: i32) -> i32 { return k * p.bRow; }
fn bCol(z: i32, c: i32) -> i32 { return p.bOff + offsets[2 * z + 1] + c * p.bCol; }
fn loadB(k: i32, c: i32) -> f32 { return B[k + c]; }
fn store(z: i32, s: i32, r: i32, c: i32, v: f32) {
  let i = p.cOff + (z * p.M + r) * p.N + c;
  if (p.accumulate != 0) { C[i] = C[i] + v; } else { C[i] = v; }
}`,
});

/** The offsets array of an unbatched product ([0, 0]), one per runtime. */
const zeroOffsets = new WeakMap<WebGPURuntime, GpuArray>();

function run(
  op: string, M: number, N: number, K: number, A: MatrixView<KernelArray>, B: MatrixView<KernelArray>, C: KernelArray, cOffset: number, accumulate: boolean,
  offsets: readonly number[] | null,
): void {
  const a = gpuArrayOf(A.data, op, 'A', 'float32');
  const b = gpuArrayOf(B.data, op, 'B', 'float32');
  const c = gpuArrayOf(C, op, 'C', 'float32');
  const products = offsets === null ? 1 : offsets.length / 2;
  if (M === 0 || N === 0 || products === 0) return;
  for (const [name, v] of [['A', A], ['B', B]] as const) {
    for (const value of [v.offset, v.rowStride, v.colStride]) {
      if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) {
        throw new ArgumentError(`${op}: ${name}'s offset and strides must be integers from 0 to 2³¹−1, got offset ${v.offset}, rowStride ${v.rowStride}, colStride ${v.colStride}`);
      }
    }
  }
  const runtime = webgpuRuntime();
  let meta: GpuArray;
  if (offsets === null) {
    meta = zeroOffsets.get(runtime) ?? runtime.upload(new Int32Array(2));
    zeroOffsets.set(runtime, meta);
  } else {
    meta = runtime.upload(Int32Array.from(offsets));
  }
  const params = [A.offset, A.rowStride, A.colStride, B.offset, B.rowStride, B.colStride, cOffset, accumulate ? 1 : 0];
  runTiled(runtime, GEMM, [a, b, c, meta], { M, N, K, params, products });
  // The queue runs the kernel before any later write into the recycled buffer (runtime.ts).
  if (offsets !== null) runtime.release(meta);
}

/** The WebGPU backend's GEMM kernels (float32). */
export const webgpuGemm: GemmKernels = {
  gemm(M, N, K, A, B, C, cOffset, accumulate) {
    run('gemm', M, N, K, A, B, C, cOffset, accumulate, null);
  },
  gemmBatched(M, N, K, A, aOffsets, B, bOffsets, C, cOffset, accumulate) {
    if (aOffsets.length !== bOffsets.length) {
      throw new ArgumentError(`gemmBatched: aOffsets and bOffsets must have one entry per product, got ${aOffsets.length} and ${bOffsets.length}`);
    }
    const offsets = new Array<number>(2 * aOffsets.length);
    for (let i = 0; i < aOffsets.length; i++) {
      for (const o of [aOffsets[i]!, bOffsets[i]!]) {
        if (!Number.isSafeInteger(o) || o < 0 || o > 0x7fffffff) {
          throw new ArgumentError(`gemmBatched: offsets must be integers from 0 to 2³¹−1, got ${o} for product ${i}`);
        }
      }
      offsets[2 * i] = aOffsets[i]!;
      offsets[2 * i + 1] = bOffsets[i]!;
    }
    run('gemmBatched', M, N, K, A, B, C, cOffset, accumulate, offsets);
  },
};
