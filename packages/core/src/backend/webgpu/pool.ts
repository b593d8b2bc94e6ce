// The WebGPU backend's pooling kernels (PoolKernels, backend/pool.ts), one invocation per output
// element (forward) or per input element (transposes). The windows' separable tap lists
// (backend/window.ts) are host metadata: each PoolWindows is packed into one int32 array, uploaded
// once (host-arrays.ts caches the upload for the life of the packed array, which lives as long as
// the windows). WGSL has no float atomics and a scatter with integer-emulated float atomics would
// add in scheduling order, so every transpose is a gather instead: each input element sums the
// outputs that read it, in increasing output order (the CPU's order: same float32 sums).
import type { KernelArray } from '../storage.js';
import type { PoolKernels } from '../pool.js';
import type { AxisTaps, PoolWindows } from '../window.js';
import { type GpuArray, gpuArrayOf } from './gpu-array.js';
import { deviceArrayOf } from './host-arrays.js';
import { kernel1d, launch1d } from './kernel1d.js';
import { webgpuRuntime } from './runtime.js';

/** NaN by its bits (WGSL lets a compiler assume x == x, so x != x is no test). */
const IS_NAN = /* wgsl */ `
  fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }`;

// taps: [rows.offsets (outH+1) | rows.index | cols.offsets (outW+1) | cols.index]; the row lists
// start at 0 and outH+1, the column lists at cOff and cIdx.
// -inf comes in as a parameter: WGSL refuses a constant expression whose value is infinite.
const MAX_POOL = kernel1d({
  name: 'maxPool',
  bindings: [
    'var<storage, read> x: array<f32>',
    'var<storage, read> taps: array<i32>',
    'var<storage, read_write> out: array<f32>',
    'var<storage, read_write> argmax: array<i32>',
  ],
  params: 'inH: u32, inW: u32, outH: u32, outW: u32, cOff: u32, cIdx: u32, negInf: f32',
  paramTypes: 'u32,u32,u32,u32,u32,u32,f32',
  functions: IS_NAN,
  index: 'o',
  body: /* wgsl */ `
    let ow = o % p.outW;
    let oh = (o / p.outW) % p.outH;
    let base = (o / (p.outW * p.outH)) * p.inH * p.inW;
    let rIdx = p.outH + 1u;
    let r0 = u32(taps[oh]);
    let r1 = u32(taps[oh + 1u]);
    let c0 = u32(taps[p.cOff + ow]);
    let c1 = u32(taps[p.cOff + ow + 1u]);
    var best = p.negInf;
    var at = -1;
    if (r1 > r0 && c1 > c0) {
      // The first tap, then a later one only if it is greater, or the first NaN (PyTorch's rule).
      at = taps[rIdx + r0] * i32(p.inW) + taps[p.cIdx + c0];
      best = x[base + u32(at)];
      for (var r = r0; r < r1; r++) {
        let row = taps[rIdx + r] * i32(p.inW);
        for (var c = c0; c < c1; c++) {
          let i = row + taps[p.cIdx + c];
          let v = x[base + u32(i)];
          let bestNan = isNan(best);
          if ((isNan(v) && !bestNan) || (!bestNan && v > best)) {
            best = v;
            at = i;
          }
        }
      }
    }
    out[o] = best;
    argmax[o] = at;`,
});

const GATHER_PLANES = kernel1d({
  name: 'gatherPlanes',
  bindings: [
    'var<storage, read> x: array<f32>',
    'var<storage, read> index: array<i32>',
    'var<storage, read_write> out: array<f32>',
  ],
  params: 'inPlane: u32, outPlane: u32',
  index: 'o',
  body: /* wgsl */ `
    let i = index[o];
    var v = 0.0;
    if (i >= 0) { v = x[(o / p.outPlane) * p.inPlane + u32(i)]; }
    out[o] = v;`,
});

// scatterAddPlanes in two passes. Link: every output o with an index pushes o onto the list of
// the input element it points at (head holds o + 1, 0 ends a list; next[o] the rest). The order
// of a list depends on scheduling, so Sum reads each list in increasing o (a selection over the
// list: quadratic in its length, which for pooling's argmax is at most the windows overlapping
// an element) and adds in that order, onto dx's value.
const SCATTER_LINK = kernel1d({
  name: 'scatterAddPlanes',
  bindings: [
    'var<storage, read> index: array<i32>',
    'var<storage, read_write> head: array<atomic<i32>>',
    'var<storage, read_write> next: array<i32>',
  ],
  params: 'inPlane: u32, outPlane: u32',
  index: 'o',
  body: /* wgsl */ `
    let i = index[o];
    if (i < 0) { return; }
    let slot = (o / p.outPlane) * p.inPlane + u32(i);
    next[o] = atomicExchange(&head[slot], i32(o) + 1);`,
});

