// Max pooling in WebAssembly (assembly/pool.ts) for float32, streamed: a group of whole planes at
// a time is copied into wasm scratch, pooled there and copied back, so the three steps work on
// data in cache and the scratch stays small (on stream.ts's plain memory while threads are on).
// Same results as maxPool2x2Forward / maxPool2x2Backward (SIMD) and maxPoolForward (any windows)
// in ../pool.ts.
import type { TypedArray } from '../../../tensor/dtype.js';
import type { PoolWindows } from '../../window.js';
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
  maxPoolTaps(x: number, planes: number, inH: number, inW: number, outH: number, outW: number, rowOff: number, rowIdx: number, colOff: number, colIdx: number, y: number, argmax: number): void;
}

/** Input elements per chunk (64 KiB of float32; at least one plane). */
const CHUNK_ELEMENTS = 16384;

/** Planes per chunk for planes of `inPlane` input elements. */
const planesPerChunk = (inPlane: number): number => Math.max(1, Math.floor(CHUNK_ELEMENTS / inPlane));

export function maxPool2x2ForwardWasm(x: Float32Array, planes: number, inH: number, inW: number, outH: number, outW: number, y: Float32Array, argmax: TypedArray): void {
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const step = planesPerChunk(inPlane);
  const { exports: k, views } = streamScratch<PoolExports>('maxPool2d', [step * inPlane, step * outPlane, step * outPlane]);
  const [xs, ys, as] = views as [Float32Array, Float32Array, Float32Array];
  const at = new Int32Array(as.buffer, as.byteOffset, as.length);
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    xs.set(x.subarray(p * inPlane, (p + n) * inPlane));
    k.maxPool2x2Forward(xs.byteOffset, n, inH, inW, outH, outW, ys.byteOffset, as.byteOffset);
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
export function maxPoolWasm(x: Float32Array, planes: number, w: PoolWindows, y: Float32Array, argmax: TypedArray): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  const outPlane = outH * outW;
  const step = planesPerChunk(inPlane);
  const taps = [rows.offsets, rows.index, cols.offsets, cols.index];
  const { exports: k, views } = streamScratch<PoolExports>('maxPool2d', [step * inPlane, step * outPlane, step * outPlane, ...taps.map((t) => t.length)]);
  const [xs, ys, as] = views as [Float32Array, Float32Array, Float32Array];
  const at = new Int32Array(as.buffer, as.byteOffset, as.length);
  const [ro, ri, co, ci] = taps.map((t, i) => {
    const v = views[3 + i]!;
    new Int32Array(v.buffer, v.byteOffset, t.length).set(t);
    return v.byteOffset;
  }) as [number, number, number, number];
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    xs.set(x.subarray(p * inPlane, (p + n) * inPlane));
    k.maxPoolTaps(xs.byteOffset, n, inH, inW, outH, outW, ro, ri, co, ci, ys.byteOffset, as.byteOffset);
    y.set(ys.subarray(0, n * outPlane), p * outPlane);
    argmax.set(at.subarray(0, n * outPlane), p * outPlane);
  }
}
