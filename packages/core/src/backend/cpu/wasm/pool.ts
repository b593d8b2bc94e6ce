// 2×2 max pooling in WebAssembly SIMD (assembly/pool.ts) for float32: operands are copied into
// wasm scratch, computed there, and copied back (a memcpy costs far less than the JavaScript
// loops it replaces). Same results as maxPool2x2Forward / maxPool2x2Backward in ../pool.ts.
import type { TypedArray } from '../../../tensor/dtype.js';
import { wasmAvailable, wasmKernels, wasmScratch } from './runtime.js';

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
}

const poolExports = () => wasmKernels<PoolExports>('maxPool2d');

export function maxPool2x2ForwardWasm(x: Float32Array, planes: number, inH: number, inW: number, outH: number, outW: number, y: Float32Array, argmax: TypedArray): void {
  const [xs, ys, as] = wasmScratch([x.length, y.length, argmax.length]) as [Float32Array, Float32Array, Float32Array];
  xs.set(x);
  poolExports().maxPool2x2Forward(xs.byteOffset, planes, inH, inW, outH, outW, ys.byteOffset, as.byteOffset);
  y.set(ys);
  argmax.set(new Int32Array(as.buffer, as.byteOffset, argmax.length));
}

export function maxPool2x2BackwardWasm(dy: Float32Array, planes: number, inH: number, inW: number, outH: number, outW: number, argmax: TypedArray, dx: Float32Array): void {
  const [gs, as, dxs] = wasmScratch([dy.length, argmax.length, dx.length]) as [Float32Array, Float32Array, Float32Array];
  gs.set(dy);
  new Int32Array(as.buffer, as.byteOffset, argmax.length).set(argmax);
  poolExports().maxPool2x2Backward(gs.byteOffset, planes, inH, inW, outH, outW, as.byteOffset, dxs.byteOffset);
  dx.set(dxs);
}
