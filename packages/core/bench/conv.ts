// conv2d throughput: N=32, C=64, 16×16, 3×3, 64 output channels, padding 1.
// Run from packages/core: npx tsx --conditions=@tensorgrad/source bench/conv.ts [--reps 7]
// Prints median ms and GFLOP/s (2·N·Cout·Cin·kH·kW·outH·outW per product: forward 1×,
// forward + backward (dx and dW) 3×) for float32 (WebAssembly SIMD GEMM when available) and
// float64 (TypeScript GEMM), then the GEMMs alone on the im2col shapes. The machine is shared:
// quote medians, expect noise (the load average is printed).
import { loadavg } from 'node:os';
import { conv2d, randn, type FloatDType } from '../src/index.js';
import { type MatrixView, gemm } from '../src/backend/cpu/gemm.js';
import { gemmWasm } from '../src/backend/cpu/wasm/gemm.js';
import { wasmAvailable } from '../src/backend/cpu/wasm/runtime.js';

const repsArg = process.argv.indexOf('--reps');
const reps = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 7;

function median(fn: () => void): number {
  fn(); // warm-up: JIT, scratch buffers and the conv pattern cache
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const report = (name: string, ms: number, flops: number): void =>
  console.log(`${name.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s`);

const [N, C, H, W, Cout, k] = [32, 64, 16, 16, 64, 3];
const convFlops = 2 * N * Cout * C * k * k * H * W;
console.log(`conv2d N=${N} C=${C} ${H}x${W} k=${k}x${k} Cout=${Cout} padding 1; median of ${reps}; load average ${loadavg()[0]!.toFixed(2)}`);

for (const dtype of ['float32', 'float64'] as FloatDType[]) {
  const engine = dtype === 'float32' && wasmAvailable() ? 'wasm SIMD GEMM' : 'TS GEMM';
  const x = randn([N, C, H, W], { dtype }).requiresGrad_();
  const w = randn([Cout, C, k, k], { dtype }).requiresGrad_();
  const b = randn([Cout], { dtype }).requiresGrad_();
  const dy = randn([N, Cout, H, W], { dtype });
  report(`conv2d ${dtype} forward (${engine})`, median(() => conv2d(x.detach(), w.detach(), b.detach(), { padding: 1 })), convFlops);
  report(`conv2d ${dtype} forward + backward (${engine})`, median(() => {
    x.grad = null;
    w.grad = null;
    b.grad = null;
    conv2d(x, w, b, { padding: 1 }).backward(dy);
  }), 3 * convFlops);
}

type Gemm = typeof gemm;
function gemmBench(kernel: Gemm, M: number, Nn: number, K: number, dtype: FloatDType): number {
  const make = (n: number) => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)).map(() => Math.random() - 0.5);
  const A = make(M * K);
  const B = make(K * Nn);
  const Cm = make(M * Nn);
  const a: MatrixView = { data: A, offset: 0, rowStride: K, colStride: 1 };
  const bv: MatrixView = { data: B, offset: 0, rowStride: Nn, colStride: 1 };
  return median(() => kernel(M, Nn, K, a, bv, Cm, 0, false));
}
const K = C * k * k;
for (const [label, M, Nn] of [['one image', Cout, H * W], ['whole batch', Cout, N * H * W]] as const) {
  const flops = 2 * M * Nn * K;
  report(`TS gemm float64 ${M}x${Nn}x${K} (${label})`, gemmBench(gemm, M, Nn, K, 'float64'), flops);
  report(`TS gemm float32 ${M}x${Nn}x${K} (${label})`, gemmBench(gemm, M, Nn, K, 'float32'), flops);
  if (wasmAvailable()) report(`wasm gemm float32 ${M}x${Nn}x${K} (${label}, copies)`, gemmBench(gemmWasm, M, Nn, K, 'float32'), flops);
}
