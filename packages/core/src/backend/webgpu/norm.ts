// The WebGPU backend's normalisation kernels (NormKernels, backend/norm.ts). Statistics are float32
// arrays on the GPU (accumulatorDtype). Per-group sums are one workgroup per group: each invocation
// sums a fixed strided share of the group's outer×inner elements, then a tree in workgroup memory
// adds the shares in a fixed order, so results never depend on scheduling. Mean and variance are
// two passes over the group (the mean first, then squared deviations from it), as on the CPU.
// Elementwise kernels take one invocation per element (kernel1d.ts).
import type { NormKernels } from '../norm.js';
import type { KernelArray } from '../storage.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { type Kernel1d, kernel1d, launch1d } from './kernel1d.js';
import { type GpuKernel, type WebGPURuntime, webgpuRuntime, workgroups1d } from './runtime.js';

/**
 * A reduction kernel over groups: `body(c, t)` (invocation t of the workgroup of group c) sums its
 * share into `sums` (`parts` values per invocation, in workgroup memory at [k·size + t]), then
 * `tree()` adds them up so that sums[k·size] is part k's total for the group, and `finish(c)`
 * uses it. Workgroups are numbered over a 2-D grid (groups may exceed 65535).
 */
function reductionCode(size: number, parts: number, declarations: string, body: string): string {
  return /* wgsl */ `
    ${declarations}
    const SIZE = ${size}u;
    var<workgroup> sums: array<f32, ${size * parts}>;
    fn tree(t: u32) {
      for (var half = SIZE / 2u; half > 0u; half = half / 2u) {
        workgroupBarrier();
        if (t < half) {
          for (var k = 0u; k < ${parts}u; k++) { sums[k * SIZE + t] += sums[k * SIZE + t + half]; }
        }
      }
      workgroupBarrier();
    }
    ${body}
    @compute @workgroup_size(${size})
    fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
      let c = wid.x + wid.y * nwg.x;
      if (c >= p.groups) { return; }
      reduce(c, t);
    }`;
}

// x viewed as [outer, groups, inner]: element j of group c's count = outer·inner elements.
const GROUP_ELEMENT = /* wgsl */ `
  fn at(c: u32, j: u32) -> u32 { return ((j / p.inner) * p.groups + c) * p.inner + j % p.inner; }`;

const statsKernel = (size: number): GpuKernel => ({
  name: 'groupStats',
  paramTypes: 'u32,u32,u32',
  code: reductionCode(size, 1, /* wgsl */ `
    @group(0) @binding(0) var<storage, read> x: array<f32>;
    @group(0) @binding(1) var<storage, read_write> mean: array<f32>;
    @group(0) @binding(2) var<storage, read_write> variance: array<f32>;
    struct Params { groups: u32, inner: u32, count: u32 }
    @group(0) @binding(3) var<uniform> p: Params;
    ${GROUP_ELEMENT}`, /* wgsl */ `
    fn reduce(c: u32, t: u32) {
      var s = 0.0;
      for (var j = t; j < p.count; j += SIZE) { s += x[at(c, j)]; }
      sums[t] = s;
      tree(t);
      let mu = sums[0] / f32(p.count);
      workgroupBarrier();
      var q = 0.0;
      for (var j = t; j < p.count; j += SIZE) {
        let d = x[at(c, j)] - mu;
        q += d * d;
      }
      sums[t] = q;
      tree(t);
      if (t == 0u) {
        mean[c] = mu;
        variance[c] = sums[0] / f32(p.count);
      }
    }`),
});

