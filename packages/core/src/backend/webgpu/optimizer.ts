// The WebGPU optimizer kernels (OptimizerKernels, backend/optimizer.ts): the parameter updates of
// SGD, Adam/AdamW and RMSprop, one invocation per element, in float32, and the pieces of gradient
// clipping (a p-norm reduced on the device, a scale decided on the device), so a training step
// never reads a parameter back. Each optional state array (momentum buffer, AMSGrad's maximum,
// centered RMSprop's average) gives its own shader variant: a layout 'auto' pipeline cannot bind
// an array its shader does not use. Scalars that only depend on hyperparameters (1 − β, the
// step size lr/(1 − β₁ᵗ), √(1 − β₂ᵗ)) are computed on the host in float64 and passed rounded once.
import type { OptimizerKernels } from '../optimizer.js';
import type { KernelArray } from '../storage.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { type Kernel1d, kernel1d, launch1d } from './kernel1d.js';
import { type GpuKernel, webgpuRuntime } from './runtime.js';

/** Invocations per workgroup of the norm reductions (a power of two: the tree halves it). */
const WORKGROUP = 64;

/** A float32 storage binding's declaration, read-only or read-write. */
const f32s = (name: string, access: 'read' | 'read_write'): string => `var<storage, ${access}> ${name}: array<f32>`;

/** `f32s` at `binding`, for the kernels that are not kernel1d's. */
function binding(index: number, name: string, access: 'read' | 'read_write'): string {
  return `@group(0) @binding(${index}) ${f32s(name, access)};`;
}

const kernels = new Map<string, Kernel1d>();

/** The kernel of one variant, made on first use (the runtime caches its pipeline by code). */
function kernel(key: string, make: () => Kernel1d): Kernel1d {
  let k = kernels.get(key);
  if (k === undefined) kernels.set(key, (k = make()));
  return k;
}

function sgdKernel(momentum: boolean): Kernel1d {
  return kernel(`sgd ${momentum}`, () => kernel1d({
    name: `optimizer.sgd${momentum ? ' (momentum)' : ''}`,
    bindings: [f32s('w', 'read_write'), f32s('g', 'read'), ...(momentum ? [f32s('buf', 'read_write')] : [])],
    params: 'lr: f32, momentum: f32, oneMinusDampening: f32, weightDecay: f32, nesterov: u32, first: u32',
    paramTypes: 'f32,f32,f32,f32,u32,u32',
    body: `  var d = g[i] + p.weightDecay * w[i];
  ${momentum ? `var b = d;
  if (p.first == 0u) { b = p.momentum * buf[i] + p.oneMinusDampening * d; }
  buf[i] = b;
  if (p.nesterov != 0u) { d = d + p.momentum * b; } else { d = b; }` : ''}
  w[i] = w[i] - p.lr * d;`,
  }));
}

function adamKernel(amsgrad: boolean): Kernel1d {
  return kernel(`adam ${amsgrad}`, () => kernel1d({
    name: `optimizer.adam${amsgrad ? ' (amsgrad)' : ''}`,
    bindings: [f32s('w', 'read_write'), f32s('g', 'read'), f32s('m', 'read_write'), f32s('v', 'read_write'), ...(amsgrad ? [f32s('vMax', 'read_write')] : [])],
    params: 'beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32, stepSize: f32, bc2Sqrt: f32, decay: f32, l2: f32',
    paramTypes: 'f32,f32,f32,f32,f32,f32,f32,f32,f32',
    body: `  let w0 = w[i];
  let gi = g[i] + p.l2 * w0;
  let mi = p.beta1 * m[i] + p.oneMinusBeta1 * gi;
  m[i] = mi;
  var vi = p.beta2 * v[i] + p.oneMinusBeta2 * gi * gi;
  v[i] = vi;
  ${amsgrad ? `vi = max(vMax[i], vi);
  vMax[i] = vi;` : ''}
  w[i] = w0 * p.decay - (p.stepSize * mi) / (sqrt(vi) / p.bc2Sqrt + p.eps);`,
  }));
}

