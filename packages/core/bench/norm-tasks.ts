// Batch norm (normalize) on fmnist-cnn's three layers: kernel-level forward / sums / backward
// (cpuNorm, preallocated outputs) and op-level forward and forward + backward (training mode,
// weight and bias). Median (min) ms. To compare two versions, run it on each alternately.
// Usage: npx tsx --conditions=@tensorgrad/source bench/norm-tasks.ts [threads] [reps]
import { cpuNorm } from '../src/backend/cpu/norm.js';
import { batchNorm, ones, randn, setNumThreads, zeros } from '../src/index.js';

const threads = Number(process.argv[2] ?? 1);
const reps = Number(process.argv[3] ?? 15);
await setNumThreads(threads);
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const time = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
for (const [C, H] of [[32, 28], [64, 14], [128, 7]] as const) {
  const x = randn([128, C, H, H]).requiresGrad_();
  const w = ones([C]).requiresGrad_();
  const b = zeros([C]).requiresGrad_();
  const g = randn([128, C, H, H]);
  const xd = x.data as Float32Array, gd = g.data as Float32Array;
  const y = new Float32Array(xd.length), dx = new Float32Array(xd.length);
  const mean = new Float64Array(C), variance = new Float64Array(C), sums = new Float64Array(2 * C);
  const wd = new Float32Array(C).fill(1), bd = new Float32Array(C);
  const inner = H * H;
  const cases: Record<string, () => void> = {
    kfwd: () => cpuNorm.normalize(xd, 128, C, inner, wd, bd, 1e-5, y, mean, variance),
    ksums: () => cpuNorm.normalizeSums(gd, xd, 128, C, inner, mean, variance, 1e-5, sums),
    kbwd: () => cpuNorm.normalizeBackward(gd, xd, 128, C, inner, mean, variance, 1e-5, 128 * inner, sums, wd, dx),
    fwd: () => batchNorm(x.detach(), null, null, w.detach(), b.detach(), { training: true }),
    both: () => batchNorm(x, null, null, w, b, { training: true }).backward(g),
  };
  const t: Record<string, number[]> = {};
  // Kernels (no allocation) first, then the ops (which allocate and collect) apart from them.
  for (const group of [['kfwd', 'ksums', 'kbwd'], ['fwd', 'both']]) {
    for (let r = 0; r < reps + 1; r++) {
      for (const k of group) {
        const ms = time(cases[k]!);
        if (r > 0) (t[k] ??= []).push(ms); // the first round warms up
      }
    }
  }
  console.log(`[128,${C},${H},${H}]: ` + Object.keys(cases).map((k) => `${k} ${med(t[k]!).toFixed(2)} (${Math.min(...t[k]!).toFixed(2)})`).join('  '));
}
await setNumThreads(1);
