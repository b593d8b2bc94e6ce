// Where a conv strategy stages its GEMM operands, and the GEMM that reads them there.
import type { TypedArray } from '../../../tensor/dtype.js';
import { allocateUninitialized, recycle } from '../../../tensor/storage.js';
import { type MatrixView, gemm } from '../gemm.js';
import { gemmInMemory } from '../wasm/gemm.js';
import { wasmAvailable, wasmScratch } from '../wasm/runtime.js';
import type { FloatType } from './types.js';

export interface ConvWorkspace {
  buffers: TypedArray[];
  gemm: (M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean) => void;
  /** Ends the use of the buffers (a strategy calls it when done with them). */
  release(): void;
}

const keep = (): void => {};

/**
 * Buffers of the given lengths for a conv's operands (contents stale). float32 runs in the
 * WebAssembly SIMD GEMM when the runtime has it: the buffers are then views of wasm scratch
 * (valid until the next wasmScratch), so operands are gathered or copied there once and multiplied
 * without further copies. Otherwise (float64, or no SIMD) they are arrays for the TypeScript GEMM
 * from tensor/storage, given back on release, so the next conv of the same geometry reuses them
 * (fresh memory is slow to touch). A length too large for one array throws an AllocationError,
 * as a tensor of that size would.
 */
export function convWorkspace(dtype: FloatType, lengths: readonly number[]): ConvWorkspace {
  if (dtype === 'float32' && wasmAvailable()) {
    return { buffers: wasmScratch(lengths), gemm: (M, N, K, A, B, C, o, acc) => gemmInMemory(M, N, K, A, B, C as Float32Array, o, acc), release: keep };
  }
  const buffers = lengths.map((n) => allocateUninitialized(dtype, n));
  return { buffers, gemm, release: () => buffers.forEach((b) => recycle(b, dtype)) };
}
