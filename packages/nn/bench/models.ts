// Timing (not a test): resnet18 forward on 1×3×224×224, and one training step (forward,
// backward, SGD update) of the CIFAR resnet20 on a 32×3×32×32 batch.
// Run: npx tsx --conditions=@tensorgrad/source bench/models.ts
import { cpus, loadavg } from 'node:os';
import { Generator, crossEntropy, noGrad, randn, tensor } from '@tensorgrad/core';
import { SGD, resnet18, resnet20 } from '../src/index.js';

function time(label: string, repeats: number, fn: () => void): void {
  fn(); // warm-up: JIT, GEMM panel and conv pattern caches
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, best ${ms[0]!.toFixed(0)} ms (${repeats} runs)`);
}

console.log(`${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const generator = new Generator(0);

const r18 = resnet18({ generator }).eval();
const image = randn([1, 3, 224, 224], { generator });
time('resnet18 forward, 1×3×224×224, eval, no grad', 5, () => noGrad(() => r18.invoke(image)));

const r20 = resnet20({ generator }).train();
const opt = new SGD(r20.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 1e-4 });
const x = randn([32, 3, 32, 32], { generator });
const labels = tensor(Array.from({ length: 32 }, () => generator.randint(0, 10)), { dtype: 'int32' });
time('resnet20 training step, 32×3×32×32 (forward + backward + SGD)', 5, () => {
  opt.zeroGrad();
  crossEntropy(r20.invoke(x), labels).backward();
  opt.step();
});
