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
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { kernel1d, launch1d } from './kernel1d.js';
import { type WebGPURuntime, webgpuRuntime } from './runtime.js';
import { TiledShader, chooseTile, runTiled } from './tiled.js';

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

/**
 * WGSL for reading x through a window: a Pos is an output position's window in one image and
 * group (where it starts), a Tap one tap of it (channel in the group, kernel row and column); an
 * element of x is xAt(pos, tap). The divisions happen once per position and per tap.
 */
const WINDOW = /* wgsl */ `
struct Pos { base: i32, h: i32, w: i32 }
struct Tap { off: i32, h: i32, w: i32 }
/** Output position q (image and place in the plane) of group g. */
fn posOf(g: i32, q: i32) -> Pos {
  let P = p.outH * p.outW;
  let img = q / P;
  let oh = (q - img * P) / p.outW;
  let ow = q - img * P - oh * p.outW;
  let h = oh * p.sH - p.pT;
  let w = ow * p.sW - p.pL;
  return Pos((img * p.cin + g * p.cinG) * p.inH * p.inW + h * p.inW + w, h, w);
}
/** Tap t: input channel t / (kH·kW) of the group, kernel row and column. */
fn tapOf(t: i32) -> Tap {
  let T = p.kH * p.kW;
  let ci = t / T;
  let kh = (t - ci * T) / p.kW;
  let kw = t - ci * T - kh * p.kW;
  let h = kh * p.dH;
  let w = kw * p.dW;
  return Tap(ci * p.inH * p.inW + h * p.inW + w, h, w);
}
/** x under tap t of window q, or 0 in the padding. */
fn xAt(q: Pos, t: Tap) -> f32 {
  let ih = q.h + t.h;
  let iw = q.w + t.w;
  if (ih < 0 || ih >= p.inH || iw < 0 || iw >= p.inW) { return 0.0; }
  return x[q.base + t.off];
}`;

/** y = w·gather(x), plus bias[co] when p.hasBias is 1. */
const FORWARD = new TiledShader({
  name: 'conv2d forward',
  bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;`,
  params: [...GEOMETRY, 'hasBias'],
  functions: /* wgsl */ `${WINDOW}
alias ARow = i32;
alias ADepth = i32;
alias BDepth = Tap;
alias BCol = Pos;
fn aRow(g: i32, r: i32) -> i32 { return (g * p.coutG + r) * p.K; }
fn aDepth(g: i32, k: i32) -> i32 { return k; }
fn loadA(r: i32, k: i32) -> f32 { return w[r + k]; }
fn bDepth(g: i32, k: i32) -> Tap { return tapOf(k); }
fn bCol(g: i32, c: i32) -> Pos { return posOf(g, c); }
fn loadB(k: Tap, c: Pos) -> f32 { return xAt(c, k); }
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  let P = p.outH * p.outW;
  let img = c / P;
  let co = g * p.coutG + r;
  var b = 0.0;
  if (p.hasBias != 0) { b = bias[co]; }
  y[(img * p.cout + co) * P + c - img * P] = v + b;
}`,
});

/** dx = wᵀ·(dy at the windows reading each input), plus bias[ci] when p.hasBias is 1. */
const INPUT_GRAD = new TiledShader({
  name: 'conv2d inputGrad',
  bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;`,
  params: [...GEOMETRY, 'hasBias'],
  // A row is an input channel ci of the group, a depth (co, tap) an output channel and a tap:
  // A[ci, (co, tap)] = w[g·coutG + co, ci, tap]. A column is an input element (image, ih, iw);
  // B[(co, tap), (ih, iw)] is dy at the output whose window reads (ih, iw) through the tap, if any.
  functions: /* wgsl */ `
struct InPos { base: i32, h: i32, w: i32 }
struct OutTap { off: i32, h: i32, w: i32 }
alias ARow = i32;
alias ADepth = i32;
alias BDepth = OutTap;
alias BCol = InPos;
fn aRow(g: i32, r: i32) -> i32 { return (g * p.coutG * p.cinG + r) * p.kH * p.kW; }
fn aDepth(g: i32, k: i32) -> i32 {
  let T = p.kH * p.kW;
  let co = k / T;
  return co * p.cinG * T + k - co * T;
}
fn loadA(r: i32, k: i32) -> f32 { return w[r + k]; }
fn bDepth(g: i32, k: i32) -> OutTap {
  let T = p.kH * p.kW;
  let co = k / T;
  let kh = (k - co * T) / p.kW;
  let kw = k - co * T - kh * p.kW;
  return OutTap(co * p.outH * p.outW, kh * p.dH, kw * p.dW);
}
fn bCol(g: i32, c: i32) -> InPos {
  let plane = p.inH * p.inW;
  let img = c / plane;
  let ih = (c - img * plane) / p.inW;
  let iw = c - img * plane - ih * p.inW;
  return InPos((img * p.cout + g * p.coutG) * p.outH * p.outW, ih + p.pT, iw + p.pL);
}
fn loadB(k: OutTap, c: InPos) -> f32 {
  // The output (oh, ow) starts its window at (oh·sH, ow·sW) in padded coordinates.
  let th = c.h - k.h;
  let tw = c.w - k.w;
  if (th < 0 || tw < 0) { return 0.0; }
  var oh = th;
  var ow = tw;
  if (p.sH != 1) { oh = th / p.sH; }
  if (p.sW != 1) { ow = tw / p.sW; }
  if (oh * p.sH != th || ow * p.sW != tw || oh >= p.outH || ow >= p.outW) { return 0.0; }
  return dy[c.base + k.off + oh * p.outW + ow];
}
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  let plane = p.inH * p.inW;
  let img = c / plane;
  let ci = g * p.cinG + r;
  var b = 0.0;
  if (p.hasBias != 0) { b = bias[ci]; }
  dx[(img * p.cin + ci) * plane + c - img * plane] = v + b;
}`,
});

