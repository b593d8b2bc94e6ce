// The WebGPU backend's conv kernels (backend/conv.ts) as implicit GEMMs on the tiled shader
// (tiled.ts), one product per group, each reading its operands through the window geometry
// (no im2col buffer):
// - forward:    y[g]  (coutG × n·outH·outW) = w[g] (coutG × cinG·kH·kW) · gather(x)[g];
// - inputGrad:  dx[g] (cinG × n·inH·inW)    = w[g]ᵀ · scatter⁻¹(dy)[g]: each dx element gathers the
//   dy positions whose windows read it (the taps where (i + pad − tap·dilation) is a multiple of
//   the stride inside the output), so every element is one sum in a fixed order, no atomics;
// - filterGrad: dw[g] (coutG × cinG·kH·kW)   = dy[g] (coutG × n·outH·outW) · gather(x)[g]ᵀ.
// filterGrad's K (every output position of every image) is long and its result small, so it is
// cut into K chunks that run in parallel into a scratch array, summed afterwards in chunk order.
import type { ConvKernels, ConvProblem } from '../conv.js';
import type { KernelArray } from '../storage.js';
import type { GpuArray } from './gpu-array.js';
import { type GpuKernel, webgpuRuntime, workgroups1d } from './runtime.js';
import { TILE_M, TILE_N, float32Array, runTiled, tiledKernel } from './tiled.js';

/** The geometry every conv shader receives (i32 members of its Params, after M, N, K). */
const GEOMETRY = ['n', 'cin', 'cout', 'cinG', 'coutG', 'inH', 'inW', 'outH', 'outW', 'kH', 'kW', 'sH', 'sW', 'dH', 'dW', 'pT', 'pL'] as const;

function geometry(p: ConvProblem): number[] {
  const g = p.window;
  const values: Record<(typeof GEOMETRY)[number], number> = {
    n: p.n, cin: p.cin, cout: p.cout, cinG: p.cin / p.groups, coutG: p.cout / p.groups, inH: g.inH, inW: g.inW, outH: g.outH, outW: g.outW,
    kH: g.kH, kW: g.kW, sH: g.strideH, sW: g.strideW, dH: g.dilationH, dW: g.dilationW, pT: g.padTop, pL: g.padLeft,
  };
  return GEOMETRY.map((k) => values[k]);
}

/** WGSL: input row and column (ih, iw) read by output position `pos` of a plane through tap `tap`. */
const WINDOW_TAP = /* wgsl */ `
fn windowTap(pos: i32, tap: i32) -> vec2<i32> {
  let oh = pos / p.outW;
  let ow = pos - oh * p.outW;
  let kh = tap / p.kW;
  let kw = tap - kh * p.kW;
  return vec2<i32>(oh * p.sH - p.pT + kh * p.dH, ow * p.sW - p.pL + kw * p.dW);
}

/** x[img, channel ci of group g, at] or 0 in the padding. */
fn xAt(img: i32, g: i32, ci: i32, at: vec2<i32>) -> f32 {
  if (at.x < 0 || at.x >= p.inH || at.y < 0 || at.y >= p.inW) { return 0.0; }
  return x[((img * p.cin + g * p.cinG + ci) * p.inH + at.x) * p.inW + at.y];
}`;

function forwardKernel(bias: boolean): GpuKernel {
  return tiledKernel({
    name: 'conv2d forward',
    bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;${bias ? `
@group(0) @binding(3) var<storage, read> bias: array<f32>;` : ''}`,
    params: GEOMETRY,
    functions: /* wgsl */ `${WINDOW_TAP}
fn loadA(g: i32, r: i32, k: i32) -> f32 { return w[(g * p.coutG + r) * p.K + k]; }
fn loadB(g: i32, k: i32, c: i32) -> f32 {
  let P = p.outH * p.outW;
  let img = c / P;
  let T = p.kH * p.kW;
  let ci = k / T;
  return xAt(img, g, ci, windowTap(c - img * P, k - ci * T));
}
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  let P = p.outH * p.outW;
  let img = c / P;
  let co = g * p.coutG + r;
  y[(img * p.cout + co) * P + c - img * P] = v${bias ? ' + bias[co]' : ''};
}`,
  });
}

function inputGradKernel(bias: boolean): GpuKernel {
  return tiledKernel({
    name: 'conv2d inputGrad',
    bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;${bias ? `
@group(0) @binding(3) var<storage, read> bias: array<f32>;` : ''}`,
    params: GEOMETRY,
    functions: /* wgsl */ `
fn loadA(g: i32, r: i32, k: i32) -> f32 {
  let T = p.kH * p.kW;
  let co = k / T;
  return w[((g * p.coutG + co) * p.cinG + r) * T + k - co * T];
}
fn loadB(g: i32, k: i32, c: i32) -> f32 {
  let plane = p.inH * p.inW;
  let img = c / plane;
  let pos = c - img * plane;
  let ih = pos / p.inW;
  let iw = pos - ih * p.inW;
  let T = p.kH * p.kW;
  let co = k / T;
  let tap = k - co * T;
  let kh = tap / p.kW;
  let kw = tap - kh * p.kW;
  // The output (oh, ow) whose window reads (ih, iw) through this tap, if there is one.
  let th = ih + p.pT - kh * p.dH;
  let tw = iw + p.pL - kw * p.dW;
  if (th < 0 || tw < 0) { return 0.0; }
  let oh = th / p.sH;
  let ow = tw / p.sW;
  if (oh * p.sH != th || ow * p.sW != tw || oh >= p.outH || ow >= p.outW) { return 0.0; }
  return dy[((img * p.cout + g * p.coutG + co) * p.outH + oh) * p.outW + ow];
}
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  let plane = p.inH * p.inW;
  let img = c / plane;
  let ci = g * p.cinG + r;
  dx[(img * p.cin + ci) * plane + c - img * plane] = v${bias ? ' + bias[ci]' : ''};
}`,
  });
}