const SCATTER_SUM = kernel1d({
  name: 'scatterAddPlanes',
  bindings: [
    'var<storage, read> g: array<f32>',
    'var<storage, read> head: array<i32>',
    'var<storage, read> next: array<i32>',
    'var<storage, read_write> dx: array<f32>',
  ],
  index: 'e',
  body: /* wgsl */ `
    var s = dx[e];
    var last = -1;
    loop {
      var least = 0x7fffffff;
      var q = head[e];
      while (q != 0) {
        let o = q - 1;
        if (o > last && o < least) { least = o; }
        q = next[o];
      }
      if (least == 0x7fffffff) { break; }
      s += g[least];
      last = least;
    }
    dx[e] = s;`,
});

// Windows of 2×2 at stride 2, unpadded: input (ih, iw) can only be the argmax of output
// (ih/2, iw/2), so each input element reads one index and dx needs no zero fill.
const SCATTER_PAIRS = kernel1d({
  name: 'scatterPairs',
  bindings: [
    'var<storage, read> g: array<f32>',
    'var<storage, read> index: array<i32>',
    'var<storage, read_write> dx: array<f32>',
  ],
  params: 'inH: u32, inW: u32, outH: u32, outW: u32',
  index: 'e',
  body: /* wgsl */ `
    let iw = e % p.inW;
    let ih = (e / p.inW) % p.inH;
    let plane = e / (p.inW * p.inH);
    var v = 0.0;
    if (ih < 2u * p.outH && iw < 2u * p.outW) {
      let o = (plane * p.outH + ih / 2u) * p.outW + iw / 2u;
      if (index[o] == i32(ih * p.inW + iw)) { v = g[o]; }
    }
    dx[e] = v;`,
});

const BOX_POOL = kernel1d({
  name: 'boxPool',
  bindings: [
    'var<storage, read> x: array<f32>',
    'var<storage, read> taps: array<i32>',
    'var<storage, read> divisor: array<f32>',
    'var<storage, read_write> out: array<f32>',
  ],
  params: 'inH: u32, inW: u32, outH: u32, outW: u32, cOff: u32, cIdx: u32',
  index: 'o',
  body: /* wgsl */ `
    let q = o % (p.outW * p.outH);
    let ow = q % p.outW;
    let oh = q / p.outW;
    let base = (o / (p.outW * p.outH)) * p.inH * p.inW;
    let rIdx = p.outH + 1u;
    var s = 0.0;
    for (var r = u32(taps[oh]); r < u32(taps[oh + 1u]); r++) {
      let row = base + u32(taps[rIdx + r]) * p.inW;
      for (var c = u32(taps[p.cOff + ow]); c < u32(taps[p.cOff + ow + 1u]); c++) {
        s += x[row + u32(taps[p.cIdx + c])];
      }
    }
    out[o] = s / divisor[q];`,
});

// inverse: the same packing of the inverse tap lists (inputs' lists of the outputs that read
// them, increasing), over inH and inW: input row ih is read by outputs rows inverse[0..] of it.
const BOX_POOL_TRANSPOSE = kernel1d({
  name: 'boxPoolTranspose',
  bindings: [
    'var<storage, read> g: array<f32>',
    'var<storage, read> inverse: array<i32>',
    'var<storage, read> divisor: array<f32>',
    'var<storage, read_write> dx: array<f32>',
  ],
  params: 'inH: u32, inW: u32, outH: u32, outW: u32, cOff: u32, cIdx: u32',
  index: 'e',
  body: /* wgsl */ `
    let iw = e % p.inW;
    let ih = (e / p.inW) % p.inH;
    let base = (e / (p.inW * p.inH)) * p.outH * p.outW;
    let rIdx = p.inH + 1u;
    var s = dx[e];
    for (var r = u32(inverse[ih]); r < u32(inverse[ih + 1u]); r++) {
      let row = u32(inverse[rIdx + r]) * p.outW;
      for (var c = u32(inverse[p.cOff + iw]); c < u32(inverse[p.cOff + iw + 1u]); c++) {
        let q = row + u32(inverse[p.cIdx + c]);
        s += g[base + q] / divisor[q];
      }
    }
    dx[e] = s;`,
});

/** A packed tap table: [rows.offsets | rows.index | cols.offsets | cols.index] and where the column lists start. */
interface PackedTaps {
  words: Int32Array;
  cOff: number;
  cIdx: number;
}

