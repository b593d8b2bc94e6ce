// Times one training step of the job's default model (batch 128, Adam) on random data: wall
// and CPU time, images/s and minor page faults per step. Not a test.
// pnpm --filter @tensorgrad/examples run bench:step [-- threads steps pool tuning]  (defaults
// 1 15 on rule; pool off sets setPoolLimit(0): no storage reuse, for before/after comparisons;
// tuning is the conv tuning mode: rule, benchmark or off)
import { loadavg } from 'node:os';
import { type ConvTuning, Generator, crossEntropy, poolStats, randn, setConvTuning, setNumThreads, setPoolLimit, tensor } from '@tensorgrad/core';
import { Adam, fmnistCnn } from '@tensorgrad/nn';

// `pnpm run bench:step -- 2 15` passes the '--' through.
const args = process.argv.slice(2).filter((a) => a !== '--');
const threads = Number(args[0] ?? 1);
const steps = Number(args[1] ?? 15);
const pool = (args[2] ?? 'on') !== 'off';
const tuning = (args[3] ?? 'rule') as ConvTuning;
if (!pool) setPoolLimit(0);
setConvTuning(tuning);
const B = 128;
const x = randn([B, 1, 28, 28]);
const y = tensor(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' });
const net = fmnistCnn({ generator: new Generator(0), dropoutGenerator: new Generator(1) });
await setNumThreads(threads);
const opt = new Adam(net.parameters(), { lr: 1e-3 });
const times: number[] = [];
const faults: number[] = [];
const fresh: number[] = [];
const reused: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps + 3; i++) {
  const f0 = process.resourceUsage().minorPageFault;
  const c0 = process.cpuUsage();
  const p0 = poolStats();
  const t0 = performance.now();
  opt.zeroGrad();
  crossEntropy(net.invoke(x), y).backward();
  opt.step();
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // The first steps warm up the JIT and the scratch buffers.
  if (i >= 3) {
    times.push(dt);
    cpu.push((c.user + c.system) / 1000);
    faults.push(process.resourceUsage().minorPageFault - f0);
    fresh.push(poolStats().allocated - p0.allocated);
    reused.push(poolStats().reused - p0.reused);
  }
}
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!;
console.log(
  `threads ${threads}, pool ${pool ? 'on' : 'off'}, conv tuning ${tuning}: median step ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}), ${((B / median(times)) * 1000).toFixed(0)} img/s, ` +
    `median CPU ${median(cpu).toFixed(1)} ms/step (all threads), minor page faults/step ${median(faults)}, large arrays/step: ${median(fresh)} fresh, ${median(reused)} reused, load ${loadavg()[0]!.toFixed(2)}`,
);
await setNumThreads(1);
