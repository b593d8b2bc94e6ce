// The WebGPU reduce kernels (ReduceKernels, backend/reduce.ts) in WGSL, the CPU kernels'
// semantics (backend/cpu/reduce.ts, softmax.ts, statistics.ts, select.ts) without a permuted copy.
//
// Every kernel but topk walks "lines": output (or softmax line) l reads n elements of x at
// base(l) + off(j), j < n. base and off come from the shape: its dims with size 1 dropped and
// adjacent dims of the same kind (kept or reduced) merged, each block a (size, stride) pair of x;
// the blocks go to the GPU as a small u32 array (named `dims` in WGSL, where `meta` is reserved),
// so any set of dims, of any rank, is one kernel. A line shorter than LONG_ROW is reduced by one
// invocation, in index order; a longer one by a workgroup of 64 (within every adapter's limits):
// invocation t combines j = t, t + 64, ... in order, then a shared-memory tree halves the 64
// partials (32, 16, ..., 1). The order is fixed by the shape alone, no atomics: results are
// deterministic. Float32 sums are therefore sequential (short lines) or 64 strided sequential
// sums joined by a tree (long lines), all in float32 (the CPU sums a variance in float64, and
// float32 sums in float64 within a contiguous run): expect float32 summation error, ~n·2⁻²⁴ of
// Σ|x| at worst.
//
// WGSL lets a compiler assume that no value is NaN or infinite, so NaN and ±∞ are told by their
// bits, made from bits, and handled by explicit selects (not left to IEEE arithmetic on them).
import { stridesOf } from '../../tensor/shape.js';
import type { ReduceKernels } from '../reduce.js';
import type { KernelArray } from '../storage.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { entry1d, grid1d } from './kernel1d.js';
import { type GpuKernel, webgpuRuntime, workgroups1d } from './runtime.js';

const WG = 64;

/** Lines at least this long are reduced by a workgroup each; shorter ones by one invocation each. */
export const LONG_ROW = 256;

/**
 * topk ranks by counting (one invocation per element, size² reads per line) up to this size, or
 * when k > size / 4; else by k selection rounds (a workgroup per line, k·size reads). A large k on
 * a long line is slow either way (there is no GPU sort here).
 */
export const TOPK_COUNT_MAX = 1024;

/** How x splits into lines: their count, their length n, and the block metadata for base/off. */
interface Lines {
  readonly lines: number;
  readonly n: number;
  /** [nk, nr, kept sizes (nk), kept strides (nk), reduced sizes (nr), reduced strides (nr)]. */
  readonly meta: Int32Array;
}

function linesOf(shape: readonly number[], dims: readonly number[]): Lines {
  const strides = stridesOf(shape);
  const kept: [number, number][] = [];
  const reduced: [number, number][] = [];
  let last: [number, number][] | null = null;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const blocks = dims.includes(d) ? reduced : kept;
    // Row-major: dim d spans (size of d+1) × (stride of d+1), so a run of one kind is one block.
    if (blocks === last) blocks[blocks.length - 1] = [blocks[blocks.length - 1]![0] * size, strides[d]!];
    else blocks.push([size, strides[d]!]);
    last = blocks;
  }
  const meta = [kept.length, reduced.length, ...kept.map((b) => b[0]), ...kept.map((b) => b[1]), ...reduced.map((b) => b[0]), ...reduced.map((b) => b[1])];
  return { lines: kept.reduce((p, b) => p * b[0], 1), n: reduced.reduce((p, b) => p * b[0], 1), meta: Int32Array.from(meta) };
}

const wgslType = (a: GpuArray): 'f32' | 'i32' => (a.dtype === 'float32' ? 'f32' : 'i32');