function pack(rows: AxisTaps, cols: AxisTaps): PackedTaps {
  const cOff = rows.offsets.length + rows.index.length;
  const cIdx = cOff + cols.offsets.length;
  const words = new Int32Array(cIdx + cols.index.length);
  words.set(rows.offsets, 0);
  words.set(rows.index, rows.offsets.length);
  words.set(cols.offsets, cOff);
  words.set(cols.index, cIdx);
  return { words, cOff, cIdx };
}

/** For each input position, the outputs whose taps hold it, increasing (taps list each input at most once per output). */
function invert(taps: AxisTaps, inLen: number): AxisTaps {
  const offsets = new Int32Array(inLen + 1);
  for (const i of taps.index) offsets[i + 1]!++;
  for (let i = 0; i < inLen; i++) offsets[i + 1]! += offsets[i]!;
  const index = new Int32Array(taps.index.length);
  const fill = offsets.slice(0, inLen);
  for (let o = 0; o + 1 < taps.offsets.length; o++) {
    for (let t = taps.offsets[o]!; t < taps.offsets[o + 1]!; t++) index[fill[taps.index[t]!]!++] = o;
  }
  return { offsets, index };
}

const forwardTaps = new WeakMap<PoolWindows, PackedTaps>();
const inverseTaps = new WeakMap<PoolWindows, PackedTaps>();

function tapsOf(w: PoolWindows): PackedTaps {
  let packed = forwardTaps.get(w);
  if (packed === undefined) {
    packed = pack(w.rows, w.cols);
    forwardTaps.set(w, packed);
  }
  return packed;
}

function inverseOf(w: PoolWindows): PackedTaps {
  let packed = inverseTaps.get(w);
  if (packed === undefined) {
    packed = pack(invert(w.rows, w.inH), invert(w.cols, w.inW));
    inverseTaps.set(w, packed);
  }
  return packed;
}

/** Float tensor data (x, g, out, dx); host attributes (divisors, taps) go through deviceArrayOf. */
const f32 = (a: KernelArray): GpuArray => gpuArrayOf(a, 'pool', undefined, 'float32');
/** An index: the plane-index ops' attribute (argmax, on the device or the host) or packed taps. */
const i32 = (a: KernelArray): GpuArray => deviceArrayOf(a, 'int32');

export const webgpuPool: PoolKernels = {
  maxPool(x, planes, windows, out, argmax) {
    const { inH, inW, outH, outW } = windows;
    const taps = tapsOf(windows);
    launch1d(MAX_POOL, [f32(x), i32(taps.words), f32(out), gpuArrayOf(argmax, 'pool', undefined, 'int32')], planes * outH * outW, [inH, inW, outH, outW, taps.cOff, taps.cIdx, -Infinity]);
  },

  gatherPlanes(x, inPlane, index, outPlane, out) {
    launch1d(GATHER_PLANES, [f32(x), i32(index), f32(out)], index.length, [inPlane, outPlane]);
  },

  scatterAddPlanes(g, outPlane, index, inPlane, dx) {
    if (index.length === 0 || dx.length === 0) return;
    const rt = webgpuRuntime();
    const head = rt.allocate('int32', dx.length, true);
    const next = rt.allocate('int32', index.length, false);
    launch1d(SCATTER_LINK, [i32(index), head, next], index.length, [inPlane, outPlane]);
    launch1d(SCATTER_SUM, [f32(g), head, next, f32(dx)], dx.length);
    // Released buffers are reused only by later submissions, which the queue orders after these.
    rt.release(head);
    rt.release(next);
  },

  scatterPairs(g, planes, inH, inW, outH, outW, index, dx) {
    launch1d(SCATTER_PAIRS, [f32(g), i32(index), f32(dx)], planes * inH * inW, [inH, inW, outH, outW]);
  },

  boxPool(x, planes, windows, divisor, out) {
    const { inH, inW, outH, outW } = windows;
    const taps = tapsOf(windows);
    launch1d(BOX_POOL, [f32(x), i32(taps.words), deviceArrayOf(divisor, 'float32'), f32(out)], planes * outH * outW, [inH, inW, outH, outW, taps.cOff, taps.cIdx]);
  },

  boxPoolTranspose(g, planes, windows, divisor, dx) {
    const { inH, inW, outH, outW } = windows;
    const inverse = inverseOf(windows);
    launch1d(BOX_POOL_TRANSPOSE, [f32(g), i32(inverse.words), deviceArrayOf(divisor, 'float32'), f32(dx)], planes * inH * inW, [inH, inW, outH, outW, inverse.cOff, inverse.cIdx]);
  },
};
