// A custom model (Inception block + residual block) trained for a few steps on Fashion-MNIST.
// pnpm --filter @tensorgrad/examples run example:custom-model [-- --steps N --data DIR]
import { Generator, crossEntropy } from '@tensorgrad/core';
import { DataLoader, compose, fashionMnist, normalize, randomHorizontalFlip, toTensor } from '@tensorgrad/data';
import { Adam } from '@tensorgrad/nn';
import { InceptionResidualNet } from './model.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const steps = Number(arg('--steps') ?? 60);
const root = arg('--data');

const model = new InceptionResidualNet(10, new Generator(0));
console.log('InceptionResidualNet:');
for (const [name, p] of model.namedParameters()) console.log(`  ${name.padEnd(36)} [${p.shape.join(', ')}]`);
const count = model.parameters().reduce((n, p) => n + p.size, 0);
console.log(`  ${count.toLocaleString('en-US')} parameters\n`);

const data = fashionMnist(root === undefined ? { train: true } : { root, train: true });
const loader = new DataLoader(data, {
  batchSize: 64, shuffle: true, seed: 0,
  transform: compose(toTensor(), randomHorizontalFlip(), normalize([0.286], [0.353])),
});
const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
model.train();
let step = 0;
let first = NaN;
let recent: number[] = [];
const t0 = performance.now();
outer: for (;;) {
  for (const batch of loader) {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.invoke(batch.inputs), batch.labels);
    loss.backward();
    optimizer.step();
    batch.release();
    const v = loss.item();
    if (step === 0) first = v;
    recent = [...recent.slice(-9), v];
    if (step % 10 === 0) console.log(`step ${String(step).padStart(3)}  loss ${v.toFixed(4)}`);
    if (++step >= steps) break outer;
  }
}
const last = recent.reduce((a, b) => a + b, 0) / recent.length;
const seconds = (performance.now() - t0) / 1000;
console.log(`\n${steps} steps in ${seconds.toFixed(1)} s: loss ${first.toFixed(3)} -> ${last.toFixed(3)} (mean of the last ${recent.length})`);
console.log(JSON.stringify({ example: 'custom-model', steps, parameters: count, firstLoss: first, lastLoss: last, seconds }));
if (!(last < first)) process.exit(1);
