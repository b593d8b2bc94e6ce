// conv2d throughput, float32: N=32, C=64, 16×16, 3×3, 64 output channels, padding 1.
// Run from packages/core: npx tsx --conditions=@tensorgrad/source bench/conv.ts [--reps 7]
// Prints median ms and GFLOP/s (2·N·Cout·Cin·kH·kW·outH·outW per product: forward 1×,
// forward + backward (dx and dW) 3×), and the GEMM alone on the per-image and whole-batch
// im2col shapes. The machine is shared: quote medians, expect noise.
import { conv2d, randn } from '../src/index.js';
import { type MatrixView, gemm } from '../src/kernels/gemm.js';

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
  console.log(`${name.padEnd(38)} ${ms.toFixed(1).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s`);

const [N, C, H, W, Cout, k] = [32, 64, 16, 16, 64, 3];
const x = randn([N, C, H, W]).requiresGrad_();
const w = randn([Cout, C, k, k]).requiresGrad_();
const b = randn([Cout]).requiresGrad_();
const convFlops = 2 * N * Cout * C * k * k * H * W;
const dy = randn([N, Cout, H, W]);

console.log(`conv2d float32 N=${N} C=${C} ${H}x${W} k=${k}x${k} Cout=${Cout} padding 1, median of ${reps}`);
report('conv2d forward', median(() => conv2d(x.detach(), w.detach(), b.detach(), { padding: 1 })), convFlops);
report('conv2d forward + backward (dx, dW, db)', median(() => {
  x.grad = null;
  w.grad = null;
  b.grad = null;
  conv2d(x, w, b, { padding: 1 }).backward(dy);
}), 3 * convFlops);

function gemmBench(M: number, Nn: number, K: number): number {
  const A = new Float32Array(M * K).map(() => Math.random() - 0.5);
  const B = new Float32Array(K * Nn).map(() => Math.random() - 0.5);
  const Cm = new Float32Array(M * Nn);
  const a: MatrixView = { data: A, offset: 0, rowStride: K, colStride: 1 };
  const bv: MatrixView = { data: B, offset: 0, rowStride: Nn, colStride: 1 };
  return median(() => gemm(M, Nn, K, a, bv, Cm, 0, false));
}
const K = C * k * k;
report(`gemm float32 ${Cout}x${H * W}x${K} (one image)`, gemmBench(Cout, H * W, K), 2 * Cout * H * W * K);
report(`gemm float32 ${Cout}x${N * H * W}x${K} (whole batch)`, gemmBench(Cout, N * H * W, K), 2 * Cout * N * H * W * K);