/** filterGrad's product; split s of group g's rows go to out[s·cout·N + (g·coutG + r)·N + c] (dw itself when unsplit). */
const FILTER_GRAD = new TiledShader({
  name: 'conv2d filterGrad',
  bindings: /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;`,
  params: GEOMETRY,
  // A[co, (img, pos)] = dy[img, g·coutG + co, pos]; B[(img, pos), (ci, tap)] = x under the tap of that window.
  functions: /* wgsl */ `${WINDOW}
alias ARow = i32;
alias ADepth = i32;
alias BDepth = Pos;
alias BCol = Tap;
fn aRow(g: i32, r: i32) -> i32 { return (g * p.coutG + r) * p.outH * p.outW; }
fn aDepth(g: i32, k: i32) -> i32 {
  let P = p.outH * p.outW;
  let img = k / P;
  return img * p.cout * P + k - img * P;
}
fn loadA(r: i32, k: i32) -> f32 { return dy[r + k]; }
fn bDepth(g: i32, k: i32) -> Pos { return posOf(g, k); }
fn bCol(g: i32, c: i32) -> Tap { return tapOf(c); }
fn loadB(k: Pos, c: Tap) -> f32 { return xAt(k, c); }
fn store(g: i32, s: i32, r: i32, c: i32, v: f32) {
  out[(s * p.cout + g * p.coutG + r) * p.N + c] = v;
}`,
});

/** dw[i] = Σ_s partial[s·n + i] (n: dw's length), s in order. */
const SUM_SPLITS = kernel1d({
  name: 'conv2d filterGrad (sum of K chunks)',
  bindings: ['var<storage, read> partial: array<f32>', 'var<storage, read_write> dw: array<f32>'],
  params: 'splits: u32',
  body: /* wgsl */ `  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) { sum += partial[s * p.n + i]; }
  dw[i] = sum;`,
});

/** What a kernel without bias binds as its bias (one shader serves both: each costs a compile). */
const noBias = new WeakMap<WebGPURuntime, GpuArray>();

function biasArray(runtime: WebGPURuntime, op: string, b: KernelArray | null): GpuArray {
  if (b !== null) return gpuArrayOf(b, op, 'b', 'float32');
  let zero = noBias.get(runtime);
  if (zero === undefined) {
    zero = runtime.upload(new Float32Array(1));
    noBias.set(runtime, zero);
  }
  return zero;
}

/** Workgroups filterGrad aims for before it splits K (enough to occupy a GPU's cores). */
const TARGET_WORKGROUPS = 64;
/** The shortest K chunk worth a workgroup of its own. */
const MIN_CHUNK = 256;

/** How many K chunks filterGrad computes separately: a function of the shape only, so results are deterministic. */
export function filterGradSplits(p: ConvProblem): number {
  const g = p.window;
  const M = p.cout / p.groups;
  const N = (p.cin / p.groups) * g.kH * g.kW;
  const K = p.n * g.outH * g.outW;
  const tile = chooseTile(M, N);
  const blocks = Math.ceil(M / tile.tm) * Math.ceil(N / tile.tn) * p.groups;
  return Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / blocks), Math.floor(K / MIN_CHUNK)));
}

function operands(op: string, named: Record<string, KernelArray>): GpuArray[] {
  return Object.entries(named).map(([name, a]) => gpuArrayOf(a, op, name, 'float32'));
}

/** The WebGPU backend's conv kernels (float32). */
export const webgpuConv: ConvKernels = {
  forward(p, y, x, w, b) {
    const runtime = webgpuRuntime();
    const arrays = [...operands('conv2d forward', { x, w, y }), biasArray(runtime, 'conv2d forward', b)];
    const g = p.window;
    const M = p.cout / p.groups;
    const K = (p.cin / p.groups) * g.kH * g.kW;
    runTiled(runtime, FORWARD, arrays, { M, N: p.n * g.outH * g.outW, K, params: [...geometry(p), b === null ? 0 : 1], products: p.groups });
  },
  inputGrad(p, dx, dy, w, b) {
    const runtime = webgpuRuntime();
    const arrays = [...operands('conv2d inputGrad', { dy, w, dx }), biasArray(runtime, 'conv2d inputGrad', b)];
    const g = p.window;
    const M = p.cin / p.groups;
    const K = (p.cout / p.groups) * g.kH * g.kW;
    runTiled(runtime, INPUT_GRAD, arrays, { M, N: p.n * g.inH * g.inW, K, params: [...geometry(p), b === null ? 0 : 1], products: p.groups });
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
    launch1d(SUM_SPLITS, [partial, dws!], dws!.length, [splits]);
    // The queue runs both kernels before any later write into the recycled buffer (runtime.ts).
    runtime.release(partial);
  },
};
