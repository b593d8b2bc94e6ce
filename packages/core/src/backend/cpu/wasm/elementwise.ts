// relu, its gradient and the arithmetic binary ops in WebAssembly SIMD (assembly/elementwise.ts)
// for float32, streamed: the operands go through wasm scratch a chunk at a time (copy in, kernel,
// copy out), so each chunk stays in cache between the three and the scratch stays small (on
// stream.ts's plain memory while threads are on). Bit for bit the TypeScript loops of
// ../elementwise.ts.
import { wasmAvailable } from './runtime.js';
import { streamScratch } from './stream.js';

/** assembly/elementwise.ts. */
interface ElementwiseExports {
  reluF32(x: number, y: number, n: number): void;
  reluGradF32(g: number, x: number, y: number, n: number): void;
  binaryF32(op: number, a: number, sa: number, b: number, sb: number, y: number, n: number): void;
  binaryRowsF32(op: number, a: number, sa: number, b: number, y: number, rows: number, len: number): void;
}

/** Float32 runs of at least this many elements take the wasm kernels (below it the call and copies cost more than they save). */
const MIN_ELEMENTS = 1024;

/** Elements per operand in one chunk: 32 KiB, so two inputs and the output stay in L1/L2. */
export const CHUNK = 8192;

/** Whether the wasm kernels should run on `arrays` (all float32) over `n` elements. */
export function useWasmElementwise(n: number, ...arrays: ArrayLike<number>[]): boolean {
  return n >= MIN_ELEMENTS && arrays.every((a) => a instanceof Float32Array) && wasmAvailable();
}

/** dst = relu(src). */
export function reluWasm(src: Float32Array, dst: Float32Array): void {
  const { exports: k, views } = streamScratch<ElementwiseExports>('relu', [CHUNK]);
  const [xs] = views as [Float32Array];
  for (let i = 0; i < src.length; i += CHUNK) {
    const n = Math.min(CHUNK, src.length - i);
    xs.set(src.subarray(i, i + n));
    k.reluF32(xs.byteOffset, xs.byteOffset, n);
    dst.set(n === CHUNK ? xs : xs.subarray(0, n), i);
  }
}

/** dst = g·[x > 0]. */
export function reluGradWasm(g: Float32Array, x: Float32Array, dst: Float32Array): void {
  const { exports: k, views } = streamScratch<ElementwiseExports>('reluGrad', [CHUNK, CHUNK]);
  const [gs, xs] = views as [Float32Array, Float32Array];
  for (let i = 0; i < g.length; i += CHUNK) {
    const n = Math.min(CHUNK, g.length - i);
    gs.set(g.subarray(i, i + n));
    xs.set(x.subarray(i, i + n));
    k.reluGradF32(gs.byteOffset, xs.byteOffset, gs.byteOffset, n);
    dst.set(n === CHUNK ? gs : gs.subarray(0, n), i);
  }
}

/**
 * out[o + j] = a[ia + j·sa] ⊕ b[ib + j·sb] for j < n, op 0–3 (add, sub, mul, div), strides 0 or
 * 1 and not both 0 (a stride-0 operand is the one value at its offset).
 */
export function binaryRowWasm(op: number, a: Float32Array, ia: number, sa: number, b: Float32Array, ib: number, sb: number, out: Float32Array, o: number, n: number): void {
  const { exports: k, views } = streamScratch<ElementwiseExports>('binary', [CHUNK, CHUNK]);
  const [as, bs] = views as [Float32Array, Float32Array];
  // A broadcast operand is copied once (its bits, NaN payloads included).
  if (sa === 0) as.set(a.subarray(ia, ia + 1));
  if (sb === 0) bs.set(b.subarray(ib, ib + 1));
  const ys = sa === 1 ? as : bs;
  for (let j = 0; j < n; j += CHUNK) {
    const len = Math.min(CHUNK, n - j);
    if (sa === 1) as.set(a.subarray(ia + j, ia + j + len));
    if (sb === 1) bs.set(b.subarray(ib + j, ib + j + len));
    k.binaryF32(op, as.byteOffset, sa, bs.byteOffset, sb, ys.byteOffset, len);
    out.set(len === CHUNK ? ys : ys.subarray(0, len), o + j);
  }
}

/**
 * Rows of a per-row broadcast, op 0–3: for r < rows, out[r·len + j] = full[r·len + j] ⊕ scalars[r]
 * (fullFirst) or scalars[r] ⊕ full[r·len + j]. Streamed a chunk of whole rows at a time (len at
 * most CHUNK), where binaryRowWasm streams one row per call (rows below its minimum go to the
 * JavaScript loop: a per-channel scale on 14×14 planes ran at 3.5 ns per element).
 */
export function binaryRowsWasm(op: number, full: Float32Array, fullFirst: boolean, scalars: Float32Array, out: Float32Array, rows: number, len: number): void {
  const per = Math.max(1, Math.floor(CHUNK / len));
  const { exports: k, views } = streamScratch<ElementwiseExports>('binary', [per * len, per]);
  const [fs, ss] = views as [Float32Array, Float32Array];
  for (let r = 0; r < rows; r += per) {
    const n = Math.min(per, rows - r);
    const from = r * len;
    const count = n * len;
    fs.set(full.subarray(from, from + count));
    ss.set(scalars.subarray(r, r + n));
    if (fullFirst) k.binaryRowsF32(op, fs.byteOffset, 1, ss.byteOffset, fs.byteOffset, n, len);
    else k.binaryRowsF32(op, ss.byteOffset, 0, fs.byteOffset, fs.byteOffset, n, len);
    out.set(count === fs.length ? fs : fs.subarray(0, count), from);
  }
}