function rmspropKernel(centered: boolean, momentum: boolean): Kernel1d {
  return kernel(`rmsprop ${centered} ${momentum}`, () => kernel1d({
    name: `optimizer.rmsprop${centered ? ' (centered)' : ''}${momentum ? ' (momentum)' : ''}`,
    bindings: [
      f32s('w', 'read_write'), f32s('g', 'read'), f32s('s', 'read_write'),
      ...(centered ? [f32s('gAvg', 'read_write')] : []), ...(momentum ? [f32s('buf', 'read_write')] : []),
    ],
    params: 'lr: f32, alpha: f32, oneMinusAlpha: f32, eps: f32, weightDecay: f32, momentum: f32',
    paramTypes: 'f32,f32,f32,f32,f32,f32',
    body: `  let gi = g[i] + p.weightDecay * w[i];
  var sq = p.alpha * s[i] + p.oneMinusAlpha * gi * gi;
  s[i] = sq;
  ${centered ? `let ga = p.alpha * gAvg[i] + p.oneMinusAlpha * gi;
  gAvg[i] = ga;
  sq = sq - ga * ga;` : ''}
  let u = gi / (sqrt(sq) + p.eps);
  ${momentum ? `let b = p.momentum * buf[i] + u;
  buf[i] = b;
  w[i] = w[i] - p.lr * b;` : 'w[i] = w[i] - p.lr * u;'}`,
  }));
}

// How |x|^p is taken and combined: p = 1 and p = 2 exactly (abs, square), other p through pow,
// Infinity as a maximum. pow(0, p) is left undefined by WGSL: zeros are mapped to 0 explicitly.
const NormMode = { Pow: 0, Abs: 1, Square: 2, Max: 3 } as const;
const NORM_FUNCTIONS = /* wgsl */ `
fn term(x: f32, mode: u32, q: f32) -> f32 {
  let a = abs(x);
  if (mode == 1u || mode == 3u) { return a; }
  if (mode == 2u) { return a * a; }
  return select(pow(a, q), 0.0, a == 0.0);
}
fn combine(a: f32, b: f32, mode: u32) -> f32 {
  if (mode == 3u) { return max(a, b); }
  return a + b;
}
var<workgroup> part: array<f32, ${WORKGROUP}>;
fn reduceWorkgroup(t: u32, mode: u32) -> f32 {
  for (var half = ${WORKGROUP / 2}u; half > 0u; half = half / 2u) {
    if (t < half) { part[t] = combine(part[t], part[t + half], mode); }
    workgroupBarrier();
  }
  return part[0];
}`;

/** Workgroups of the first stage: enough to fill a GPU, few enough for one workgroup to combine. */
const MAX_PARTIALS = 256;

/** A stage's module up to its entry point: reads `from`, writes `to` (both stages share Params and the functions). */
const normStage = (from: string, to: string): string => `${binding(0, from, 'read')}
${binding(1, to, 'read_write')}
struct Params { n: u32, stride: u32, mode: u32, q: f32 }
@group(0) @binding(2) var<uniform> p: Params;
${NORM_FUNCTIONS}
@compute @workgroup_size(${WORKGROUP})`;

/** Stage 1: partials[w] = the combined terms of a grid-strided share of x, one per workgroup. */
const NORM_PARTIALS: GpuKernel = {
  name: 'optimizer.normAccumulate (partials)',
  paramTypes: 'u32,u32,u32,f32',
  code: `${normStage('x', 'partials')}
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  var sum = 0.0;
  for (var i = gid.x; i < p.n; i = i + p.stride) { sum = combine(sum, term(x[i], p.mode, p.q), p.mode); }
  part[lid.x] = sum;
  workgroupBarrier();
  let total = reduceWorkgroup(lid.x, p.mode);
  if (lid.x == 0u) { partials[wid.x] = total; }
}`,
};

/** Stage 2, one workgroup: acc[0] = combine(acc[0], the partials combined). */
const NORM_COMBINE: GpuKernel = {
  name: 'optimizer.normAccumulate (combine)',
  paramTypes: 'u32,u32,u32,f32',
  code: `${normStage('partials', 'acc')}
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var sum = 0.0;
  for (var i = lid.x; i < p.n; i = i + ${WORKGROUP}u) { sum = combine(sum, partials[i], p.mode); }
  part[lid.x] = sum;
  workgroupBarrier();
  let total = reduceWorkgroup(lid.x, p.mode);
  if (lid.x == 0u) { acc[0] = combine(acc[0], total, p.mode); }
}`,
};

/** acc[0] = acc[0]^(1/p): sqrt for p = 2, pow otherwise (0 stays 0). */
const NORM_FINISH: GpuKernel = {
  name: 'optimizer.normFinish',
  paramTypes: 'u32,u32,f32',
  code: `${binding(0, 'acc', 'read_write')}
struct Params { n: u32, square: u32, inverse: f32 }
@group(0) @binding(1) var<uniform> p: Params;
@compute @workgroup_size(1)
fn main() {
  let s = acc[0];
  if (p.square != 0u) { acc[0] = sqrt(s); } else { acc[0] = select(pow(s, p.inverse), 0.0, s == 0.0); }
}`,
};