/** filterGrad's product; split s of group g's rows go to out[s·cout·N + (g·coutG + r)·N + c] (dw itself when unsplit). */
const FILTER_GRAD = tiledKernel({
  name: 'conv2d filterGrad',
  bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;`,
  params: GEOMETRY,
  functions: /* wgsl */ `${WINDOW_TAP}
fn loadA(g: i32, r: i32, k: i32) -> f32 {
  let P = p.outH * p.outW;
  let img = k / P;
  return dy[(img * p.cout + g * p.coutG + r) * P + k - img * P];
}
fn loadB(g: i32, k: i32, c: i32) -> f32 {
  let P = p.outH * p.outW;
  let img = k / P;
  let T = p.kH * p.kW;
  let ci = c / T;
  return xAt(img, g, ci, windowTap(k - img * P, c - ci * T));
}
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  out[(s * p.cout + g * p.coutG + r) * p.N + c] = v;
}`,
});

/** dw[i] = Σ_s partial[s·length + i], s in order. */
const SUM_SPLITS: GpuKernel = {
  name: 'conv2d filterGrad (sum of K chunks)',
  code: /* wgsl */ `
@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> dw: array<f32>;
struct Params { length: u32, splits: u32 }
@group(0) @binding(2) var<uniform> p: Params;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * (nwg.x * 64u);
  if (i >= p.length) { return; }
  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) { sum += partial[s * p.length + i]; }
  dw[i] = sum;
}`,
};

const FORWARD = { bias: forwardKernel(true), plain: forwardKernel(false) };
const INPUT_GRAD = { bias: inputGradKernel(true), plain: inputGradKernel(false) };

/** Workgroups filterGrad aims for before it splits K (enough to occupy a GPU's cores). */
const TARGET_WORKGROUPS = 64;
/** The shortest K chunk worth a workgroup of its own (16 slices of the tile's K depth). */
const MIN_CHUNK = 256;

/** How many K chunks filterGrad computes separately: a function of the shape only, so results are deterministic. */
export function filterGradSplits(p: ConvProblem): number {
  const g = p.window;
  const K = p.n * g.outH * g.outW;
  const tiles = Math.ceil(p.cout / p.groups / TILE_M) * Math.ceil((p.cin / p.groups) * g.kH * g.kW / TILE_N) * p.groups;
  return Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(K / MIN_CHUNK)));
}

function operands(op: string, named: Record<string, KernelArray>): GpuArray[] {
  return Object.entries(named).map(([name, a]) => float32Array(op, name, a));
}

/** The WebGPU backend's conv kernels (float32). */
export const webgpuConv: ConvKernels = {
  forward(p, y, x, w, b) {
    const arrays = operands('conv2d forward', { x, w, y, ...(b === null ? {} : { b }) });
    const g = p.window;
    const M = p.cout / p.groups;
    const K = (p.cin / p.groups) * g.kH * g.kW;
    runTiled(webgpuRuntime(), b === null ? FORWARD.plain : FORWARD.bias, arrays, { M, N: p.n * g.outH * g.outW, K, params: geometry(p), products: p.groups });
  },
  inputGrad(p, dx, dy, w, b) {
    const arrays = operands('conv2d inputGrad', { dy, w, dx, ...(b === null ? {} : { b }) });
    const g = p.window;
    const M = p.cin / p.groups;
    const K = (p.cout / p.groups) * g.kH * g.kW;
    runTiled(webgpuRuntime(), b === null ? INPUT_GRAD.plain : INPUT_GRAD.bias, arrays, { M, N: p.n * g.inH * g.inW, K, params: geometry(p), products: p.groups });
  },
  filterGrad(p, dw, x, dy) {
    const [xs, dys, dws] = operands('conv2d filterGrad', { x, dy, dw });
    const g = p.window;
    const runtime = webgpuRuntime();
    const shape = { M: p.cout / p.groups, N: (p.cin / p.groups) * g.kH * g.kW, K: p.n * g.outH * g.outW, params: geometry(p), products: p.groups };
    const splits = filterGradSplits(p);
    if (splits === 1) {
      runTiled(runtime, FILTER_GRAD, [xs!, dys!, dws!], shape);
      return;
    }
    const partial = runtime.allocate('float32', splits * dws!.length, false);
    runTiled(runtime, FILTER_GRAD, [xs!, dys!, partial], { ...shape, splits });
    runtime.run(SUM_SPLITS, [partial, dws!], [dws!.length, splits], workgroups1d(dws!.length, 64));
    // The queue runs both kernels before any later write into the recycled buffer (runtime.ts).
    runtime.release(partial);
  },
};
