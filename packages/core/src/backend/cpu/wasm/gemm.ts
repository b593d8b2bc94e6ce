// The GEMM glue: float32 C (+)= A·B in WebAssembly SIMD (assembly/gemm.ts), with the contract of
// the TypeScript gemm (backend/cpu/gemm.ts). Two entry points:
//  - gemmWasm: drop-in for `gemm` on Float32Arrays; copies the operands into scratch (one memcpy
//    of each operand's span: transposed/strided views keep their strides and are packed by the
//    wasm code), runs, copies C back.
//  - wasmScratch + gemmInMemory / gemmBatchedInMemory: operands already in wasm memory (e.g.
//    gathered there by a conv), no copies.
// While threads are on, every product goes to the runtime's GemmExecutor (threads.ts).
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import type { MatrixView as GemmMatrixView } from '../../gemm.js';

type MatrixView = GemmMatrixView<TypedArray>;
import { type WasmRuntime, gemmExecutor, requireWasmRuntime, wasmScratch } from './runtime.js';

/** assembly/gemm.ts: C (+)= A·B on byte pointers, strides in elements, packing in `work`. */
export interface GemmExports {
  gemm(M: number, N: number, K: number, a: number, aRs: number, aCs: number, b: number, bRs: number, bCs: number, c: number, ldc: number, accumulate: number, work: number): void;
  /** gemm on an A that packGemmA packed (same bits, no packing of A). */
  gemmPackedA(M: number, N: number, K: number, pa: number, b: number, bRs: number, bCs: number, c: number, ldc: number, accumulate: number, work: number): void;
  packGemmA(M: number, K: number, a: number, aRs: number, aCs: number, dst: number): void;
}

/** Rows and columns of the GEMM's register tile (assembly/gemm.ts MR, NR): packed operands pad to them. */
export const GEMM_MR = 4;
export const GEMM_NR = 8;

/** Floats that packGemmA writes for an M×K A (gemmPackedA's operand). */
export const packedALength = (M: number, K: number): number => roundUp(M, GEMM_MR) * K;

/**
 * Packs the M×K matrix A (element (i, k) at A[offset + i·rs + k·cs], A a wasmScratch view) into
 * `dst` from element dstOffset (packedALength(M, K) floats, a wasmScratch view), on the calling
 * thread, for gemmPackedA calls: products that share one A (a conv's filter against every task's
 * columns) then pack it once instead of once per product.
 */
export function packGemmAInMemory(M: number, K: number, A: Float32Array, offset: number, rs: number, cs: number, dst: Float32Array, dstOffset = 0): void {
  const runtime = requireWasmRuntime('packGemmAInMemory');
  if (dstOffset < 0 || dstOffset + packedALength(M, K) > dst.length) {
    throw new RangeError(`packGemmAInMemory: dst needs ${packedALength(M, K)} floats from element ${dstOffset}, it has ${dst.length}`);
  }
  (runtime.exports as unknown as GemmExports).packGemmA(M, K, pointerOf(runtime, 'A', A, offset, 'packGemmAInMemory'), rs, cs, pointerOf(runtime, 'dst', dst, dstOffset, 'packGemmAInMemory'));
}

function pointerOf(runtime: WasmRuntime, what: string, data: TypedArray, offset: number, fn = 'gemmInMemory'): number {
  if (!(data instanceof Float32Array) || data.buffer !== runtime.memory.buffer) {
    throw new Error(`${fn}: ${what} must be a Float32Array view from wasmScratch (called since the last wasmScratch)`);
  }
  return data.byteOffset + 4 * offset;
}

/**
 * C (+)= A·B where A, B and C are views returned by wasmScratch (no copies). A is M×K, B is K×N
 * with any non-negative strides (transposed operands are fine); C is row-major at cOffset with
 * row stride ldc (default N).
 */
export function gemmInMemory(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: Float32Array, cOffset: number, accumulate: boolean, ldc = N): void {
  if (M === 0 || N === 0) return;
  const runtime = requireWasmRuntime('gemmInMemory');
  const a = pointerOf(runtime, 'A', A.data, A.offset);
  const b = pointerOf(runtime, 'B', B.data, B.offset);
  const c = pointerOf(runtime, 'C', C, cOffset);
  const executor = gemmExecutor(runtime);
  if (executor) executor.run(M, N, K, a, A.rowStride, A.colStride, b, B.rowStride, B.colStride, c, ldc, accumulate);
  else (runtime.exports as unknown as GemmExports).gemm(M, N, K, a, A.rowStride, A.colStride, b, B.rowStride, B.colStride, c, ldc, accumulate ? 1 : 0, runtime.workspaces[0]!);
}

