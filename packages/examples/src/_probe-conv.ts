// Probe: median training-step time and minor page faults per step of the default fmnist CNN.
// Usage: npx tsx --conditions=@tensorgrad/source src/_probe-conv.ts [threads=2] [steps=15]
import { randn, crossEntropy, tensor, setNumThreads } from '@tensorgrad/core';
import { Adam, Sequential, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear, Dropout, type Module } from '@tensorgrad/nn';
import { loadavg } from 'node:os';
const threads = Number(process.argv[2] ?? 2);
const steps = Number(process.argv[3] ?? 15);
const B = 128;
const x = randn([B, 1, 28, 28]);
const y = tensor(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' });
const block = (i: number, o: number): Module[] => [new Conv2d(i, o, 3, { padding: 1, bias: false }), new BatchNorm2d(o), new ReLU()];
const net = new Sequential(...block(1, 32), new MaxPool2d(2), ...block(32, 64), new MaxPool2d(2), ...block(64, 128), new MaxPool2d(2), new Flatten(), new Dropout(0.3), new Linear(128 * 9, 10));
await setNumThreads(threads);
const opt = new Adam(net.parameters(), { lr: 1e-3 });
const times: number[] = [];
const faults: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < steps + 3; i++) {
  const f0 = process.resourceUsage().minorPageFault;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  opt.zeroGrad();
  const loss = crossEntropy((net as any).call(x), y);
  loss.backward();
  opt.step();
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (i >= 3) { times.push(dt); cpu.push((c.user + c.system) / 1000); faults.push(process.resourceUsage().minorPageFault - f0); }
}
const med = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
console.log(`threads ${threads}: median step ${med(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}), ${(B / med(times) * 1000).toFixed(0)} img/s, median CPU ${med(cpu).toFixed(1)} ms/step (all threads), minor faults/step ${med(faults)}, load ${loadavg()[0]!.toFixed(2)}`);
await setNumThreads(1);