/** Bit tests and non-finite constants (made at run time from bits: a const inf or NaN is a WGSL error). */
const FLOAT_BITS = /* wgsl */ `
  fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
  fn isInf(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u; }
  fn isFinite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) < 0x7f800000u; }
  fn fromBits(b: u32) -> f32 { var w = b; return bitcast<f32>(w); }
  fn nanF32() -> f32 { return fromBits(0x7fc00000u); }
  fn posInf() -> f32 { return fromBits(0x7f800000u); }
  fn negInf() -> f32 { return fromBits(0xff800000u); }`;

/** base(l): the offset of line l's first element; off(j): of its j-th element relative to base. */
const OFFSETS = /* wgsl */ `
  fn base(l: u32) -> u32 {
    let nk = dims[0];
    var rem = l;
    var at = 0u;
    for (var d = nk; d > 0u; d = d - 1u) {
      let size = dims[1u + d];
      at = at + (rem % size) * dims[1u + nk + d];
      rem = rem / size;
    }
    return at;
  }
  fn off(j: u32) -> u32 {
    let nk = dims[0];
    let nr = dims[1];
    let s0 = 2u + 2u * nk;
    if (nr == 1u) { return j * dims[s0 + 1u]; }
    var rem = j;
    var at = 0u;
    for (var d = nr; d > 0u; d = d - 1u) {
      let size = dims[s0 + d - 1u];
      at = at + (rem % size) * dims[s0 + nr + d - 1u];
      rem = rem / size;
    }
    return at;
  }`;

/** One reduction over a line: the accumulator's WGSL type, its identity, the term of element v (index j), and the combining function's name. */
interface Pass {
  readonly acc: string;
  readonly identity: string;
  readonly term: string;
  readonly combine: string;
}

/** What a line kernel computes. */
interface LineSpec {
  readonly name: string;
  /** WGSL functions (combines, helpers). */
  readonly helpers: string;
  /** Extra uniform parameters after `lines: u32, n: u32`: name and type. */
  readonly params?: readonly [string, 'u32' | 'f32'][];
  /** The passes, in order: pass i's result is `r{i}`, visible to later passes' terms. */
  readonly passes: readonly Pass[];
  /** Statements run once per line (by one invocation) after the passes; `l` is the line. */
  readonly finish?: string;
  /** Statements run for every element of the line after the passes: `v`, `j`, and `at` (its offset in x). */
  readonly each?: string;
}

function passCode(pass: Pass, i: number, long: boolean): string {
  const loop = long ? `for (var j = t; j < p.n; j = j + ${WG}u)` : 'for (var j = 0u; j < p.n; j = j + 1u)';
  const acc = `var a${i}: ${pass.acc} = ${pass.identity};
    ${loop} { let v = x[b + off(j)]; a${i} = ${pass.combine}(a${i}, ${pass.term}); }`;
  if (!long) return `${acc}\n    let r${i} = a${i};`;
  // Each pass has its own shared array; the barrier after reading it keeps a later write (the
  // same pass in a loop) from racing with slower invocations' reads.
  return `${acc}
    sh${i}[t] = a${i};
    workgroupBarrier();
    for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
      if (t < s) { sh${i}[t] = ${pass.combine}(sh${i}[t], sh${i}[t + s]); }
      workgroupBarrier();
    }
    let r${i} = sh${i}[0];
    workgroupBarrier();`;
}

