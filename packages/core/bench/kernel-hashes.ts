// Bit-identity guard for the CPU kernels of relu, add/mul (and accumulateGrad), batchNorm and
// maxPool2d: hashes (SHA-256, first 16 hex digits) of the outputs and gradients of each op on
// seeded inputs, wasm-sized and small (TypeScript-path) shapes, float32 and float64, with NaN,
// ±inf, −0 and ties mixed in. A speed change to these kernels must leave every hash as
// results/kernel-hashes.json records it (written from the kernels before the change). Run from
// packages/core:
//   npx tsx --conditions=@tensorgrad/source bench/kernel-hashes.ts           # compare, exit 1 on a difference
//   npx tsx --conditions=@tensorgrad/source bench/kernel-hashes.ts --write   # record the current hashes
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuNorm } from '../src/backend/cpu/norm.js';
import { type Tensor, add, batchNorm, maxPool2d, mul, relu, tensor, vjp } from '../src/index.js';

const FILE = join(dirname(fileURLToPath(import.meta.url)), 'results', 'kernel-hashes.json');

/** mulberry32: a seeded uniform stream in [0, 1) that does not depend on core's generators. */
function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fill {
  /** Round values to multiples of 1/4 (ties in max pooling, exact zeros in relu). */
  coarse?: boolean;
  /** Put NaN, ±inf and −0 at a few positions. */
  specials?: boolean;
  /** Scale and offset of the values (default 2 and 0: roughly in [−3, 3]). */
  scale?: number;
  offset?: number;
}

function data(shape: number[], dtype: 'float32' | 'float64', seed: number, fill: Fill = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = stream(seed);
  const scale = fill.scale ?? 2;
  const offset = fill.offset ?? 0;
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Sum of three uniforms: roughly normal, cheap, reproducible.
    const v = (u() + u() + u() - 1.5) * scale + offset;
    a[i] = fill.coarse ? Math.round(v * 4) / 4 : v;
  }
  if (fill.specials && n > 0) {
    const specials = [NaN, Infinity, -Infinity, -0, 0, -NaN];
    for (let k = 0; k < Math.max(6, Math.floor(n / 997)); k++) a[Math.floor(u() * n)] = specials[k % specials.length]!;
  }
  return tensor(a, { shape });
}

const hash = (t: Tensor): string => {
  const d = t.data;
  return `${t.dtype}:${createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex').slice(0, 16)}`;
};

type Hashes = Record<string, string>;
const results: Record<string, Hashes> = {};

/** Hashes y = f(...xs) and the gradients of ⟨y, dy⟩ (dy seeded) with respect to every x. */
function record(name: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dySeed: number, dyFill: Fill = {}): void {
  const [y, pullback] = vjp(f, ...xs);
  const dy = data([...y.shape], y.dtype as 'float32' | 'float64', dySeed, dyFill);
  const grads = pullback(dy);
  const out: Hashes = { y: hash(y) };
  grads.forEach((g, i) => (out[`d${i}`] = hash(g)));
  results[name] = out;
}

// relu: wasm-sized, odd-length, small, float64; NaN/±inf/−0 in x and in dy.
for (const [shape, dtype] of [[[128, 32, 14, 14], 'float32'], [[5003], 'float32'], [[3, 5, 7], 'float32'], [[64, 37], 'float64'], [[32, 16, 32, 32], 'float32']] as const) {
  const tag = `${dtype} ${shape.join('x')}`;
  record(`relu ${tag}`, relu, [data([...shape], dtype, 1, { specials: true, coarse: true })], 2, { specials: true });
  record(`relu ${tag} plain`, relu, [data([...shape], dtype, 3)], 4);
}