/** x = x·coef where coef = maxNorm/(total + 1e-6) < 1. */
const CLIP_SCALE = kernel1d({
  name: 'optimizer.clipScale',
  bindings: [f32s('x', 'read_write'), f32s('total', 'read')],
  params: 'maxNorm: f32',
  paramTypes: 'f32',
  body: `  let coef = p.maxNorm / (total[0] + 1e-6);
  if (coef < 1.0) { x[i] = x[i] * coef; }`,
});

/** The optimizer kernels take float32 GpuArrays only (`arg` names the state array in errors). */
const gpuArray = (a: KernelArray, op: string, arg: string): GpuArray => gpuArrayOf(a, `optimizer.${op}`, arg, 'float32');

/** Runs one elementwise update over n = param's length (nothing for an empty parameter). */
function update(k: Kernel1d, arrays: GpuArray[], params: number[]): void {
  const n = arrays[0]!.length;
  if (n > 0) launch1d(k, arrays, n, params);
}

export const webgpuOptimizer: OptimizerKernels = {
  sgd(w, g, buf, { lr, momentum, dampening, weightDecay, nesterov, firstStep }) {
    const arrays = [gpuArray(w, 'sgd', 'param'), gpuArray(g, 'sgd', 'grad')];
    if (buf !== null) arrays.push(gpuArray(buf, 'sgd', 'momentumBuffer'));
    update(sgdKernel(buf !== null), arrays, [lr, momentum, 1 - dampening, weightDecay, +nesterov, +firstStep]);
  },

  adam(w, g, m, v, vMax, { lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2 }) {
    const arrays = [gpuArray(w, 'adam', 'param'), gpuArray(g, 'adam', 'grad'), gpuArray(m, 'adam', 'expAvg'), gpuArray(v, 'adam', 'expAvgSq')];
    if (vMax !== null) arrays.push(gpuArray(vMax, 'adam', 'maxExpAvgSq'));
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    update(adamKernel(vMax !== null), arrays, [beta1, 1 - beta1, beta2, 1 - beta2, eps, lr / biasCorrection1, Math.sqrt(biasCorrection2), decay, l2]);
  },

  rmsprop(w, g, s, gAvg, buf, { lr, alpha, eps, weightDecay, momentum }) {
    const arrays = [gpuArray(w, 'rmsprop', 'param'), gpuArray(g, 'rmsprop', 'grad'), gpuArray(s, 'rmsprop', 'squareAvg')];
    if (gAvg !== null) arrays.push(gpuArray(gAvg, 'rmsprop', 'gradAvg'));
    if (buf !== null) arrays.push(gpuArray(buf, 'rmsprop', 'momentumBuffer'));
    update(rmspropKernel(gAvg !== null, buf !== null), arrays, [lr, alpha, 1 - alpha, eps, weightDecay, momentum]);
  },

  normAccumulate(xk, acck, normType) {
    const x = gpuArray(xk, 'normAccumulate', 'x');
    const acc = gpuArray(acck, 'normAccumulate', 'acc');
    const n = x.length;
    if (n === 0) return;
    const mode = normType === Infinity ? NormMode.Max : normType === 1 ? NormMode.Abs : normType === 2 ? NormMode.Square : NormMode.Pow;
    const q = normType === Infinity ? 0 : normType;
    const groups = Math.min(Math.ceil(n / WORKGROUP), MAX_PARTIALS);
    const rt = webgpuRuntime();
    const partials = rt.allocate('float32', groups, false, [groups], 'optimizer.normAccumulate');
    rt.run(NORM_PARTIALS, [x, partials], [n, groups * WORKGROUP, mode, q], [groups]);
    rt.run(NORM_COMBINE, [partials, acc], [groups, 0, mode, q], [1]);
    // Queue order: a later use of the recycled buffer runs after these two kernels.
    rt.release(partials);
  },

  normFinish(acck, normType) {
    const acc = gpuArray(acck, 'normFinish', 'acc');
    if (normType === Infinity || normType === 1) return;
    webgpuRuntime().run(NORM_FINISH, [acc], [1, +(normType === 2), 1 / normType], [1]);
  },

  clipScale(xk, totalk, maxNorm) {
    update(CLIP_SCALE, [gpuArray(xk, 'clipScale', 'x'), gpuArray(totalk, 'clipScale', 'total')], [maxNorm]);
  },
};
