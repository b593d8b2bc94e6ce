// Max pooling in WebAssembly (assembly/pool.ts) for float32, streamed: a group of whole planes at
// a time is copied into wasm scratch, pooled there and copied back, so the three steps work on
// data in cache and the scratch stays small (on stream.ts's plain memory while threads are on).
// Same results as maxPool2x2Forward / maxPool2x2Backward (SIMD) and maxPoolForward (any windows)
// in ../pool.ts.
import type { TypedArray } from '../../../tensor/dtype.js';
import type { PoolWindows } from '../../window.js';
import { roundUp } from '../align.js';
import { wasmAvailable } from './runtime.js';
import { streamScratch } from './stream.js';

/** Float32 arrays of at least this many input elements take the wasm kernels. */
const MIN_ELEMENTS = 4096;

/** Whether the wasm kernels should run for a float32 input plane stack of `elements` values. */
export function useWasmPool(data: ArrayLike<number>, elements: number): data is Float32Array {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: for float32 the wasm and JS kernels are bit for bit equal (pool.test.ts), so which runs is unobservable; float64 taking wasm (LogicalOperator) is caught
  return data instanceof Float32Array && elements >= MIN_ELEMENTS && wasmAvailable();
}

/** assembly/pool.ts. */
interface PoolExports {
  maxPool2x2Forward(x: number, planes: number, inH: number, inW: number, outH: number, outW: number, y: number, argmax: number): void;
  maxPool2x2Backward(dy: number, planes: number, inH: number, inW: number, outH: number, outW: number, argmax: number, dx: number): void;
  /**
   * assembly/conv.ts: dst[c·dstPlane + r·dstRow + j] = src[c·srcPlane + r·srcRow + j] (bits copied), every row but the
   * last followed by up to 3 zeros (here rows are compact: the next rows overwrite them).
   */
  copyPlanesPadded(src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void;
  maxPoolTaps(x: number, planes: number, inH: number, inW: number, outH: number, outW: number, rowOff: number, rowIdx: number, colOff: number, colIdx: number, y: number, argmax: number): void;
}

/**
 * Where the streamed forward kernels get each chunk of input planes: copied from an array
 * (copiedPlanes), or made in the scratch by a fused producer (norm-pool.ts: batch norm's output).
 */
export interface PlaneSource {
  /** Lengths of the scratch views the source needs besides the chunk (after the kernel's own). */
  readonly scratch: readonly number[];
  /** Called before the first chunk: views are the extra scratch, exports the kernels on them. */
  begin?(views: Float32Array[], exports: unknown): void;
  /** Writes input planes [p, p + n) into chunk. */
  fill(chunk: Float32Array, p: number, n: number): void;
}

/** The planes of x, copied. */
export const copiedPlanes = (x: Float32Array, inPlane: number): PlaneSource => ({
  scratch: [],
  fill: (chunk, p, n) => chunk.set(x.subarray(p * inPlane, (p + n) * inPlane)),
});

/** Input elements per chunk (64 KiB of float32; at least one plane). */
const CHUNK_ELEMENTS = 16384;

/** Planes per chunk for planes of `inPlane` input elements. */
const planesPerChunk = (inPlane: number): number => Math.max(1, Math.floor(CHUNK_ELEMENTS / inPlane));

/**
 * The kernel pools four windows of a row at a time in SIMD and the rest one by one, with branches
 * that mispredict on real data (a 7×7 → 3×3 plane, all windows one by one: 3.5 ms on random
 * values against 0.8 on zeros for 128×128 planes). So rows of outW windows (outW not a multiple of
 * 4) are pooled as rows of `wide` = outW rounded up to 4, all in SIMD: the extra windows read past
 * the row (the next rows, or padding after the chunk's last plane) and are dropped when the rows
 * are compacted in wasm. Each window's winner is computed by the same rule either way.
 */
export function maxPool2x2ForwardWasm(x: Float32Array | PlaneSource, planes: number, inH: number, inW: number, outH: number, outW: number, y: Float32Array, argmax: TypedArray): void {
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const wide = roundUp(outW, 4);
  const step = planesPerChunk(inPlane);
  // Floats the extra windows of the last plane's last row pair may read past the chunk.
  const past = wide === outW ? 0 : 2 * wide + inW;
  const compact = wide === outW ? [] : [step * outPlane, step * outPlane];
  const source = x instanceof Float32Array ? copiedPlanes(x, inPlane) : x;
  const own = [step * inPlane + past, step * outH * wide, step * outH * wide, ...compact];
  const { exports: k, views } = streamScratch<PoolExports>('maxPool2d', [...own, ...source.scratch]);
  const [xs, yw, aw] = views as [Float32Array, Float32Array, Float32Array];
  const [ys, as] = wide === outW ? [yw, aw] : (views.slice(3) as [Float32Array, Float32Array]);
  source.begin?.(views.slice(own.length), k);
  const at = new Int32Array(as.buffer, as.byteOffset, as.length);
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    source.fill(xs, p, n);
    k.maxPool2x2Forward(xs.byteOffset, n, inH, inW, outH, wide, yw.byteOffset, aw.byteOffset);
    if (wide !== outW) {
      k.copyPlanesPadded(yw.byteOffset, wide, 0, ys.byteOffset, outW, 0, n * outH, 1, outW);
      k.copyPlanesPadded(aw.byteOffset, wide, 0, as.byteOffset, outW, 0, n * outH, 1, outW);
    }
    y.set(ys.subarray(0, n * outPlane), p * outPlane);
    argmax.set(at.subarray(0, n * outPlane), p * outPlane);
  }
}