// add and mul: same shapes (residual adds, gradient sums), per-channel, row and scalar
// broadcasts, an outer broadcast; NaN/±inf in the operands of some.
const binaryShapes: [number[], number[], 'float32' | 'float64'][] = [
  [[32, 16, 32, 32], [32, 16, 32, 32], 'float32'],
  [[128, 32, 14, 14], [128, 32, 14, 14], 'float32'],
  [[5003], [5003], 'float32'],
  [[3, 5, 7], [3, 5, 7], 'float32'],
  [[32, 16, 32, 32], [1, 16, 1, 1], 'float32'],
  [[1, 16, 1, 1], [32, 16, 32, 32], 'float32'],
  [[64, 1000], [1000], 'float32'],
  [[128, 10], [10], 'float32'],
  [[70000], [], 'float32'],
  [[], [70000], 'float32'],
  [[40, 1, 300], [1, 30, 300], 'float32'],
  [[40, 30, 1], [1, 30, 300], 'float32'],
  [[16, 8, 33, 33], [16, 8, 33, 33], 'float64'],
  [[16, 8, 33, 33], [1, 8, 1, 1], 'float64'],
];
for (const [i, [sa, sb, dtype]] of binaryShapes.entries()) {
  const tag = `${dtype} ${sa.join('x') || 'scalar'} ${sb.join('x') || 'scalar'}`;
  for (const [op, f] of [['add', add], ['mul', mul]] as const) {
    record(`${op} ${tag}`, f, [data(sa, dtype, 10 + i), data(sb, dtype, 30 + i)], 50 + i);
    record(`${op} ${tag} specials`, f, [data(sa, dtype, 70 + i, { specials: true }), data(sb, dtype, 90 + i, { specials: true })], 110 + i, { specials: true });
  }
}
// Gradient accumulation (accumulateGrad): x reaches the output along two paths.
for (const shape of [[32, 16, 32, 32], [3, 5, 7]]) {
  record(`accumulateGrad float32 ${shape.join('x')}`, (x) => add(relu(x), mul(x, x)), [data(shape, 'float32', 130)], 131);
}

// batchNorm: training (batch statistics, running averages updated) and eval, with and without
// the affine weight and bias, shapes with long, short and odd planes, float64 too.
const normShapes: [number[], 'float32' | 'float64'][] = [
  [[128, 32, 14, 14], 'float32'],
  [[32, 16, 32, 32], 'float32'],
  [[128, 64, 7, 7], 'float32'],
  [[16, 8, 7, 7], 'float32'],
  [[4, 3, 5, 5], 'float32'],
  [[64, 24], 'float32'],
  [[512, 12], 'float32'],
  [[2, 3, 90, 100], 'float32'],
  [[8, 4, 6, 6], 'float64'],
];
for (const [i, [shape, dtype]] of normShapes.entries()) {
  const c = shape[1]!;
  for (const training of [true, false]) {
    for (const affine of [true, false]) {
      const tag = `batchNorm ${dtype} ${shape.join('x')} ${training ? 'train' : 'eval'}${affine ? ' affine' : ''}`;
      const x = data(shape, dtype, 200 + i, { scale: 3, offset: 0.7 });
      const runningMean = data([c], dtype, 220 + i, { scale: 0.2 });
      const runningVar = data([c], dtype, 240 + i, { scale: 0.2, offset: 1 });
      const weight = data([c], dtype, 260 + i, { scale: 0.5, offset: 1 });
      const bias = data([c], dtype, 280 + i, { scale: 0.5 });
      const f = affine
        ? (xx: Tensor, w: Tensor, b: Tensor) => batchNorm(xx, runningMean, runningVar, w, b, { training, momentum: 0.1, eps: 1e-5 })
        : (xx: Tensor) => batchNorm(xx, runningMean, runningVar, null, null, { training, momentum: 0.1, eps: 1e-5 });
      record(tag, f as (...xs: Tensor[]) => Tensor, affine ? [x, weight, bias] : [x], 300 + i);
      results[tag]!.runningMean = hash(runningMean);
      results[tag]!.runningVar = hash(runningVar);
    }
  }
}