// out[c] = Σg, out[groups + c] = invstd·Σ g·(x − mean[c]).
const sumsKernel = (size: number): GpuKernel => ({
  name: 'normalizeSums',
  paramTypes: 'u32,u32,u32,f32',
  code: reductionCode(size, 2, /* wgsl */ `
    @group(0) @binding(0) var<storage, read> g: array<f32>;
    @group(0) @binding(1) var<storage, read> x: array<f32>;
    @group(0) @binding(2) var<storage, read> mean: array<f32>;
    @group(0) @binding(3) var<storage, read> variance: array<f32>;
    @group(0) @binding(4) var<storage, read_write> out: array<f32>;
    struct Params { groups: u32, inner: u32, count: u32, eps: f32 }
    @group(0) @binding(5) var<uniform> p: Params;
    ${GROUP_ELEMENT}`, /* wgsl */ `
    fn reduce(c: u32, t: u32) {
      let mu = mean[c];
      var a = 0.0;
      var b = 0.0;
      for (var j = t; j < p.count; j += SIZE) {
        let i = at(c, j);
        a += g[i];
        b += g[i] * (x[i] - mu);
      }
      sums[t] = a;
      sums[SIZE + t] = b;
      tree(t);
      if (t == 0u) {
        out[c] = sums[0];
        out[p.groups + c] = sums[SIZE] / sqrt(variance[c] + p.eps);
      }
    }`),
});

/** y = (x − μ)·w/√(σ² + eps) + b; w = 1 and b = 0 where absent (bindings exist only when present). */
function normalizeKernel(weight: boolean, bias: boolean): Kernel1d {
  const w = weight ? 'weight[c]' : '1.0';
  const b = bias ? 'bias[c]' : '0.0';
  return kernel1d({
    name: 'normalize',
    bindings: [
      'var<storage, read> x: array<f32>',
      'var<storage, read> mean: array<f32>',
      'var<storage, read> variance: array<f32>',
      ...(weight ? ['var<storage, read> weight: array<f32>'] : []),
      ...(bias ? ['var<storage, read> bias: array<f32>'] : []),
      'var<storage, read_write> y: array<f32>',
    ],
    params: 'groups: u32, inner: u32, eps: f32',
    paramTypes: 'u32,u32,f32',
    index: 'e',
    body: /* wgsl */ `
      let c = (e / p.inner) % p.groups;
      let scale = ${w} / sqrt(variance[c] + p.eps);
      y[e] = (x[e] - mean[c]) * scale + ${b};`,
  });
}

/** dx = s·g + t·(x − μ) + k per group (NormKernels.normalizeBackward). */
function backwardKernel(weight: boolean): Kernel1d {
  return kernel1d({
    name: 'normalizeBackward',
    bindings: [
      'var<storage, read> g: array<f32>',
      'var<storage, read> x: array<f32>',
      'var<storage, read> mean: array<f32>',
      'var<storage, read> variance: array<f32>',
      'var<storage, read> sums: array<f32>',
      ...(weight ? ['var<storage, read> weight: array<f32>'] : []),
      'var<storage, read_write> dx: array<f32>',
    ],
    params: 'groups: u32, inner: u32, eps: f32, count: f32',
    paramTypes: 'u32,u32,f32,f32',
    index: 'e',
    body: /* wgsl */ `
      let c = (e / p.inner) % p.groups;
      let invstd = 1.0 / sqrt(variance[c] + p.eps);
      let s = invstd * ${weight ? 'weight[c]' : '1.0'};
      let t = -s * invstd * sums[p.groups + c] / p.count;
      let k = -s * sums[c] / p.count;
      dx[e] = s * g[e] + t * (x[e] - mean[c]) + k;`,
  });
}

const NORMALIZE = [normalizeKernel(false, false), normalizeKernel(false, true), normalizeKernel(true, false), normalizeKernel(true, true)];
const BACKWARD = [backwardKernel(false), backwardKernel(true)];

const RUNNING_STATS = kernel1d({
  name: 'updateRunningStats',
  bindings: [
    'var<storage, read_write> runningMean: array<f32>',
    'var<storage, read_write> runningVar: array<f32>',
    'var<storage, read> mean: array<f32>',
    'var<storage, read> variance: array<f32>',
  ],
  params: 'momentum: f32, unbiased: f32',
  paramTypes: 'f32,f32',
  index: 'e',
  body: /* wgsl */ `
    runningMean[e] = (1.0 - p.momentum) * runningMean[e] + p.momentum * mean[e];
    runningVar[e] = (1.0 - p.momentum) * runningVar[e] + p.momentum * variance[e] * p.unbiased;`,
});

