// The memory-bound ops of the training steps at the models' shapes, one at a time (float32, one
// thread): relu, add and mul (residual adds, gradient sums), batchNorm in training mode and 2×2
// max pooling, forward and backward (the pullback of each op, retained and called again). Median
// CPU ms (user + system), which a busy machine inflates far less than wall time. Run from
// packages/core:
//   npx tsx --conditions=@tensorgrad/source bench/cpu-kernels.ts [--reps 15] [--only relu,add]
import { loadavg } from 'node:os';
import { type Tensor, add, batchNorm, maxPool2d, mul, ones, randn, relu, vjp, zeros } from '../src/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const reps = Number(arg('reps') ?? 15);
const only = arg('only')?.split(',');

function medianCpuMs(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(c0);
    times.push((t.user + t.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Forward: f(...xs) as a plain call; backward: the pullback of f at xs with a fixed dy. */
function forwardBackward(name: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): [string, () => void][] {
  const [y, pullback] = vjp(f, ...xs);
  const dy = randn([...y.shape]);
  return [
    [`${name} fwd`, () => void f(...xs)],
    [`${name} bwd`, () => void pullback(dy, { retainGraph: true })],
  ];
}

const bn = (shape: number[]): [string, () => void][] => {
  const c = shape[1]!;
  const [m, v] = [zeros([c]), ones([c])];
  return forwardBackward(`batchNorm train ${shape.join('x')}`, (x, w, b) => batchNorm(x, m, v, w, b, { training: true }), [randn(shape), ones([c]), zeros([c])]);
};

const cases: [string, [string, () => void][]][] = [
  ['relu', [...forwardBackward('relu 128x32x14x14', relu, [randn([128, 32, 14, 14])]), ...forwardBackward('relu 32x16x32x32', relu, [randn([32, 16, 32, 32])])]],
  ['add', forwardBackward('add 32x16x32x32', add, [randn([32, 16, 32, 32]), randn([32, 16, 32, 32])])],
  ['mul', forwardBackward('mul 32x16x32x32', mul, [randn([32, 16, 32, 32]), randn([32, 16, 32, 32])])],
  ['batchNorm', [...bn([128, 32, 28, 28]), ...bn([128, 128, 7, 7]), ...bn([32, 16, 32, 32])]],
  ['maxPool2d', [
    ...forwardBackward('maxPool2d 2x2 128x32x28x28', (x) => maxPool2d(x, 2), [randn([128, 32, 28, 28])]),
    ...forwardBackward('maxPool2d 3x3 s2 p1 32x16x32x32', (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), [randn([32, 16, 32, 32])]),
  ]],
];

console.log(`cpu-kernels: median CPU ms of ${reps} runs, load ${loadavg()[0]!.toFixed(1)}`);
for (const [group, runs] of cases) {
  if (only && !only.includes(group)) continue;
  for (const [name, fn] of runs) console.log(`${name.padEnd(40)} ${medianCpuMs(fn).toFixed(3)}`);
}
