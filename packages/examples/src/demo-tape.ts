// A tiny demo of the tape: fit y = 3x - 2 + noise with a linear model and plain gradient
// descent, printing the loss as it falls.
import { Generator, linear, mean, mul, noGrad, randn, sub, tensor, zeros } from '@tensorgrad/core';

const rng = new Generator(42);
const x = randn([256, 1], { generator: rng });
const noise = randn([256, 1], { generator: rng });
const y = noGrad(() => sub(mul(x, 3), tensor(2)).data.map((v, i) => v + 0.1 * noise.data[i]!));
const target = tensor(y, { shape: [256, 1] });

const w = zeros([1, 1], { requiresGrad: true });
const b = zeros([1], { requiresGrad: true });
const lr = 0.1;
for (let step = 0; step <= 60; step++) {
  const err = sub(linear(x, w, b), target);
  const loss = mean(mul(err, err));
  w.grad = null;
  b.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of [w, b]) {
      for (let i = 0; i < p.size; i++) p.data[i]! -= lr * p.grad!.data[i]!;
      p.markModified();
    }
  });
  if (step % 10 === 0) console.log(`step ${String(step).padStart(2)}  loss ${loss.item().toFixed(5)}`);
}
console.log(`fitted w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -2)`);