// The normalisation kernels themselves, with their float64 statistics and sums unrounded (the
// ops round them to float32, which hides most changes of summation order): values spread over
// many binades so that the float64 sums of float32 values are inexact and depend on the order.
for (const [i, [outer, groups, inner]] of [[128, 32, 196], [32, 16, 1024], [64, 24, 49], [2, 3, 9000], [512, 12, 1], [3, 5, 7]].entries()) {
  const n = outer * groups * inner;
  const u = stream(500 + i);
  const wide = (): number => (u() - 0.5) * 2 ** Math.floor(u() * 40 - 20);
  const x = Float32Array.from({ length: n }, wide);
  const g = Float32Array.from({ length: n }, wide);
  const w = Float32Array.from({ length: groups }, () => 0.5 + u());
  const b = Float32Array.from({ length: groups }, () => u() - 0.5);
  const [y, dx] = [new Float32Array(n), new Float32Array(n)];
  const [mean, variance, sums] = [new Float64Array(groups), new Float64Array(groups), new Float64Array(2 * groups)];
  cpuNorm.normalize(x, outer, groups, inner, w, b, 1e-5, y, mean, variance);
  cpuNorm.normalizeSums(g, x, outer, groups, inner, mean, variance, 1e-5, sums);
  cpuNorm.normalizeBackward(g, x, outer, groups, inner, mean, variance, 1e-5, outer * inner, sums, w, dx);
  const h = (a: Float32Array | Float64Array): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16);
  results[`norm kernels ${outer}x${groups}x${inner}`] = { y: h(y), mean: h(mean), variance: h(variance), sums: h(sums), dx: h(dx) };
}

// maxPool2d: 2×2 stride 2 (the wasm pair kernels; odd sizes; ties; NaN) and 3×3 stride 2 padding 1.
const poolCases: [number[], 'float32' | 'float64', number, number, number][] = [
  [[128, 32, 28, 28], 'float32', 2, 2, 0],
  [[32, 16, 32, 32], 'float32', 2, 2, 0],
  [[16, 8, 9, 11], 'float32', 2, 2, 0],
  [[2, 3, 6, 6], 'float32', 2, 2, 0],
  [[4, 3, 9, 9], 'float64', 2, 2, 0],
  [[32, 16, 32, 32], 'float32', 3, 2, 1],
  [[8, 4, 15, 15], 'float32', 3, 2, 1],
  [[4, 3, 15, 15], 'float64', 3, 2, 1],
];
for (const [i, [shape, dtype, k, s, p]] of poolCases.entries()) {
  const f = (x: Tensor) => maxPool2d(x, { kernelSize: k, stride: s, padding: p });
  const tag = `maxPool2d ${k}x${k} s${s} p${p} ${dtype} ${shape.join('x')}`;
  record(tag, f, [data(shape, dtype, 400 + i, { coarse: true })], 420 + i);
  record(`${tag} specials`, f, [data(shape, dtype, 440 + i, { coarse: true, specials: true })], 460 + i);
}

if (process.argv.includes('--write')) {
  writeFileSync(FILE, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`kernel-hashes: wrote ${Object.keys(results).length} cases to ${FILE}`);
} else {
  const expected = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Hashes>;
  let bad = 0;
  for (const name of new Set([...Object.keys(expected), ...Object.keys(results)])) {
    const e = expected[name];
    const r = results[name];
    if (JSON.stringify(e) !== JSON.stringify(r)) {
      bad++;
      console.log(`DIFFERS ${name}\n  expected ${JSON.stringify(e)}\n  got      ${JSON.stringify(r)}`);
    }
  }
  console.log(bad === 0 ? `kernel-hashes: all ${Object.keys(results).length} cases bit-identical` : `kernel-hashes: ${bad} case(s) differ`);
  process.exitCode = bad === 0 ? 0 : 1;
}