export function maxPool2x2BackwardWasm(dy: Float32Array, planes: number, inH: number, inW: number, outH: number, outW: number, argmax: TypedArray, dx: Float32Array): void {
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const step = planesPerChunk(inPlane);
  const { exports: k, views } = streamScratch<PoolExports>('maxPool2d', [step * outPlane, step * outPlane, step * inPlane]);
  const [gs, as, dxs] = views as [Float32Array, Float32Array, Float32Array];
  const at = new Int32Array(as.buffer, as.byteOffset, as.length);
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    gs.set(dy.subarray(p * outPlane, (p + n) * outPlane));
    at.set(argmax.subarray(p * outPlane, (p + n) * outPlane));
    k.maxPool2x2Backward(gs.byteOffset, n, inH, inW, outH, outW, as.byteOffset, dxs.byteOffset);
    dx.set(dxs.subarray(0, n * inPlane), p * inPlane);
  }
}

/** Max pooling over any windows (their tap lists copied once), a chunk of planes at a time. */
export function maxPoolWasm(x: Float32Array | PlaneSource, planes: number, w: PoolWindows, y: Float32Array, argmax: TypedArray): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const step = planesPerChunk(inPlane);
  const taps = [rows.offsets, rows.index, cols.offsets, cols.index];
  const source = x instanceof Float32Array ? copiedPlanes(x, inPlane) : x;
  const own = [step * inPlane, step * outPlane, step * outPlane, ...taps.map((t) => t.length)];
  const { exports: k, views } = streamScratch<PoolExports>('maxPool2d', [...own, ...source.scratch]);
  source.begin?.(views.slice(own.length), k);
  const [xs, ys, as] = views as [Float32Array, Float32Array, Float32Array];
  const at = new Int32Array(as.buffer, as.byteOffset, as.length);
  const [ro, ri, co, ci] = taps.map((t, i) => {
    const v = views[3 + i]!;
    new Int32Array(v.buffer, v.byteOffset, t.length).set(t);
    return v.byteOffset;
  }) as [number, number, number, number];
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    source.fill(xs, p, n);
    k.maxPoolTaps(xs.byteOffset, n, inH, inW, outH, outW, ro, ri, co, ci, ys.byteOffset, as.byteOffset);
    y.set(ys.subarray(0, n * outPlane), p * outPlane);
    argmax.set(at.subarray(0, n * outPlane), p * outPlane);
  }
}