/**
 * gemmInMemory for `count` products of one shape: product i reads A and B displaced by
 * i·aStride and i·bStride elements and writes C displaced by i·cStride (all wasmScratch views).
 */
export function gemmBatchedInMemory(
  count: number, M: number, N: number, K: number, A: MatrixView, aStride: number, B: MatrixView, bStride: number, C: Float32Array, cOffset: number, cStride: number,
  accumulate: boolean, ldc = N,
): void {
  if (count === 0 || M === 0 || N === 0) return;
  const runtime = requireWasmRuntime('gemmBatchedInMemory');
  const a = pointerOf(runtime, 'A', A.data, A.offset);
  const b = pointerOf(runtime, 'B', B.data, B.offset);
  const c = pointerOf(runtime, 'C', C, cOffset);
  const executor = gemmExecutor(runtime);
  if (executor) {
    executor.runBatched(count, M, N, K, a, A.rowStride, A.colStride, aStride, b, B.rowStride, B.colStride, bStride, c, ldc, cStride, accumulate);
    return;
  }
  const { gemm } = runtime.exports as unknown as GemmExports;
  const work = runtime.workspaces[0]!;
  for (let i = 0; i < count; i++) {
    gemm(M, N, K, a + 4 * i * aStride, A.rowStride, A.colStride, b + 4 * i * bStride, B.rowStride, B.colStride, c + 4 * i * cStride, ldc, accumulate ? 1 : 0, work);
  }
}

/** The elements [lo, hi) of `data` a rows×cols view reads, or null if not a compact span. */
function spanOf(v: MatrixView, rows: number, cols: number): { lo: number; hi: number } | null {
  if (v.rowStride < 0 || v.colStride < 0) return null;
  const hi = v.offset + (rows - 1) * v.rowStride + (cols - 1) * v.colStride + 1;
  // A span much larger than the matrix (e.g. a column of a wide matrix) is compacted instead.
  return hi - v.offset <= 2 * rows * cols + 64 ? { lo: v.offset, hi } : null;
}

/** Space an operand occupies in scratch: its span, or rows×cols when compacted. */
function stagedLength(v: MatrixView, rows: number, cols: number): number {
  const span = spanOf(v, rows, cols);
  return span ? span.hi - span.lo : rows * cols;
}

/** Copies a rows×cols operand into `dst` (a scratch view) and returns its view there. */
function stage(v: MatrixView, rows: number, cols: number, dst: Float32Array): MatrixView {
  const src = v.data as Float32Array;
  const span = spanOf(v, rows, cols);
  if (span) {
    dst.set(src.subarray(span.lo, span.hi));
    return { data: dst, offset: 0, rowStride: v.rowStride, colStride: v.colStride };
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) dst[i * cols + j] = src[v.offset + i * v.rowStride + j * v.colStride]!;
  }
  return { data: dst, offset: 0, rowStride: cols, colStride: 1 };
}

/**
 * Drop-in for backend/cpu/gemm.ts `gemm` on float32: C[cOffset.., row-major M×N] (+)= A·B.
 * Throws if an operand is not a Float32Array or WebAssembly SIMD is unavailable. Operands that
 * are all wasmScratch views go straight to gemmInMemory.
 */
export function gemmWasm(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean): void {
  if (!(A.data instanceof Float32Array && B.data instanceof Float32Array && C instanceof Float32Array)) {
    throw new TypeError('gemmWasm: A, B and C must be Float32Arrays');
  }
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
    return;
  }
  const buffer = requireWasmRuntime('gemmWasm').memory.buffer;
  const inMemory = [A.data, B.data, C].filter((x) => x.buffer === buffer).length;
  if (inMemory === 3) return gemmInMemory(M, N, K, A, B, C, cOffset, accumulate);
  if (inMemory > 0) throw new Error('gemmWasm: operands must all live in wasm memory (use gemmInMemory) or none of them');
  const [sa, sb, sc] = wasmScratch([stagedLength(A, M, K), stagedLength(B, K, N), M * N]) as [Float32Array, Float32Array, Float32Array];
  const a = stage(A, M, K, sa);
  const b = stage(B, K, N, sb);
  if (accumulate) sc.set(C.subarray(cOffset, cOffset + M * N));
  gemmInMemory(M, N, K, a, b, sc, 0, accumulate);
  C.set(sc, cOffset);
}