// y[n, c, i] += Σ x[n, c', i] over c' ∈ [c − before, c + after] ∩ channels, added in increasing c'.
const CHANNEL_WINDOW_SUM = kernel1d({
  name: 'channelWindowSum',
  bindings: ['var<storage, read> x: array<f32>', 'var<storage, read_write> y: array<f32>'],
  params: 'channels: u32, inner: u32, before: u32, after: u32',
  index: 'e',
  body: /* wgsl */ `
    let i = e % p.inner;
    let c = (e / p.inner) % p.channels;
    let image = e / (p.inner * p.channels);
    let lo = select(0u, c - p.before, c > p.before);
    let hi = min(p.channels - 1u, c + min(p.after, p.channels));
    var s = y[e];
    for (var k = lo; k <= hi; k++) { s += x[(image * p.channels + k) * p.inner + i]; }
    y[e] = s;`,
});

/** Every array here is float32 tensor data (statistics too: accumulatorDtype on the GPU). */
const f32 = (a: KernelArray): GpuArray => gpuArrayOf(a, 'norm', undefined, 'float32');

/** Invocations per reduction workgroup: the largest power of two up to 256 the device allows. */
function reductionSize(rt: WebGPURuntime): number {
  const limit = Math.min(256, rt.maxWorkgroupSize, rt.limits.maxComputeWorkgroupSizeX);
  let size = 1;
  while (size * 2 <= limit) size *= 2;
  return size;
}

const reductionKernels = new WeakMap<WebGPURuntime, { stats: GpuKernel; sums: GpuKernel }>();

function reductions(rt: WebGPURuntime): { stats: GpuKernel; sums: GpuKernel } {
  let kernels = reductionKernels.get(rt);
  if (kernels === undefined) {
    const size = reductionSize(rt);
    kernels = { stats: statsKernel(size), sums: sumsKernel(size) };
    reductionKernels.set(rt, kernels);
  }
  return kernels;
}

/** One workgroup per group, numbered over a 2-D grid when there are more than 65535. */
const perGroup = (groups: number): [number, number] => workgroups1d(groups, 1);

function groupStats(x: KernelArray, outer: number, groups: number, inner: number, mean: KernelArray, variance: KernelArray): void {
  const rt = webgpuRuntime();
  rt.run(reductions(rt).stats, [f32(x), f32(mean), f32(variance)], [groups, inner, outer * inner], perGroup(groups));
}

export const webgpuNorm: NormKernels = {
  groupStats,

  normalize(x, outer, groups, inner, weight, bias, eps, y, mean, variance) {
    groupStats(x, outer, groups, inner, mean, variance);
    webgpuNorm.normalizeWithStats(x, outer, groups, inner, mean, variance, weight, bias, eps, y);
  },

  normalizeWithStats(x, outer, groups, inner, mean, variance, weight, bias, eps, y) {
    const arrays = [f32(x), f32(mean), f32(variance)];
    if (weight !== null) arrays.push(f32(weight));
    if (bias !== null) arrays.push(f32(bias));
    arrays.push(f32(y));
    launch1d(NORMALIZE[(weight !== null ? 2 : 0) + (bias !== null ? 1 : 0)]!, arrays, x.length, [groups, inner, eps]);
  },

  normalizeSums(g, x, outer, groups, inner, mean, variance, eps, out) {
    const rt = webgpuRuntime();
    rt.run(reductions(rt).sums, [f32(g), f32(x), f32(mean), f32(variance), f32(out)], [groups, inner, outer * inner, eps], perGroup(groups));
  },

  normalizeBackward(g, x, outer, groups, inner, mean, variance, eps, count, sums, weight, dx) {
    const arrays = [f32(g), f32(x), f32(mean), f32(variance), f32(sums)];
    if (weight !== null) arrays.push(f32(weight));
    arrays.push(f32(dx));
    launch1d(BACKWARD[weight !== null ? 1 : 0]!, arrays, x.length, [groups, inner, eps, count]);
  },

  updateRunningStats(runningMean, runningVar, mean, variance, momentum, unbiased) {
    launch1d(RUNNING_STATS, [f32(runningMean), f32(runningVar), f32(mean), f32(variance)], mean.length, [momentum, unbiased]);
  },

  channelWindowSum(x, outer, channels, inner, before, after, y) {
    launch1d(CHANNEL_WINDOW_SUM, [f32(x), f32(y)], outer * channels * inner, [channels, inner, before, after]);
  },
};