function lineKernel(spec: LineSpec, xType: string, outType: string, long: boolean): GpuKernel {
  const extra = spec.params ?? [];
  const shared = long ? spec.passes.map((pass, i) => `var<workgroup> sh${i}: array<${pass.acc}, ${WG}>;`).join('\n  ') : '';
  const finish = spec.finish === undefined ? '' : long ? `if (t == 0u) { ${spec.finish} }` : spec.finish;
  const each = spec.each === undefined ? '' : `${long ? `for (var j = t; j < p.n; j = j + ${WG}u)` : 'for (var j = 0u; j < p.n; j = j + 1u)'} {
      let at = b + off(j);
      let v = x[at];
      ${spec.each}
    }`;
  const body = /* wgsl */ `
    let b = base(l);
    ${spec.passes.map((pass, i) => passCode(pass, i, long)).join('\n    ')}
    ${finish}
    ${each}`;
  const code = /* wgsl */ `
  @group(0) @binding(0) var<storage, read> x: array<${xType}>;
  @group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
  @group(0) @binding(2) var<storage, read> dims: array<u32>;
  struct Params { lines: u32, n: u32, ${extra.map(([n, t]) => `${n}: ${t},`).join(' ')} }
  @group(0) @binding(3) var<uniform> p: Params;
  ${shared}
  ${FLOAT_BITS}
  ${OFFSETS}
  ${spec.helpers}
  ${long ? `@compute @workgroup_size(${WG})
  fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    let l = wid.x + wid.y * nwg.x;
    if (l >= p.lines) { return; }
${body}
  }` : entry1d('l', 'p.lines', body)}`;
  return { name: spec.name, code, paramTypes: ['u32', 'u32', ...extra.map(([, t]) => t)].join(',') };
}

const kernels = new Map<string, GpuKernel>();

