// The WebGPU copy kernels (backend/copy.ts; the CPU kernels in backend/cpu/copy.ts and select.ts
// define what each computes). Pure copies move 32-bit words (`array<u32>`), so one shader serves
// float32 and int32 and every bit (NaN payloads, -0) arrives unchanged. Sums (the scatter-adds)
// and conversions are typed. Each invocation writes one output element and nothing else writes
// it: scatter-adds with repeated indices loop over their sources in the CPU's order (WGSL has no
// float atomics, and a fixed order makes the sums deterministic and equal to the CPU's float32
// sums), and the checks that read values back on the CPU (firstNotInt32, firstInvalidClass) return
// -1 and run on the GPU, failing the next readback (runtime.deferCheck).
import { ArgumentError } from '../../errors.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { broadcastStrides, stridesOf } from '../../tensor/shape.js';
import type { CopyKernels } from '../copy.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { deviceArrayOf } from './host-arrays.js';
import { type Kernel1d, kernel1d, launch1d } from './kernel1d.js';
import { webgpuRuntime } from './runtime.js';

/** The most dims a strided copy handles after merging the dims that stay adjacent. */
const MAX_RANK = 8;

/** The 32-bit word of 1 in `dtype` (oneHot, classWeights without weights). */
const oneBits = (a: GpuArray): number => (a.dtype === 'float32' ? 0x3f800000 : 1);

// ---- Strided copies: permute, broadcast, box ------------------------------------------------

const DIM_NAMES = Array.from({ length: MAX_RANK }, (_, k) => k);
const STRIDED: Kernel1d = kernel1d({
  name: 'copy.strided',
  bindings: ['var<storage, read> src: array<u32>', 'var<storage, read_write> dst: array<u32>'],
  params: `rank: u32, srcBase: u32, dstBase: u32, ${['d', 's', 'e'].map((c) => DIM_NAMES.map((k) => `${c}${k}: u32`).join(', ')).join(', ')}`,
  index: 't',
  body: `  var dims = array<u32, ${MAX_RANK}>(${DIM_NAMES.map((k) => `p.d${k}`).join(', ')});
  var srcStrides = array<u32, ${MAX_RANK}>(${DIM_NAMES.map((k) => `p.s${k}`).join(', ')});
  var dstStrides = array<u32, ${MAX_RANK}>(${DIM_NAMES.map((k) => `p.e${k}`).join(', ')});
  var rest = t;
  var si = p.srcBase;
  var di = p.dstBase;
  for (var k = i32(p.rank) - 1; k >= 0; k--) {
    let c = rest % dims[k];
    rest = rest / dims[k];
    si += c * srcStrides[k];
    di += c * dstStrides[k];
  }
  dst[di] = src[si];`,
});

/**
 * dst[dstBase + Σ c_k·dstStrides_k] = src[srcBase + Σ c_k·srcStrides_k] for every c in `shape`. Dims
 * of size 1 are dropped and neighbours that are adjacent in both arrays merged, so only more than
 * 8 genuinely strided dims are refused.
 */
function stridedCopy(
  op: string, src: GpuArray, srcBase: number, srcStrides: readonly number[],
  dst: GpuArray, dstBase: number, dstStrides: readonly number[], shape: readonly number[],
): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  const dims: number[] = [];
  const ss: number[] = [];
  const ds: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    const d = shape[k]!;
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && ss[last] === srcStrides[k]! * d && ds[last] === dstStrides[k]! * d) {
      dims[last] = dims[last]! * d;
      ss[last] = srcStrides[k]!;
      ds[last] = dstStrides[k]!;
    } else {
      dims.push(d);
      ss.push(srcStrides[k]!);
      ds.push(dstStrides[k]!);
    }
  }
  if (dims.length > MAX_RANK) {
    throw new ArgumentError(`${op}: the WebGPU backend copies at most ${MAX_RANK} strided dims, got ${dims.length} after merging adjacent dims (shape [${shape.join(',')}])`);
  }
  const pad = (a: number[]): number[] => [...a, ...new Array<number>(MAX_RANK - a.length).fill(1)];
  launch1d(STRIDED, [src, dst], n, [dims.length, srcBase, dstBase, ...pad(dims), ...pad(ss), ...pad(ds)]);
}

// ---- Gathers and scatter-adds along one dim -------------------------------------------------

