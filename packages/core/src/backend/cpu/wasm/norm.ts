// Normalisation in WebAssembly SIMD (assembly/norm.ts) for float32: operands are copied into wasm
// scratch (a memcpy runs ~30 GB/s here, the JavaScript passes ~1 G elements/s), computed there,
// copied back. The TypeScript kernels beside them are ../norm.ts.
import { wasmAvailable, wasmKernels, wasmScratch } from './runtime.js';

/** assembly/norm.ts. */
interface NormExports {
  normStats(x: number, outer: number, groups: number, inner: number, mean: number, variance: number): void;
  normCombine(g: number, x: number, y: number, outer: number, groups: number, inner: number, mean: number, a: number, b: number, k: number): void;
  normGradSums(g: number, x: number, outer: number, groups: number, inner: number, mean: number, out: number): void;
}

const normExports = () => wasmKernels<NormExports>('normalize');

/** Float32 arrays of at least this many elements take the WebAssembly kernels (copies cost little then). */
export const WASM_NORM_MIN_SIZE = 4096;

/** Whether the wasm kernels should run for x. */
export function useWasmNorm(x: ArrayLike<number>): x is Float32Array {
  return x instanceof Float32Array && x.length >= WASM_NORM_MIN_SIZE && wasmAvailable();
}

/** Scratch for n floats per data operand and `perGroup` float64 arrays of `groups` values. */
function scratch(n: number, operands: number, groups: number, perGroup: number): { data: Float32Array[]; group: Float64Array[] } {
  const views = wasmScratch([...Array<number>(operands).fill(n), ...Array<number>(perGroup).fill(2 * groups)]);
  return {
    data: views.slice(0, operands),
    group: views.slice(operands).map((v) => new Float64Array(v.buffer, v.byteOffset, groups)),
  };
}

/**
 * Per-group mean and biased variance of x (written into meanOut and varianceOut), then
 * y = scale·(x − mean) + shift with the per-group scale and shift that `affine` derives from them.
 */
export function normalizeForwardWasm(
  x: Float32Array, y: Float32Array, outer: number, groups: number, inner: number, meanOut: Float64Array, varianceOut: Float64Array,
  affine: (mean: Float64Array, variance: Float64Array) => { scale: ArrayLike<number>; shift: ArrayLike<number> },
): void {
  const { data: [xs, ys], group: [mean, variance, scale, shift] } = scratch(x.length, 2, groups, 4) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array, Float64Array, Float64Array] };
  const w = normExports();
  xs.set(x);
  w.normStats(xs.byteOffset, outer, groups, inner, mean.byteOffset, variance.byteOffset);
  meanOut.set(mean);
  varianceOut.set(variance);
  const a = affine(meanOut, varianceOut);
  scale.set(a.scale);
  shift.set(a.shift);
  w.normCombine(0, xs.byteOffset, ys.byteOffset, outer, groups, inner, mean.byteOffset, scale.byteOffset, scale.byteOffset, shift.byteOffset);
  y.set(ys);
}

/** [Σg per group, Σg·(x − mean) per group] as one float64 array of 2·groups. */
export function gradSumsWasm(g: Float32Array, x: Float32Array, outer: number, groups: number, inner: number, mean: Float64Array): Float64Array {
  const { data: [gs, xs], group: [mu, out] } = scratch(x.length, 2, 2 * groups, 2) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array] };
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  normExports().normGradSums(gs.byteOffset, xs.byteOffset, outer, groups, inner, mu.byteOffset, out.byteOffset);
  return out.slice();
}

/** dx = s·g + t·(x − mean) + k per group. */
export function normalizeBackwardWasm(
  g: Float32Array, x: Float32Array, dx: Float32Array, outer: number, groups: number, inner: number,
  mean: ArrayLike<number>, s: ArrayLike<number>, t: ArrayLike<number>, k: ArrayLike<number>,
): void {
  const { data: [gs, xs], group: [mu, sv, tv, kv] } = scratch(x.length, 2, groups, 4) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array, Float64Array, Float64Array] };
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  sv.set(s);
  tv.set(t);
  kv.set(k);
  // dx is written over xs: each element is read before it is written.
  normExports().normCombine(gs.byteOffset, xs.byteOffset, xs.byteOffset, outer, groups, inner, mu.byteOffset, sv.byteOffset, tv.byteOffset, kv.byteOffset);
  dx.set(xs);
}