/** Runs `spec` over the lines of x (one output, or one softmax line, per line). */
function runLines(spec: LineSpec, x: KernelArray, out: KernelArray, { lines, n, meta }: Lines, extra: readonly number[] = []): void {
  const gx = gpuArrayOf(x, spec.name);
  const go = gpuArrayOf(out, spec.name);
  if (lines === 0) return;
  const long = n >= LONG_ROW;
  const key = `${spec.name}:${gx.dtype}:${go.dtype}:${long}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    kernel = lineKernel(spec, wgslType(gx), wgslType(go), long);
    kernels.set(key, kernel);
  }
  const rt = webgpuRuntime();
  // Uploaded per call and released after the run: a later writeBuffer into the recycled buffer is
  // queued after this kernel's submission.
  const m = rt.upload(meta);
  try {
    rt.run(kernel, [gx, go, m], [lines, n, ...extra], long ? workgroups1d(lines, 1) : grid1d(lines));
  } finally {
    rt.release(m);
  }
}

/** [outer, size, inner] as lines: outputs (o, i) in row-major order, each reading j·inner. */
const linesAround = (outer: number, size: number, inner: number): Lines => linesOf([outer, size, inner], [1]);

// ---- sum, max, min ----

const ADD = 'fn add(a: ACC, b: ACC) -> ACC { return a + b; }';

function sumSpec(type: string): LineSpec {
  return {
    name: 'sum',
    helpers: ADD.replaceAll('ACC', type),
    passes: [{ acc: type, identity: `${type}(0)`, term: 'v', combine: 'add' }],
    // out += Σ (the interface's contract; ops zero-fill out).
    finish: 'out[l] = out[l] + r0;',
  };
}

/** max or min; float: NaN wins (the first one met), else the larger (smaller) value. */
function extremumSpec(name: 'max' | 'min', type: string): LineSpec {
  const better = name === 'max' ? '>' : '<';
  if (type === 'i32') {
    return {
      name,
      helpers: `fn pick(a: i32, b: i32) -> i32 { return ${name}(a, b); }`,
      passes: [{ acc: 'i32', identity: name === 'max' ? 'i32(-2147483647 - 1)' : 'i32(2147483647)', term: 'v', combine: 'pick' }],
      finish: 'out[l] = r0;',
    };
  }
  return {
    name,
    helpers: `fn pick(a: f32, b: f32) -> f32 {
      if (isNan(a)) { return a; }
      if (isNan(b)) { return b; }
      return select(a, b, b ${better} a);
    }`,
    passes: [{ acc: 'f32', identity: name === 'max' ? 'negInf()' : 'posInf()', term: 'v', combine: 'pick' }],
    finish: 'out[l] = r0;',
  };
}

// ---- logsumexp, softmax, log-softmax, variance (float32 only) ----

/**
 * (the largest non-NaN value, the count of NaNs): the first pass of logsumexp and the softmaxes.
 * Terms below max − 88 are taken as 0 in the second: e^{−88} < 2⁻¹²⁶, nothing against the max's 1.
 */
const MAX_AND_NANS = `
  fn maxNan(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(select(a.x, b.x, b.x > a.x), a.y + b.y); }
  fn add(a: f32, b: f32) -> f32 { return a + b; }
  fn expBelow(v: f32, m: f32) -> f32 { return select(exp(v - m), 0.0, v < m - 88.0 || isNan(v)); }`;
const MAX_PASS: Pass = { acc: 'vec2<f32>', identity: 'vec2<f32>(negInf(), 0.0)', term: 'select(vec2<f32>(v, 0.0), vec2<f32>(negInf(), 1.0), isNan(v))', combine: 'maxNan' };

/** log Σ e^{v − m} + m, m the maximum (NaN propagates; an infinite m is the answer: +∞, or −∞ for all −∞ and empty lines). */
const LOG_SUM_EXP: LineSpec = {
  name: 'logSumExp',
  helpers: MAX_AND_NANS,
  passes: [MAX_PASS, { acc: 'f32', identity: '0.0', term: 'expBelow(v, select(r0.x, 0.0, isInf(r0.x)))', combine: 'add' }],
  finish: 'out[l] = select(select(log(r1) + r0.x, r0.x, isInf(r0.x)), nanF32(), r0.y > 0.0);',
};

/**
 * The CPU's results without IEEE arithmetic on non-finite values: a line with a NaN or a +∞ (e^{∞−∞}),
 * or of −∞ only (0/0), is all NaN; −∞ elements of other lines give 0 (softmax) and −∞ (log).
 */
function softmaxSpec(name: 'softmax' | 'logSoftmax'): LineSpec {
  const value = name === 'softmax' ? 'expBelow(v, r0.x) / r1' : 'select(v - r0.x - log(r1), negInf(), isInf(v))';
  return {
    name,
    helpers: MAX_AND_NANS,
    passes: [MAX_PASS, { acc: 'f32', identity: '0.0', term: 'expBelow(v, r0.x)', combine: 'add' }],
    each: `out[at] = select(${value}, nanF32(), r0.y > 0.0 || isInf(r0.x));`,
  };
}

/**
 * Σ (v − mean)² / divisor in two passes. Any non-finite element makes the CPU's result NaN (∞ − ∞
 * or NaN in its deviations); a zero divisor gives +∞, or NaN for a zero sum (0/0).
 */
const VARIANCE: LineSpec = {
  name: 'variance',
  params: [['divisor', 'f32']],
  helpers: `
    fn add2(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return a + b; }
    fn add(a: f32, b: f32) -> f32 { return a + b; }
    fn dev2(v: f32, mean: f32) -> f32 { let d = v - mean; return d * d; }`,
  passes: [
    { acc: 'vec2<f32>', identity: 'vec2<f32>(0.0)', term: 'select(vec2<f32>(v, 0.0), vec2<f32>(0.0, 1.0), !isFinite(v))', combine: 'add2' },
    { acc: 'f32', identity: '0.0', term: 'dev2(v, r0.x / f32(p.n))', combine: 'add' },
  ],
  finish: `
    let q = select(r1 / p.divisor, select(posInf(), nanF32(), r1 == 0.0), p.divisor == 0.0);
    out[l] = select(q, nanF32(), r0.y > 0.0);`,
};

// ---- argmax, argmin ----

const NONE = '0xffffffffu';

/** (value, index) pairs: NaN beats every number, equals go to the lower index; index NONE is the identity. */
function argSpec(name: 'argmax' | 'argmin', type: string): LineSpec {
  const better = name === 'argmax' ? '>' : '<';
  const beats = type === 'f32'
    ? `fn beats(a: f32, b: f32) -> bool {
        if (isNan(a)) { return !isNan(b); }
        if (isNan(b)) { return false; }
        return a ${better} b;
      }`
    : `fn beats(a: i32, b: i32) -> bool { return a ${better} b; }`;
  return {
    name,
    helpers: `
      struct Pair { v: ${type}, j: u32 }
      ${beats}
      fn pick(a: Pair, b: Pair) -> Pair {
        if (b.j == ${NONE}) { return a; }
        if (a.j == ${NONE}) { return b; }
        if (beats(b.v, a.v)) { return b; }
        if (beats(a.v, b.v)) { return a; }
        if (b.j < a.j) { return b; }
        return a;
      }`,
    passes: [{ acc: 'Pair', identity: `Pair(${type}(0), ${NONE})`, term: 'Pair(v, j)', combine: 'pick' }],
    // An empty line (size 0) gives 0, as the CPU's.
    finish: `out[l] = select(i32(r0.j), 0, r0.j == ${NONE});`,
  };
}

// ---- topk ----

/** Does (a, ia) rank before (b, ib)? torch.topk's order (NaN above every number), ties by index. */
function topkOrder(type: string): string {
  const ranks = type === 'f32'
    ? `fn ranksBefore(a: f32, b: f32) -> bool {
        let na = isNan(a);
        let nb = isNan(b);
        if (na || nb) { return select((nb && !na), (na && !nb), p.largest != 0u); }
        return select((a < b), (a > b), p.largest != 0u);
      }`
    : `fn ranksBefore(a: i32, b: i32) -> bool { return select((a < b), (a > b), p.largest != 0u); }`;
  return `${ranks}
    fn before(a: ${type}, ia: u32, b: ${type}, ib: u32) -> bool {
      return ranksBefore(a, b) || (!ranksBefore(b, a) && ia < ib);
    }`;
}

function topkHeader(xType: string): string {
  return /* wgsl */ `
  @group(0) @binding(0) var<storage, read> x: array<${xType}>;
  @group(0) @binding(1) var<storage, read_write> out: array<i32>;
  struct Params { lines: u32, size: u32, inner: u32, k: u32, largest: u32, total: u32 }
  @group(0) @binding(2) var<uniform> p: Params;
  ${FLOAT_BITS}
  ${topkOrder(xType)}`;
}

/** One invocation per element: its rank is the number of elements ranking before it; ranks below k are written. */
function topkCountKernel(xType: string): GpuKernel {
  const code = /* wgsl */ `${topkHeader(xType)}
  ${entry1d('e', 'p.total', `
    let l = e / p.size;
    let j = e % p.size;
    let o = l / p.inner;
    let i = l % p.inner;
    let b = o * p.size * p.inner + i;
    let v = x[b + j * p.inner];
    var rank = 0u;
    for (var q = 0u; q < p.size; q = q + 1u) {
      if (before(x[b + q * p.inner], q, v, j)) { rank = rank + 1u; }
    }
    if (rank < p.k) { out[(o * p.k + rank) * p.inner + i] = i32(j); }`)}`;
  return { name: 'topk', code };
}

/** A workgroup per line, k rounds: round r picks the first element ranking after round r − 1's pick (a tree of (value, index) pairs). */
function topkSelectKernel(xType: string): GpuKernel {
  const code = /* wgsl */ `${topkHeader(xType)}
  struct Pair { v: ${xType}, j: u32 }
  var<workgroup> sh: array<Pair, ${WG}>;
  fn pick(a: Pair, b: Pair) -> Pair {
    if (b.j == ${NONE}) { return a; }
    if (a.j == ${NONE}) { return b; }
    if (before(b.v, b.j, a.v, a.j)) { return b; }
    return a;
  }
  @compute @workgroup_size(${WG})
  fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
    let l = wid.x + wid.y * nwg.x;
    if (l >= p.lines) { return; }
    let o = l / p.inner;
    let i = l % p.inner;
    let b = o * p.size * p.inner + i;
    var prev = Pair(${xType}(0), ${NONE});
    for (var r = 0u; r < p.k; r = r + 1u) {
      var best = Pair(${xType}(0), ${NONE});
      for (var j = t; j < p.size; j = j + ${WG}u) {
        let v = x[b + j * p.inner];
        if (prev.j == ${NONE} || before(prev.v, prev.j, v, j)) { best = pick(best, Pair(v, j)); }
      }
      sh[t] = best;
      workgroupBarrier();
      for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
        if (t < s) { sh[t] = pick(sh[t], sh[t + s]); }
        workgroupBarrier();
      }
      prev = sh[0];
      workgroupBarrier();
      if (t == 0u) { out[(o * p.k + r) * p.inner + i] = i32(prev.j); }
    }
  }`;
  return { name: 'topk', code };
}

function topk(x: KernelArray, outer: number, size: number, inner: number, k: number, largest: boolean, out: KernelArray): void {
  const gx = gpuArrayOf(x, 'topk');
  const go = gpuArrayOf(out, 'topk');
  const lines = outer * inner;
  if (lines === 0 || k === 0) return;
  const count = size <= TOPK_COUNT_MAX || k * 4 > size;
  const key = `topk:${gx.dtype}:${count}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    kernel = count ? topkCountKernel(wgslType(gx)) : topkSelectKernel(wgslType(gx));
    kernels.set(key, kernel);
  }
  const total = lines * size;
  webgpuRuntime().run(kernel, [gx, go], [lines, size, inner, k, largest ? 1 : 0, total], count ? grid1d(total) : workgroups1d(lines, 1));
}