const GATHER_ALONG: Kernel1d = kernel1d({
  name: 'copy.gatherAlong',
  bindings: ['var<storage, read> x: array<u32>', 'var<storage, read> index: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'm: u32, size: u32, inner: u32',
  index: 't',
  body: `  let i = t % p.inner;
  let q = t / p.inner;
  out[t] = x[((q / p.m) * p.size + u32(index[q % p.m])) * p.inner + i];`,
});

const TAKE_ALONG: Kernel1d = kernel1d({
  name: 'copy.takeAlong',
  bindings: ['var<storage, read> x: array<u32>', 'var<storage, read> index: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'm: u32, size: u32, inner: u32',
  index: 't',
  body: `  let i = t % p.inner;
  let o = t / p.inner / p.m;
  out[t] = x[(o * p.size + u32(index[t])) * p.inner + i];`,
});

type Scalar = 'f32' | 'i32';
const scalarOf = (a: GpuArray): Scalar => (a.dtype === 'float32' ? 'f32' : 'i32');

/**
 * The scatter-adds: output t is out[o, r, i] (r the row along the dim, base = o·m the first of o's
 * m sources), and `loop` adds to acc the g elements that land on it, in the CPU's order. The row
 * is u32 where it indexes a CSR, i32 where it is compared with an index's values.
 */
function addAlong(name: string, T: Scalar, index: readonly string[], row: 'u32' | 'i32', loop: string): Kernel1d {
  return kernel1d({
    name: `copy.${name}<${T}>`,
    bindings: [`var<storage, read> g: array<${T}>`, ...index, `var<storage, read_write> out: array<${T}>`],
    params: 'size: u32, m: u32, inner: u32',
    index: 't',
    body: `  let i = t % p.inner;
  let q = t / p.inner;
  let r = ${row === 'u32' ? 'q % p.size' : 'i32(q % p.size)'};
  let base = (q / p.size) * p.m;
  var acc = out[t];
${loop}
  out[t] = acc;`,
  });
}

/**
 * scatterAddAlong by an index in CSR form: out[o, r, i] += g[o, j, i] for the j of row r, listed
 * in increasing order by sources[offsets[r] .. offsets[r + 1]) (the CPU's summation order).
 */
const SCATTER_ADD_CSR = (T: Scalar): Kernel1d => addAlong('scatterAddAlong', T, ['var<storage, read> offsets: array<i32>', 'var<storage, read> sources: array<i32>'], 'u32', `\
  for (var e = offsets[r]; e < offsets[r + 1u]; e++) {
    acc += g[(base + u32(sources[e])) * p.inner + i];
  }`);

/** scatterAddAlong by an index on the GPU (no CSR without reading it back): each output scans all m. */
const SCATTER_ADD_SCAN = (T: Scalar): Kernel1d => addAlong('scatterAddAlong', T, ['var<storage, read> index: array<i32>'], 'i32', `\
  for (var j = 0u; j < p.m; j++) {
    if (index[j] == r) { acc += g[(base + j) * p.inner + i]; }
  }`);

/** putAddAlong: out[o, r, i] += g[o, j, i] for every j (in order) with index[o, j, i] = r. */
const PUT_ADD = (T: Scalar): Kernel1d => addAlong('putAddAlong', T, ['var<storage, read> index: array<i32>'], 'i32', `\
  for (var j = 0u; j < p.m; j++) {
    let at = (base + j) * p.inner + i;
    if (index[at] == r) { acc += g[at]; }
  }`);

const KERNELS_BY_TYPE = (make: (T: Scalar) => Kernel1d): Record<Scalar, Kernel1d> => ({ f32: make('f32'), i32: make('i32') });
const SCATTER_ADD_CSR_K = KERNELS_BY_TYPE(SCATTER_ADD_CSR);
const SCATTER_ADD_SCAN_K = KERNELS_BY_TYPE(SCATTER_ADD_SCAN);
const PUT_ADD_K = KERNELS_BY_TYPE(PUT_ADD);

interface Csr {
  /** size + 1 entries: row r's sources are sources[offsets[r] .. offsets[r + 1]). */
  readonly offsets: Int32Array;
  /** The j of each row, increasing within a row. */
  readonly sources: Int32Array;
}

/** CSRs of host index attributes, per index array and size (attributes are never modified). */
const csrs = new WeakMap<TypedArray, Map<number, Csr>>();

/** The positions j with index[j] = r, grouped by r (a counting sort, stable: j increasing). */
function csrOf(index: TypedArray, size: number): Csr {
  let bySize = csrs.get(index);
  if (bySize === undefined) {
    bySize = new Map();
    csrs.set(index, bySize);
  }
  let csr = bySize.get(size);
  if (csr === undefined) {
    const offsets = new Int32Array(size + 1);
    for (let j = 0; j < index.length; j++) offsets[index[j]! + 1]!++;
    for (let r = 0; r < size; r++) offsets[r + 1]! += offsets[r]!;
    const next = offsets.slice(0, size);
    const sources = new Int32Array(index.length);
    for (let j = 0; j < index.length; j++) sources[next[index[j]!]!++] = j;
    csr = { offsets, sources };
    bySize.set(size, csr);
  }
  return csr;
}

// ---- Conversions and the deferred checks ----------------------------------------------------

/** int32 → float32 truncates toward zero (as a typed-array set; values are checked first). */
const F32_TO_I32: Kernel1d = kernel1d({
  name: 'copy.convert<f32,i32>',
  bindings: ['var<storage, read> src: array<f32>', 'var<storage, read_write> dst: array<i32>'],
  index: 't',
  body: '  dst[t] = i32(src[t]);',
});

/**
 * int32 → float32 rounded to nearest, ties to even (as the CPU), built from the bits: WGSL lets an
 * implementation round an inexact integer conversion either way (|v| > 2²⁴).
 */
const I32_TO_F32: Kernel1d = kernel1d({
  name: 'copy.convert<i32,f32>',
  bindings: ['var<storage, read> src: array<i32>', 'var<storage, read_write> dst: array<u32>'],
  index: 't',
  body: `  let v = src[t];
  if (v == 0) { dst[t] = 0u; return; }
  let sign = select(0u, 0x80000000u, v < 0);
  let a = select(u32(v), 0u - u32(v), v < 0);
  let msb = firstLeadingBit(a);
  var m: u32;
  if (msb <= 23u) {
    m = a << (23u - msb);
  } else {
    let shift = msb - 23u;
    m = a >> shift;
    let rest = a & ((1u << shift) - 1u);
    let half = 1u << (shift - 1u);
    if (rest > half || (rest == half && (m & 1u) == 1u)) { m += 1u; }
  }
  // m is the 24-bit significand with its leading 1 (or 2²⁴ after rounding up: the carry moves into the exponent).
  dst[t] = sign | (((msb + 127u) << 23u) + (m - 0x800000u));`,
});

/**
 * flag = max over bad t of n − t (so n − flag is the first bad index): a float32 value is stored
 * by int32 iff it is −2³¹ or |v| < 2³¹, compared on the bits so NaN and ±∞ (exponent 255, above
 * 2³¹'s bits) fail whatever the compiler assumes about NaN.
 */
const NOT_INT32: Kernel1d = kernel1d({
  name: 'copy.firstNotInt32',
  bindings: ['var<storage, read> x: array<u32>', 'var<storage, read_write> flag: array<atomic<i32>>'],
  index: 't',
  body: `  let bits = x[t];
  if ((bits & 0x7fffffffu) < 0x4f000000u || bits == 0xcf000000u) { return; }
  atomicMax(&flag[0], i32(p.n - t));`,
});

/**
 * flag as NOT_INT32's for a value outside [lo, hi]; NaN (exponent 255 with a nonzero fraction) is
 * tested on the bits, since the compiler may assume comparisons never see one.
 */
const OUTSIDE: Kernel1d = kernel1d({
  name: 'copy.firstOutside',
  bindings: ['var<storage, read> x: array<f32>', 'var<storage, read_write> flag: array<atomic<i32>>'],
  params: 'lo: f32, hi: f32',
  paramTypes: 'f32,f32',
  index: 't',
  body: `  let v = x[t];
  let bits = bitcast<u32>(v);
  let nan = (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0u;
  if (!nan && v >= p.lo && v <= p.hi) { return; }
  atomicMax(&flag[0], i32(p.n - t));`,
});

const INVALID_CLASS: Kernel1d = kernel1d({
  name: 'copy.firstInvalidClass',
  bindings: ['var<storage, read> targets: array<i32>', 'var<storage, read_write> flag: array<atomic<i32>>'],
  params: 'classes: i32, ignore: i32',
  paramTypes: 'i32,i32',
  index: 't',
  body: `  let c = targets[t];
  if (c == p.ignore || (c >= 0 && c < p.classes)) { return; }
  atomicMax(&flag[0], i32(p.n - t));`,
});

/**
 * Runs a check kernel writing n − (first bad index) into a fresh flag, and defers reading it to the
 * runtime's next readback, which then rejects with `describe(first bad index)`.
 */
function deferFirstBad(name: string, check: Kernel1d, input: GpuArray, params: readonly number[], n: number, describe: (k: number) => string): void {
  const runtime = webgpuRuntime();
  const flag = runtime.allocate('int32', 1, true);
  launch1d(check, [input, flag], n, params);
  runtime.deferCheck(name, flag, (value) => describe(n - value));
}

// ---- Class-index kernels --------------------------------------------------------------------

const CLASS_GATHER: Kernel1d = kernel1d({
  name: 'copy.classGather',
  bindings: ['var<storage, read> x: array<u32>', 'var<storage, read> targets: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'classes: u32, inner: u32, ignore: i32',
  paramTypes: 'u32,u32,i32',
  index: 't',
  body: `  let c = targets[t];
  let i = t % p.inner;
  if (c == p.ignore) { out[t] = 0u; } else { out[t] = x[((t / p.inner) * p.classes + u32(c)) * p.inner + i]; }`,
});

const CLASS_SCATTER: Kernel1d = kernel1d({
  name: 'copy.classScatter',
  bindings: ['var<storage, read> g: array<u32>', 'var<storage, read> targets: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'classes: u32, inner: u32, ignore: i32',
  paramTypes: 'u32,u32,i32',
  index: 't',
  body: `  let c = targets[t];
  let i = t % p.inner;
  if (c != p.ignore) { out[((t / p.inner) * p.classes + u32(c)) * p.inner + i] = g[t]; }`,
});

const CLASS_WEIGHTS: Kernel1d = kernel1d({
  name: 'copy.classWeights',
  bindings: ['var<storage, read> targets: array<i32>', 'var<storage, read> weight: array<u32>', 'var<storage, read_write> out: array<u32>'],
  params: 'ignore: i32',
  paramTypes: 'i32',
  index: 't',
  body: '  let c = targets[t];\n  if (c == p.ignore) { out[t] = 0u; } else { out[t] = weight[u32(c)]; }',
});

const CLASS_MASK: Kernel1d = kernel1d({
  name: 'copy.classWeights',
  bindings: ['var<storage, read> targets: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'ignore: i32, one: u32',
  paramTypes: 'i32,u32',
  index: 't',
  body: '  out[t] = select(p.one, 0u, targets[t] == p.ignore);',
});

const ONE_HOT: Kernel1d = kernel1d({
  name: 'copy.oneHot',
  bindings: ['var<storage, read> indices: array<i32>', 'var<storage, read_write> out: array<u32>'],
  params: 'classes: u32, one: u32',
  index: 't',
  body: '  out[t * p.classes + u32(indices[t])] = p.one;',
});

export const webgpuCopy: CopyKernels = {
  permute(x, shape, perm, out) {
    const xStrides = stridesOf(shape);
    const outShape = perm.map((d) => shape[d]!);
    stridedCopy('permute', gpuArrayOf(x, 'permute'), 0, perm.map((d) => xStrides[d]!), gpuArrayOf(out, 'permute'), 0, stridesOf(outShape), outShape);
  },

  broadcast(x, shape, out, outShape) {
    stridedCopy('broadcast', gpuArrayOf(x, 'broadcast'), 0, broadcastStrides(shape, outShape), gpuArrayOf(out, 'broadcast'), 0, stridesOf(outShape), outShape);
  },

  box(src, srcShape, srcStart, dst, dstShape, dstStart, box) {
    const ss = stridesOf(srcShape);
    const ds = stridesOf(dstShape);
    const srcBase = srcStart.reduce((sum, c, k) => sum + c * ss[k]!, 0);
    const dstBase = dstStart.reduce((sum, c, k) => sum + c * ds[k]!, 0);
    stridedCopy('box', gpuArrayOf(src, 'box'), srcBase, ss, gpuArrayOf(dst, 'box'), dstBase, ds, box);
  },

  gatherAlong(x, outer, size, inner, index, out) {
    const m = index.length;
    const n = outer * m * inner;
    if (n === 0) return;
    launch1d(GATHER_ALONG, [gpuArrayOf(x, 'gatherAlong'), deviceArrayOf(index, 'int32'), gpuArrayOf(out, 'gatherAlong')], n, [m, size, inner]);
  },

  scatterAddAlong(g, outer, size, inner, index, out) {
    const o = gpuArrayOf(out, 'scatterAddAlong');
    const n = outer * size * inner;
    const m = index.length;
    if (n === 0 || m === 0) return;
    const gg = gpuArrayOf(g, 'scatterAddAlong');
    const params = [size, m, inner];
    if (ArrayBuffer.isView(index)) {
      // A host index (the ops' attributes): each output row visits only its own sources.
      const { offsets, sources } = csrOf(index, size);
      launch1d(SCATTER_ADD_CSR_K[scalarOf(o)], [gg, deviceArrayOf(offsets, 'int32'), deviceArrayOf(sources, 'int32'), o], n, params);
    } else {
      launch1d(SCATTER_ADD_SCAN_K[scalarOf(o)], [gg, deviceArrayOf(index, 'int32'), o], n, params);
    }
  },

  takeAlong(x, outer, size, inner, index, out) {
    const n = index.length;
    if (n === 0) return;
    const m = n / (outer * inner);
    launch1d(TAKE_ALONG, [gpuArrayOf(x, 'takeAlong'), deviceArrayOf(index, 'int32'), gpuArrayOf(out, 'takeAlong')], n, [m, size, inner]);
  },

  putAddAlong(g, outer, size, inner, index, out) {
    const o = gpuArrayOf(out, 'putAddAlong');
    const n = outer * size * inner;
    if (n === 0 || index.length === 0) return;
    const m = index.length / (outer * inner);
    launch1d(PUT_ADD_K[scalarOf(o)], [gpuArrayOf(g, 'putAddAlong'), deviceArrayOf(index, 'int32'), o], n, [size, m, inner]);
  },

  oneHot(indices, classes, out) {
    const o = gpuArrayOf(out, 'oneHot');
    const n = indices.length;
    if (n === 0) return;
    launch1d(ONE_HOT, [deviceArrayOf(indices, 'int32'), o], n, [classes, oneBits(o)]);
  },

  convert(src, dst) {
    const s = gpuArrayOf(src, 'convert');
    const d = gpuArrayOf(dst, 'convert');
    if (s.length !== d.length) {
      throw new ArgumentError(`convert: src has ${s.length} elements but dst has ${d.length}`);
    }
    if (s.dtype === d.dtype) {
      webgpuRuntime().copy(s, d);
      return;
    }
    launch1d(s.dtype === 'float32' ? F32_TO_I32 : I32_TO_F32, [s, d], s.length);
  },

  firstNotInt32(x) {
    const a = gpuArrayOf(x, 'firstNotInt32');
    const n = a.length;
    if (a.dtype === 'int32' || n === 0) return -1;
    deferFirstBad('firstNotInt32', NOT_INT32, a, [], n, (k) =>
      `firstNotInt32: the float32 value at flat index ${k} of ${n} cannot be stored as int32 (NaN, ±Infinity, or outside ` +
      '[-2147483648, 2147483647] after truncation toward zero); checked on the GPU after the conversion was queued, so its result is not valid');
    return -1;
  },

  firstOutside(x, lo, hi) {
    const a = gpuArrayOf(x, 'firstOutside');
    const n = a.length;
    if (n === 0) return -1;
    deferFirstBad('firstOutside', OUTSIDE, a, [lo, hi], n, (k) =>
      `firstOutside: the value at flat index ${k} of ${n} is not in [${lo}, ${hi}] (or is NaN); ` +
      'checked on the GPU after the kernels using it were queued, so their results are not valid');
    return -1;
  },

  classGather(x, target, classes, inner, ignoreIndex, out) {
    const n = target.length;
    if (n === 0) return;
    launch1d(CLASS_GATHER, [gpuArrayOf(x, 'classGather'), deviceArrayOf(target, 'int32'), gpuArrayOf(out, 'classGather')], n, [classes, inner, ignoreIndex]);
  },

  classScatter(g, target, classes, inner, ignoreIndex, out) {
    const n = target.length;
    if (n === 0) return;
    launch1d(CLASS_SCATTER, [gpuArrayOf(g, 'classScatter'), deviceArrayOf(target, 'int32'), gpuArrayOf(out, 'classScatter')], n, [classes, inner, ignoreIndex]);
  },

  firstInvalidClass(target, classes, ignoreIndex) {
    const n = target.length;
    if (n === 0) return -1;
    deferFirstBad('firstInvalidClass', INVALID_CLASS, deviceArrayOf(target, 'int32'), [classes, ignoreIndex], n, (k) =>
      `firstInvalidClass: the class index at flat index ${k} of ${n} is neither a class in [0, ${classes}) nor ignoreIndex ${ignoreIndex}; ` +
      'checked on the GPU after the kernels using it were queued, so their results are not valid');
    return -1;
  },

  classWeights(target, weight, ignoreIndex, out) {
    const o = gpuArrayOf(out, 'classWeights');
    const n = target.length;
    if (n === 0) return;
    const t = deviceArrayOf(target, 'int32');
    if (weight === null) launch1d(CLASS_MASK, [t, o], n, [ignoreIndex, oneBits(o)]);
    else launch1d(CLASS_WEIGHTS, [t, deviceArrayOf(weight, o.dtype), o], n, [ignoreIndex]);
  },
};
