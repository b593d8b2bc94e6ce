// A/B of two variants of the code that give the same bits, on one model instance in one process:
// training steps alternate one by one (A B B A A B ...), so the host's drift and its swings of a
// fraction of a second hit both alike. Blocks of several steps, or two instances, do not: on this
// project's shared 2-vCPU host a null comparison (both variants the same) measured 0.80-0.92×
// that way and 0.958-1.027× stepping one by one, 150 rounds (README, "Session 33").
// Usage (from packages/bench):
//   VARIANT=./my-variant.ts ROUNDS=150 node --single-threaded-gc --import tsx --conditions=@tensorgrad/source src/ab-steps.ts THREADS MODEL[,MODEL...]
// where my-variant.ts exports `label` and `set(on: boolean)`, which switches the variant (a
// setting, a flag the code under test reads). ROUNDS pairs of steps are timed after WARM steps.
import { Generator, setNumThreads } from '@tensorgrad/core';
import { MODEL_CASES } from './cases.js';
import { tensorgradStep } from './tensorgrad-engine.js';
import { median } from './timing.js';

interface Variant {
  label: string;
  set(on: boolean): void;
}

const threads = Number(process.argv[2] ?? 2);
const names = (process.argv[3] ?? 'fmnist-cnn').split(',');
const warm = Number(process.env['WARM'] ?? 20);
const rounds = Number(process.env['ROUNDS'] ?? 100);
if (process.env['VARIANT'] === undefined) throw new Error('ab-steps: set VARIANT to a module exporting label and set(on)');
const variant = (await import(new URL(process.env['VARIANT'], `file://${process.cwd()}/`).href)) as Variant;
await setNumThreads(threads);

for (const name of names) {
  const model = MODEL_CASES.find((c) => c.name === name);
  if (model === undefined) throw new Error(`ab-steps: no model '${name}' (${MODEL_CASES.map((c) => c.name).join(', ')})`);
  const step = tensorgradStep(model, new Generator(7));
  const times = { on: [] as number[], off: [] as number[] };
  const one = (on: boolean, record: boolean): void => {
    variant.set(on);
    const t0 = performance.now();
    const loss = step.forward();
    step.backward(loss);
    step.update();
    loss.item(); // the step's result read: everything it ran has settled
    if (record) (on ? times.on : times.off).push(performance.now() - t0);
  };
  for (let i = 0; i < warm; i++) one(i % 2 === 0, false);
  for (let r = 0; r < rounds; r++) for (const on of r % 2 === 0 ? [true, false] : [false, true]) one(on, true);
  const [a, b] = [median(times.on), median(times.off)];
  console.log(`${name} ${threads}t: ${variant.label} ${a.toFixed(1)} ms, without ${b.toFixed(1)} ms, ratio ${(a / b).toFixed(3)} (medians of ${rounds} steps each)`);
}
process.exit(0);