const SOFTMAX = softmaxSpec('softmax');
const LOG_SOFTMAX = softmaxSpec('logSoftmax');
const specs = {
  sum: { f32: sumSpec('f32'), i32: sumSpec('i32') },
  max: { f32: extremumSpec('max', 'f32'), i32: extremumSpec('max', 'i32') },
  min: { f32: extremumSpec('min', 'f32'), i32: extremumSpec('min', 'i32') },
  argmax: { f32: argSpec('argmax', 'f32'), i32: argSpec('argmax', 'i32') },
  argmin: { f32: argSpec('argmin', 'f32'), i32: argSpec('argmin', 'i32') },
};
const typeOf = (a: KernelArray, op: string): 'f32' | 'i32' => wgslType(gpuArrayOf(a, op));

/** A float32 input (the float-only kernels; ops check it, WebGPU holds no float64). */
const float32 = (x: KernelArray, op: string): KernelArray => gpuArrayOf(x, op, 'x', 'float32');

/** The reduce kernels of device 'webgpu'. */
export const webgpuReduce: ReduceKernels = {
  sum: (x, shape, dims, out) => runLines(specs.sum[typeOf(x, 'sum')], x, out, linesOf(shape, dims)),
  max: (x, shape, dims, out) => runLines(specs.max[typeOf(x, 'max')], x, out, linesOf(shape, dims)),
  min: (x, shape, dims, out) => runLines(specs.min[typeOf(x, 'min')], x, out, linesOf(shape, dims)),
  softmax: (x, shape, dim, out) => runLines(SOFTMAX, float32(x, 'softmax'), out, linesOf(shape, [dim])),
  logSoftmax: (x, shape, dim, out) => runLines(LOG_SOFTMAX, float32(x, 'logSoftmax'), out, linesOf(shape, [dim])),
  logSumExp: (x, shape, dims, out) => runLines(LOG_SUM_EXP, float32(x, 'logSumExp'), out, linesOf(shape, dims)),
  variance: (x, shape, dims, correction, out) => {
    const lines = linesOf(shape, dims);
    runLines(VARIANCE, float32(x, 'variance'), out, lines, [Math.max(0, lines.n - correction)]);
  },
  argmax: (x, outer, size, inner, out) => runLines(specs.argmax[typeOf(x, 'argmax')], x, out, linesAround(outer, size, inner)),
  argmin: (x, outer, size, inner, out) => runLines(specs.argmin[typeOf(x, 'argmin')], x, out, linesAround(outer, size, inner)),
  topk,
};
