// GEMM throughput: WebAssembly SIMD kernel (with and without operand copies) vs the TS kernel.
// Run from packages/core: npx tsx --conditions=@tensorgrad/source bench/gemm.ts [--threads 2] [--quick]
// Prints the median GFLOP/s over repetitions after a warm-up. The conv rows are the im2col GEMMs
// of conv2d N=32, C=64, 16×16, 3×3, Cout=64 (K = 576, N = 32·256): forward W·X, input gradient
// Wᵀ·dY (A transposed), filter gradient dY·Xᵀ (B transposed).
import { loadavg } from 'node:os';
import { gemm, type MatrixView } from '../src/backend/cpu/gemm.js';
import { gemmInMemory, gemmWasm } from '../src/backend/cpu/wasm/gemm.js';
import { wasmAvailable, wasmScratch } from '../src/backend/cpu/wasm/runtime.js';
import { enableWasmGemmThreads } from '../src/backend/cpu/wasm/threads.js';

interface Shape {
  name: string;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
}

const shapes: Shape[] = [
  { name: 'linear-ish', M: 576, N: 1024, K: 64 },
  { name: 'wide', M: 64, N: 8192, K: 576 },
  { name: 'square', M: 1024, N: 1024, K: 1024 },
  { name: 'conv fwd  W·X', M: 64, N: 8192, K: 576 },
  { name: 'conv dX   Wᵀ·dY', M: 576, N: 8192, K: 64, transA: true },
  { name: 'conv dW   dY·Xᵀ', M: 64, N: 576, K: 8192, transB: true },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const threadsArg = args.indexOf('--threads');
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : 1;

function view(rows: number, cols: number, transposed: boolean, data: Float32Array): MatrixView {
  return transposed ? { data, offset: 0, rowStride: 1, colStride: rows } : { data, offset: 0, rowStride: cols, colStride: 1 };
}

function random(length: number): Float32Array {
  return Float32Array.from({ length }, () => Math.random() - 0.5);
}

/** Median seconds per call: one warm-up, then repetitions until `minReps` and `budget` seconds. */
function time(fn: () => void, minReps: number, budget: number): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < budget * 1000 && times.length < 50)) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    if (performance.now() - start > 4 * budget * 1000) break;
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  if (!wasmAvailable()) throw new Error('WebAssembly SIMD unavailable');
  if (threads > 1 && !(await enableWasmGemmThreads(threads))) throw new Error('threads unavailable');
  const budget = quick ? 0.3 : 1;
  console.log(`GFLOP/s, median (wasm threads: ${threads}; load average ${loadavg()[0]!.toFixed(1)})`);
  console.log(['shape', 'M×N×K', 'TS gemm', 'wasm (copies)', 'wasm (in memory)'].map((s, i) => s.padEnd(i < 2 ? 18 : 16)).join(''));
  for (const s of shapes) {
    const { M, N, K } = s;
    const flop = 2 * M * N * K;
    const A = view(M, K, s.transA ?? false, random(M * K));
    const B = view(K, N, s.transB ?? false, random(K * N));
    const C = new Float32Array(M * N);
    const tsSeconds = time(() => gemm(M, N, K, A, B, C, 0, false), 1, quick ? 0.2 : budget);
    const wasmSeconds = time(() => gemmWasm(M, N, K, A, B, C, 0, false), 3, budget);
    const [a, b, c] = wasmScratch([M * K, K * N, M * N]) as [Float32Array, Float32Array, Float32Array];
    a.set(A.data);
    b.set(B.data);
    const Am = { ...A, data: a };
    const Bm = { ...B, data: b };
    const memSeconds = time(() => gemmInMemory(M, N, K, Am, Bm, c, 0, false), 3, budget);
    const row = [s.name, `${M}×${N}×${K}`, ...[tsSeconds, wasmSeconds, memSeconds].map((t) => (flop / t / 1e9).toFixed(1))];
    console.log(row.map((x, i) => x.padEnd(i < 2 ? 18 : 16)).join(''));
  }
}

await main();
process.exit(0);
