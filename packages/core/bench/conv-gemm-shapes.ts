// wasm GEMM GFLOP/s on the fmnist CNN conv shapes, one GEMM per image vs one per batch.
// Run from packages/core: npx tsx --conditions=@tensorgrad/source bench/conv-gemm-shapes.ts [threads=1]
import { gemmInMemory } from '../src/backend/cpu/wasm/gemm.js';
import { wasmScratch } from '../src/backend/cpu/wasm/runtime.js';
import { setNumThreads } from '../src/index.js';
const threads = Number(process.argv[2] ?? 1);
await setNumThreads(threads);
function bench(label: string, M: number, N: number, K: number, reps: number, aT = false, bT = false) {
  const [A, B, C] = wasmScratch([M * K, K * N, M * N]) as Float32Array[];
  A!.forEach((_, i) => (A![i] = Math.random())); B!.forEach((_, i) => (B![i] = Math.random()));
  const av = aT ? { data: A!, offset: 0, rowStride: 1, colStride: M } : { data: A!, offset: 0, rowStride: K, colStride: 1 };
  const bv = bT ? { data: B!, offset: 0, rowStride: 1, colStride: K } : { data: B!, offset: 0, rowStride: N, colStride: 1 };
  const ts: number[] = [];
  for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < reps; i++) gemmInMemory(M, N, K, av, bv, C!, 0, false); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b); const t = ts[2]!;
  console.log(`${label.padEnd(30)} M${M} N${N} K${K} x${reps}: ${t.toFixed(1)} ms ${(2 * M * N * K * reps / t / 1e6).toFixed(1)} GF/s`);
}
bench('L2 fwd per image', 64, 196, 288, 128);
bench('L2 fwd batched', 64, 196 * 128, 288, 1);
bench('L2 dx per image (At)', 288, 196, 64, 128, true);
bench('L2 dx batched (At)', 288, 196 * 128, 64, 1, true);
bench('L2 dW per image (Bt)', 64, 288, 196, 128, false, true);
bench('L2 dW batched (Bt)', 64, 288, 196 * 128, 1, false, true);
bench('L3 fwd per image', 128, 49, 576, 128);
bench('L3 fwd batched', 128, 49 * 128, 576, 1);
bench('L3 dx per image (At)', 576, 49, 128, 128, true);
bench('L3 dx batched (At)', 576, 49 * 128, 128, 1, true);
bench('L3 dW per image (Bt)', 128, 576, 49, 128, false, true);
bench('L3 dW batched (Bt)', 128, 576, 49 * 128, 1, false, true);
bench('L1 fwd per image', 32, 784, 9, 128);
bench('L1 fwd batched', 32, 784 * 128, 9, 1);
await setNumThreads(1);
