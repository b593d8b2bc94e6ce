// C[M×N] (+)= op(A)[M×K] · op(B)[K×N] over typed arrays with explicit offsets and strides.
// Cache-blocked and register-tiled (the Goto/BLIS scheme): for each KC-deep slice of K, a
// KC×NC block of B is packed into NR-wide column panels and an MC×KC block of A into MR-tall
// row panels (both zero-padded to full tiles), then an MR×NR micro-kernel keeps its C tile in
// local variables while streaming the two panels. Packing makes every operand layout
// (transposed, strided, float32 or float64) look the same to the micro-kernel and converts
// float32 to float64 once, not at every multiply. The panels come from storage and go back to it
// after each call: fresh memory is slow to touch, so it is touched once.
// cpuGemm (the CPU backend's GemmKernels) runs large float32 products in WebAssembly SIMD
// (wasm/gemm.ts) and everything else here.
import type { GemmKernels, MatrixView as GemmMatrixView } from '../gemm.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { MIN_POOLED_LENGTH, allocateUninitialized, recycle } from '../../tensor/storage.js';
import { roundUp } from './align.js';
import { gemmWasm } from './wasm/gemm.js';
import { wasmAvailable } from './wasm/runtime.js';

/** A matrix view over a CPU typed array. */
export type MatrixView = GemmMatrixView<TypedArray>;

const MR = 4;
const NR = 4;
/** Depth of a packed slice: an MR×KC panel of A (8 KB) stays in L1 while B streams. */
const KC = 256;
/** Rows of A packed at once (MC×KC doubles = 256 KB, for L2). */
const MC = 128;
/** Columns of B packed at once (KC×NC doubles = 4 MB at most). */
const NC = 2048;

/**
 * Panels are at least this long: storage reuses only arrays this large, and a smaller one would
 * be a fresh allocation on every call (7× the time of a 4×4 product).
 */
const MIN_PANEL = MIN_POOLED_LENGTH;
/** The C tile of an edge micro-tile, before the valid part is added to C. */
const edgeTile = new Float64Array(MR * NR);

export function gemm(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
  if (M === 0 || N === 0 || K === 0) return;
  const kcMax = Math.min(K, KC);
  const pa = allocateUninitialized('float64', Math.max(MIN_PANEL, roundUp(Math.min(M, MC), MR) * kcMax)) as Float64Array;
  const pb = allocateUninitialized('float64', Math.max(MIN_PANEL, roundUp(Math.min(N, NC), NR) * kcMax)) as Float64Array;
  for (let j0 = 0; j0 < N; j0 += NC) {
    const nc = Math.min(NC, N - j0);
    for (let p0 = 0; p0 < K; p0 += KC) {
      const kc = Math.min(KC, K - p0);
      packB(B, p0, kc, j0, nc, pb);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        packA(A, i0, mc, p0, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bOff = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const cOff = cOffset + (i0 + ir) * N + j0 + jr;
            if (mr === MR && nr === NR) microKernel(kc, pa, ir * kc, pb, bOff, C, cOff, N);
            else edgeKernel(kc, pa, ir * kc, pb, bOff, C, cOff, N, mr, nr);
          }
        }
      }
    }
  }
  recycle(pa, 'float64');
  recycle(pb, 'float64');
}

/** Rows i0..i0+mc, columns p0..p0+kc of op(A) as MR-row panels: panel r holds [k][MR]. */
function packA(A: MatrixView, i0: number, mc: number, p0: number, kc: number, out: Float64Array): void {
  const a = A.data;
  const rs = A.rowStride;
  const cs = A.colStride;
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = A.offset + (i0 + ir) * rs + p0 * cs;
    if (rows === MR) {
      let q = base;
      for (let k = 0; k < kc; k++, q += cs, o += MR) {
        out[o] = a[q]!;
        out[o + 1] = a[q + rs]!;
        out[o + 2] = a[q + 2 * rs]!;
        out[o + 3] = a[q + 3 * rs]!;
      }
    } else {
      for (let k = 0; k < kc; k++, o += MR) {
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? a[base + r * rs + k * cs]! : 0;
      }
    }
  }
}

