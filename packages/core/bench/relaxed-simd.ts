// Fast math (setFastMath: relaxed-SIMD GEMM with fused multiply-add) against the default,
// bit-exact kernel, alternating the two modes round by round in one process: float32 GEMM GFLOP/s
// at 256³, 512³ and 1024³ (operands already in wasm memory, as conv2d's are), and one training
// step of the default fmnist CNN (batch 128, Adam; built here from core's ops with the layers of
// nn's fmnistCnn: three conv3×3-BN-maxpool-ReLU stages of 32, 64, 128 channels, dropout, linear).
// One thread: CPU time (robust to a busy machine descheduling us); more threads: wall time.
// Medians over rounds. Node 20 needs the flag:
//   node --experimental-wasm-relaxed-simd --conditions=@tensorgrad/source --import tsx bench/relaxed-simd.ts [--threads n] [--rounds r]
import { loadavg } from 'node:os';
import { gemmInMemory } from '../src/backend/cpu/wasm/gemm.js';
import { relaxedMaddFuses } from '../src/backend/cpu/wasm/relaxed-simd.js';
import { wasmScratch } from '../src/backend/cpu/wasm/runtime.js';
import {
  type Tensor, adamUpdate_, batchNorm, conv2d, crossEntropy, dropout, flatten, linear, maxPool2d, mul, ones, randn, relu, setFastMath, setNumThreads, tensor, zeros,
} from '../src/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const threads = option('--threads', 1);
const rounds = option('--rounds', 7);
const MODES = ['default', 'fast'] as const;
type Mode = (typeof MODES)[number];

/** ms of one call of fn: CPU time on one thread, wall time on several. */
function measure(fn: () => void): number {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return threads > 1 ? performance.now() - t0 : (c.user + c.system) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** The median ms of `reps` calls after one warm-up (the mode switch gives a fresh wasm memory). */
function timed(fn: () => void, reps: number): number {
  fn();
  return median(Array.from({ length: reps }, () => measure(fn)));
}

function gemmMs(n: number): number {
  const [a, b, c] = wasmScratch([n * n, n * n, n * n]) as [Float32Array, Float32Array, Float32Array];
  for (let i = 0; i < n * n; i++) {
    a[i] = Math.random() - 0.5;
    b[i] = Math.random() - 0.5;
  }
  const A = { data: a, offset: 0, rowStride: n, colStride: 1 };
  const B = { data: b, offset: 0, rowStride: n, colStride: 1 };
  return timed(() => gemmInMemory(n, n, n, A, B, c, 0, false), n >= 1024 ? 3 : 5);
}

/** The fmnist CNN's parameters, BN statistics and Adam state, and one training step on them. */
function fmnistStep(): () => void {
  const B = 128;
  const x = randn([B, 1, 28, 28]);
  const y = tensor(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' });
  const scaled = (shape: number[], fanIn: number): Tensor => mul(randn(shape), Math.sqrt(2 / fanIn)).requiresGrad_();
  const stages = [[1, 32], [32, 64], [64, 128]].map(([cin, cout]) => ({
    w: scaled([cout!, cin!, 3, 3], cin! * 9),
    gamma: ones([cout!]).requiresGrad_(),
    beta: zeros([cout!]).requiresGrad_(),
    mean: zeros([cout!]),
    variance: ones([cout!]),
  }));
  const fcW = scaled([10, 128 * 9], 128 * 9);
  const fcB = zeros([10]).requiresGrad_();
  const params = [...stages.flatMap((s) => [s.w, s.gamma, s.beta]), fcW, fcB];
  const state = params.map((p) => ({ m: zeros([...p.shape]), v: zeros([...p.shape]) }));
  let step = 0;
  return () => {
    let h = x;
    for (const s of stages) {
      h = conv2d(h, s.w, null, { padding: 1 });
      h = relu(maxPool2d(batchNorm(h, s.mean, s.variance, s.gamma, s.beta, { training: true }), { kernelSize: 2 }));
    }
    const loss = crossEntropy(linear(dropout(flatten(h, 1), 0.2, { seed: step }), fcW, fcB), y);
    params.forEach((p) => (p.grad = null));
    loss.backward();
    step++;
    params.forEach((p, i) => adamUpdate_(p, p.grad!, state[i]!.m, state[i]!.v, null, { lr: 1e-3, step }));
  };
}

async function main(): Promise<void> {
  if (!(await setFastMath(true))) throw new Error('relaxed SIMD is unavailable: run node with --experimental-wasm-relaxed-simd');
  await setFastMath(false);
  if (threads > 1 && !(await setNumThreads(threads))) throw new Error('threads unavailable');
  console.log(`fast math vs default: ${threads} thread(s), ${rounds} alternating rounds, medians of ${threads > 1 ? 'wall' : 'CPU'} time; relaxed_madd fuses here: ${relaxedMaddFuses()}; load ${loadavg()[0]!.toFixed(2)}`);
  const sizes = [256, 512, 1024];
  const gemm: Record<Mode, number[][]> = { default: sizes.map(() => []), fast: sizes.map(() => []) };
  const steps: Record<Mode, number[]> = { default: [], fast: [] };
  const train = fmnistStep();
  for (let r = 0; r < rounds; r++) {
    // Alternate which mode goes first, so a drift in the machine's load favours neither.
    for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
      await setFastMath(mode === 'fast');
      sizes.forEach((n, i) => gemm[mode][i]!.push(gemmMs(n)));
      steps[mode].push(timed(train, 3));
    }
  }
  await setFastMath(false);
  console.log('| | default | fast math | fast / default |\n|---|---|---|---|');
  sizes.forEach((n, i) => {
    const gf = (mode: Mode): number => (2 * n ** 3) / median(gemm[mode][i]!) / 1e6;
    console.log(`| GEMM ${n}³ GFLOP/s | ${gf('default').toFixed(1)} | ${gf('fast').toFixed(1)} | ${(gf('fast') / gf('default')).toFixed(2)}× |`);
  });
  const ms = (mode: Mode): number => median(steps[mode]);
  console.log(`| fmnist-cnn step, ms | ${ms('default').toFixed(1)} | ${ms('fast').toFixed(1)} | ${(ms('default') / ms('fast')).toFixed(2)}× faster |`);
  console.log(`per-round step ms: default ${steps.default.map((t) => t.toFixed(0)).join(' ')}; fast ${steps.fast.map((t) => t.toFixed(0)).join(' ')}`);
  if (threads > 1) await setNumThreads(1);
}

await main();
