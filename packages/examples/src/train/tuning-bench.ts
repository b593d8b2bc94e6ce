// The speed of each conv tuning mode on one training step of the job's default model (batch
// 128, Adam, random data), interleaved in one process so that a shared machine's changing load
// hits every mode alike: each mode first runs a few steps to make its choices (benchmark mode
// times its candidates there), then the timed steps take turns, each starting by restoring its
// mode's choices. Prints the median and min wall ms per step and each mode's ratio to 'rule'.
// Not a test. From packages/examples:
//   npx tsx --conditions=@tensorgrad/source src/train/tuning-bench.ts [threads=1] [steps per mode=15]
import { loadavg } from 'node:os';
import { type ConvTuning, Generator, convChoices, crossEntropy, randn, restoreConvChoices, setConvTuning, setNumThreads, tensor } from '@tensorgrad/core';
import { Adam, fmnistCnn } from '@tensorgrad/nn';

const args = process.argv.slice(2).filter((a) => a !== '--');
const threads = Number(args[0] ?? 1);
const steps = Number(args[1] ?? 15);
const modes: ConvTuning[] = ['rule', 'benchmark', 'off'];
const B = 128;
const x = randn([B, 1, 28, 28]);
const y = tensor(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' });
await setNumThreads(threads);
const net = fmnistCnn({ generator: new Generator(0), dropoutGenerator: new Generator(1) });
const opt = new Adam(net.parameters(), { lr: 1e-3 });
const step = (): number => {
  const t0 = performance.now();
  opt.zeroGrad();
  crossEntropy(net.invoke(x), y).backward();
  opt.step();
  return performance.now() - t0;
};

// Each mode's choices, made the way that mode makes them. 'off' runs the default everywhere:
// as choices, the default (threaded) for every geometry the others chose for.
const choices: Partial<Record<ConvTuning, Record<string, string>>> = {};
for (const mode of ['rule', 'benchmark'] as const) {
  setConvTuning(mode);
  for (let i = 0; i < 3; i++) step();
  choices[mode] = convChoices();
}
choices.off = Object.fromEntries(Object.keys(choices.rule!).map((key) => [key, 'gathered']));
setConvTuning('off');

const times: Record<string, number[]> = { rule: [], benchmark: [], off: [] };
const loads: number[] = [];
for (let r = 0; r < steps; r++) {
  // Rotate the order so no mode always follows the same one.
  for (let j = 0; j < modes.length; j++) {
    const mode = modes[(r + j) % modes.length]!;
    restoreConvChoices(choices[mode]!);
    times[mode]!.push(step());
  }
  loads.push(loadavg()[0]!);
}
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!;
console.log(`threads ${threads}, ${steps} steps per mode, load ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
for (const mode of modes) {
  const m = median(times[mode]!);
  console.log(`  ${mode.padEnd(9)} median ${m.toFixed(1).padStart(6)} ms (min ${Math.min(...times[mode]!).toFixed(1).padStart(6)})  ${(m / median(times.rule!)).toFixed(3)} x rule`);
}
const differing = Object.keys(choices.rule!).filter((k) => choices.rule![k] !== choices.benchmark![k]);
console.log(`  rule and benchmark differ on ${differing.length} of ${Object.keys(choices.rule!).length} geometries: ${differing.map((k) => `${k.split(',').slice(0, 1)} ${k.split(',').slice(3, 9).join('x')}: ${choices.rule![k]} vs ${choices.benchmark![k]}`).join('; ')}`);
await setNumThreads(1);