/** Rows p0..p0+kc, columns j0..j0+nc of op(B) as NR-column panels: panel c holds [k][NR]. */
function packB(B: MatrixView, p0: number, kc: number, j0: number, nc: number, out: Float64Array): void {
  const b = B.data;
  const rs = B.rowStride;
  const cs = B.colStride;
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const base = B.offset + p0 * rs + (j0 + jr) * cs;
    if (cols === NR) {
      let q = base;
      for (let k = 0; k < kc; k++, q += rs, o += NR) {
        out[o] = b[q]!;
        out[o + 1] = b[q + cs]!;
        out[o + 2] = b[q + 2 * cs]!;
        out[o + 3] = b[q + 3 * cs]!;
      }
    } else {
      for (let k = 0; k < kc; k++, o += NR) {
        for (let c = 0; c < NR; c++) out[o + c] = c < cols ? b[base + k * rs + c * cs]! : 0;
      }
    }
  }
}

/** C[4×4 tile at cOff, row stride ldc] += Apanel[kc×4]ᵀ · Bpanel[kc×4]. */
function microKernel(kc: number, pa: Float64Array, aOff: number, pb: Float64Array, bOff: number, C: TypedArray, cOff: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ia = aOff;
  let ib = bOff;
  for (let k = 0; k < kc; k++, ia += MR, ib += NR) {
    const b0 = pb[ib]!, b1 = pb[ib + 1]!, b2 = pb[ib + 2]!, b3 = pb[ib + 3]!;
    const a0 = pa[ia]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    const a1 = pa[ia + 1]!;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    const a2 = pa[ia + 2]!;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    const a3 = pa[ia + 3]!;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  let o = cOff;
  C[o]! += c00; C[o + 1]! += c01; C[o + 2]! += c02; C[o + 3]! += c03;
  o += ldc;
  C[o]! += c10; C[o + 1]! += c11; C[o + 2]! += c12; C[o + 3]! += c13;
  o += ldc;
  C[o]! += c20; C[o + 1]! += c21; C[o + 2]! += c22; C[o + 3]! += c23;
  o += ldc;
  C[o]! += c30; C[o + 1]! += c31; C[o + 2]! += c32; C[o + 3]! += c33;
}

/** A partial tile (mr < MR or nr < NR) at the bottom/right edge: computed whole, added in part. */
function edgeKernel(kc: number, pa: Float64Array, aOff: number, pb: Float64Array, bOff: number, C: TypedArray, cOff: number, ldc: number, mr: number, nr: number): void {
  const t = edgeTile;
  t.fill(0);
  let ia = aOff;
  let ib = bOff;
  for (let k = 0; k < kc; k++, ia += MR, ib += NR) {
    for (let r = 0; r < MR; r++) {
      const a = pa[ia + r]!;
      for (let c = 0; c < NR; c++) t[r * NR + c]! += a * pb[ib + c]!;
    }
  }
  for (let r = 0; r < mr; r++) for (let c = 0; c < nr; c++) C[cOff + r * ldc + c]! += t[r * NR + c]!;
}

/** The textbook triple loop, kept as the reference the fast kernel is tested against. */
export function gemmReference(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A.data[A.offset + i * A.rowStride + k * A.colStride]! * B.data[B.offset + k * B.rowStride + j * B.colStride]!;
      const o = cOffset + i * N + j;
      C[o] = accumulate ? C[o]! + s : s;
    }
  }
}

/** Products below this many multiply-adds stay in TypeScript: staging them into wasm memory costs more. */
const MIN_WASM_MACS = 512;

/** Whether a product runs in the WebAssembly SIMD kernel: float32 throughout and large enough. */
function useWasm(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray): boolean {
  return C instanceof Float32Array && A.data instanceof Float32Array && B.data instanceof Float32Array && M * N * K >= MIN_WASM_MACS && wasmAvailable();
}

/** The CPU backend's GEMM kernels (backend/gemm.ts). */
export const cpuGemm: GemmKernels<TypedArray> = {
  gemm(M, N, K, A, B, C, cOffset, accumulate) {
    (useWasm(M, N, K, A, B, C) ? gemmWasm : gemm)(M, N, K, A, B, C, cOffset, accumulate);
  },
  gemmBatched(M, N, K, A, aOffsets, B, bOffsets, C, cOffset, accumulate) {
    const kernel = useWasm(M, N, K, A, B, C) ? gemmWasm : gemm;
    for (let i = 0; i < aOffsets.length; i++) {
      const a = { data: A.data, offset: A.offset + aOffsets[i]!, rowStride: A.rowStride, colStride: A.colStride };
      const b = { data: B.data, offset: B.offset + bOffsets[i]!, rowStride: B.rowStride, colStride: B.colStride };
      kernel(M, N, K, a, b, C, cOffset + i * M * N, accumulate);
    }
  },
};
