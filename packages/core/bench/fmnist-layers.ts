// The default fmnist CNN's conv and pool layers, one at a time (batch 128, float32, 3×3 pad 1):
// median CPU ms of conv2d forward, forward+backward (dx, dW), maxPool2d 2×2 forward+backward, and
// the im2col gather alone. Run from packages/core:
//   npx tsx --conditions=@tensorgrad/source bench/fmnist-layers.ts [threads=1] [--reps 7]
import { loadavg } from 'node:os';
import { conv2d, maxPool2d, randn, setNumThreads } from '../src/index.js';
import { gatherColumns } from '../src/backend/cpu/conv/columns.js';
import { convPattern } from '../src/backend/cpu/conv/pattern.js';
import { window2d } from '../src/ops/window.js';

const threads = Number(process.argv[2] ?? 1);
const repsArg = process.argv.indexOf('--reps');
const reps = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 7;

/**
 * One thread: median CPU time (user + system) in ms, robust to a busy machine descheduling us.
 * Two threads: the minimum wall time (CPU time would add the threads up).
 */
function median(fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const t = process.cpuUsage(c0);
    times.push(threads > 1 ? performance.now() - t0 : (t.user + t.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return threads > 1 ? times[0]! : times[Math.floor(times.length / 2)]!;
}

await setNumThreads(threads);
const N = 128;
console.log(`threads ${threads}, median of ${reps}, load ${loadavg()[0]!.toFixed(2)}`);
for (const [C, H, Cout] of [[1, 28, 32], [32, 14, 64], [64, 7, 128]] as const) {
  const x = randn([N, C, H, H]).requiresGrad_();
  const w = randn([Cout, C, 3, 3]).requiresGrad_();
  const dy = randn([N, Cout, H, H]);
  const fwd = median(() => conv2d(x.detach(), w.detach(), null, { padding: 1 }));
  const fb = median(() => {
    x.grad = null;
    w.grad = null;
    conv2d(x, w, null, { padding: 1 }).backward(dy);
  });
  const S = convPattern(window2d('bench', H, H, { kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }));
  const cols = new Float32Array(C * 9 * H * H);
  const gather = median(() => { for (let n = 0; n < N; n++) gatherColumns(x.data, n * C * H * H, C, S, cols); });
  const p = randn([N, Cout, H, H]).requiresGrad_();
  const gp = randn([N, Cout, H >> 1, H >> 1]);
  const pf = median(() => maxPool2d(p.detach(), { kernelSize: 2 }));
  const pfb = median(() => { p.grad = null; maxPool2d(p, { kernelSize: 2 }).backward(gp); });
  const flops = 2 * N * Cout * C * 9 * H * H;
  console.log(`C ${C}->${Cout} ${H}x${H}: conv fwd ${fwd.toFixed(1)} ms (${(flops / fwd / 1e6).toFixed(1)} GF/s), fwd+bwd ${fb.toFixed(1)} ms (${(3 * flops / fb / 1e6).toFixed(1)} GF/s), gather ${gather.toFixed(1)} ms | maxpool fwd ${pf.toFixed(1)} ms, fwd+bwd ${pfb.toFixed(1)} ms`);
}
await setNumThreads(1);
