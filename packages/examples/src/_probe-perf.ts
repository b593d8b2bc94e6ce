// Training-step probe for issue 8 (non-conv time): the Fashion-MNIST-sized CNN, batch 128, Adam.
// Usage: npx tsx --conditions=@tensorgrad/source src/_probe-perf.ts [steps]
import { randn, crossEntropy, tensor } from '@tensorgrad/core';
import { Adam, Sequential, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear, Dropout } from '@tensorgrad/nn';

const B = 128;
const steps = Number(process.argv[2] ?? 12);
const x = randn([B, 1, 28, 28]);
const y = tensor(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' });
const net = new Sequential(
  new Conv2d(1, 32, 3, { padding: 1 }), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
  new Conv2d(32, 64, 3, { padding: 1 }), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Dropout(0.3), new Linear(64 * 49, 128), new ReLU(), new Linear(128, 10));
const opt = new Adam(net.parameters(), { lr: 1e-3 });
const times: number[] = [];
let last = 0;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  opt.zeroGrad();
  const loss = crossEntropy(net.call(x), y);
  loss.backward();
  opt.step();
  last = loss.item();
  times.push(performance.now() - t0);
}
const sorted = times.slice(2).sort((a, b) => a - b);
const med = sorted[Math.floor(sorted.length / 2)]!;
console.log(`median step ${med.toFixed(1)} ms  ${(B / med * 1000).toFixed(0)} img/s  (min ${sorted[0]!.toFixed(1)}, loss ${last.toFixed(4)}, load ${(await import('node:os')).loadavg()[0]!.toFixed(2)})`);
