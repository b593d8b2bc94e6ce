// Elementwise loops over typed arrays. Broadcasting is done with per-operand strides that are 0
// along broadcast dims. Dims that every operand walks the same way are merged first, so the
// common patterns reduce to few long rows: same shape and scalar → one row; a per-channel
// [1, C, 1, 1] against [N, C, H, W] → N·C rows of H·W with the channel value fixed; a bias [C]
// against [N, C] → N rows of C. Each row is one tight loop chosen by op code (a switch outside
// the loop), so the hot ops run without a callback per element (the comparisons, as functions,
// are the binary loop's default case). Float32 relu, its gradient and rows of +, −, ×, ÷ with
// unit or zero strides run in WebAssembly SIMD (wasm/elementwise.ts), bit for bit these loops.
import { ArgumentError } from '../../errors.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { broadcastStrides } from '../../tensor/shape.js';
import { Binary, type BinaryCode, type ElementwiseKernels, Unary, type UnaryCode } from '../elementwise.js';
import { celuOf, geluTanhOf, hardsigmoidOf, hardswishOf, normalCdf, seluOf, sigmoidOf, softplusOf } from './activation.js';
import { erf } from './erf.js';
import { portableLog } from '../../tensor/portable-math.js';
import { portableExp, portableExpm1, portableLog1p, portableTanh } from '../../tensor/portable-exp.js';
import { portablePow } from '../../tensor/portable-pow.js';
import { CHUNK, binaryRowWasm, binaryRowsWasm, reluGradWasm, reluWasm, useWasmElementwise } from './wasm/elementwise.js';

export type BinaryFn = (a: number, b: number) => number;

/** The comparisons run as callbacks (1 or 0) through the loops' default case. */
const comparisons = {
  [Binary.greater]: (p, q) => (p > q ? 1 : 0),
  [Binary.greaterEqual]: (p, q) => (p >= q ? 1 : 0),
  [Binary.less]: (p, q) => (p < q ? 1 : 0),
  [Binary.lessEqual]: (p, q) => (p <= q ? 1 : 0),
  [Binary.equal]: (p, q) => (p === q ? 1 : 0),
  [Binary.notEqual]: (p, q) => (p !== q ? 1 : 0),
} satisfies Record<number, BinaryFn>;
type ComparisonCode = keyof typeof comparisons;

/** What the loops take: an arithmetic code (a loop without a callback) or any function. */
export type BinaryOp = Exclude<BinaryCode, ComparisonCode> | BinaryFn;

/**
 * The same iteration with fewer dims: size-1 dims dropped, and a dim merged into the next one
 * whenever every operand steps over it as one continuous run (stride = next stride · next size,
 * which includes both being 0). Returns at least one dim.
 */
export function collapseDims(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last]! === s[d]! * n)) {
      // The previous (outer) dim continues this one: fold it in.
      outShape[last] = outShape[last]! * n;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![d]!;
      continue;
    }
    outShape.push(n);
    for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/** out[i] = op(x[i]) with parameters a and b (see Unary in ../elementwise.ts): one loop per code. */
export function mapUnary(x: TypedArray, out: TypedArray, op: UnaryCode, a = 0, b = 0): void {
  const n = out.length;
  switch (op) {
    case Unary.neg: for (let i = 0; i < n; i++) out[i] = -x[i]!; return;
    case Unary.exp: for (let i = 0; i < n; i++) out[i] = portableExp(x[i]!); return;
    case Unary.log: for (let i = 0; i < n; i++) out[i] = portableLog(x[i]!); return;
    case Unary.sqrt: for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); return;
    case Unary.abs: for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); return;
    case Unary.sign: for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!); return;
    case Unary.sigmoid: for (let i = 0; i < n; i++) out[i] = sigmoidOf(x[i]!); return;
    case Unary.tanh: for (let i = 0; i < n; i++) out[i] = portableTanh(x[i]!); return;
    case Unary.silu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * sigmoidOf(v); } return;
    case Unary.logSigmoid: for (let i = 0; i < n; i++) out[i] = -softplusOf(-x[i]!); return;
    case Unary.softplus: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * a > b ? v : softplusOf(v * a) / a; } return;
    case Unary.softplusLinear: for (let i = 0; i < n; i++) out[i] = x[i]! * a > b ? 1 : 0; return;
    case Unary.softplusCurved: for (let i = 0; i < n; i++) out[i] = x[i]! * a > b ? 0 : 1; return;
    case Unary.relu6: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 6 ? 6 : v >= 0 || v !== v ? v : 0; } return;
    case Unary.relu6Pass: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 && v < 6 ? 1 : 0; } return;
    case Unary.leakyRelu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : a * v; } return;
    case Unary.leakyReluSlope: for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? 1 : a; return;
    case Unary.elu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : a * portableExpm1(v); } return;
    case Unary.positive: for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? 1 : 0; return;
    case Unary.notPositive: for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? 0 : 1; return;
    case Unary.erf: for (let i = 0; i < n; i++) out[i] = erf(x[i]!); return;
    case Unary.gelu: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * normalCdf(v); } return;
    case Unary.clamp: for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i]!, a), b); return;
    case Unary.clampPass: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v >= a && v <= b ? 1 : 0; } return;
    case Unary.hardtanh: for (let i = 0; i < n; i++) { const v = x[i]!; const r = v < a ? a : v; out[i] = r > b ? b : r; } return;
    case Unary.hardtanhPass: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > a && v < b ? 1 : 0; } return;
    case Unary.hardsigmoid: for (let i = 0; i < n; i++) out[i] = hardsigmoidOf(x[i]!); return;
    case Unary.hardswish: for (let i = 0; i < n; i++) out[i] = hardswishOf(x[i]!); return;
    case Unary.selu: for (let i = 0; i < n; i++) out[i] = seluOf(x[i]!); return;
    case Unary.celu: { const inverse = 1 / a; for (let i = 0; i < n; i++) out[i] = celuOf(x[i]!, a, inverse); return; }
    case Unary.mish: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * portableTanh(portableLog1p(portableExp(v))); } return;
    case Unary.softsign: for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v / (Math.abs(v) + 1); } return;
    case Unary.geluTanh: for (let i = 0; i < n; i++) out[i] = geluTanhOf(x[i]!); return;
    default: throw new ArgumentError(`elementwise.unary: unknown operation code ${String(op)}`);
  }
}

/** out[o + j] = a[ia + j·sa] ⊕ b[ib + j·sb] for j < n. */
function binaryRow(op: BinaryOp, a: TypedArray, ia: number, sa: number, b: TypedArray, ib: number, sb: number, out: TypedArray, o: number, n: number): void {
  if (typeof op === 'number' && op <= Binary.div && (sa | sb) <= 1 && sa + sb > 0 && useWasmElementwise(n, a, b, out)) {
    return binaryRowWasm(op, a as Float32Array, ia, sa, b as Float32Array, ib, sb, out as Float32Array, o, n);
  }
  const end = o + n;
  switch (op) {
    case Binary.add: for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! + b[ib]!; return;
    case Binary.sub: for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! - b[ib]!; return;
    case Binary.mul: for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! * b[ib]!; return;
    case Binary.div: for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia]! / b[ib]!; return;
    case Binary.pow: for (; o < end; o++, ia += sa, ib += sb) out[o] = portablePow(a[ia]!, b[ib]!); return;
    case Binary.maximum:
      for (; o < end; o++, ia += sa, ib += sb) {
        const p = a[ia]!;
        const q = b[ib]!;
        out[o] = p >= q || p !== p ? p : q;
      }
      return;
    case Binary.minimum:
      for (; o < end; o++, ia += sa, ib += sb) {
        const p = a[ia]!;
        const q = b[ib]!;
        out[o] = p <= q || p !== p ? p : q;
      }
      return;
    default: {
      const f = op as BinaryFn;
      for (; o < end; o++, ia += sa, ib += sb) out[o] = f(a[ia]!, b[ib]!);
    }
  }
}

/** Shortest rows worth binaryRowsWasm: below it the per-row calls cost more than the loop. */
const MIN_BROADCAST_ROW = 8;

/**
 * Whether mapBinary's collapsed rows (length len) are a per-row broadcast that binaryRowsWasm
 * takes: float32, an arithmetic op, one operand whole (inner stride 1, every element) and the
 * other one value per row (inner stride 0), rows of at most half a wasm chunk (longer ones
 * stream one at a time through binaryRowWasm at full speed), all of them together long enough
 * for wasm. One row at a time, rows below the wasm minimum ran the JavaScript loop and rows of
 * a few thousand paid a call and two copies each: a per-channel add on [128,64,14,14] took
 * 5.5-5.8 ms, on [32,16,32,32] 1.0-1.2 ms; now 1.9-2.1 and 0.66-0.68 (same-shape add: 2.0-2.2 and
 * 0.6-0.75).
 */
function perRowBroadcast(op: BinaryOp, a: TypedArray, sa: number, b: TypedArray, sb: number, out: TypedArray, len: number): boolean {
  const n = out.length;
  const oneWholeOneScalar = (sa === 1 && sb === 0 && a.length === n) || (sa === 0 && sb === 1 && b.length === n);
  return oneWholeOneScalar && typeof op === 'number' && op <= Binary.div && len >= MIN_BROADCAST_ROW && 2 * len <= CHUNK && useWasmElementwise(n, a, b, out);
}

/** out = a ⊕ b with broadcasting (out contiguous, of shape outShape). */
export function mapBinary(
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
  op: BinaryOp,
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) return binaryRow(op, a, 0, 1, b, 0, 1, out, 0, n);
  const { shape, strides } = collapseDims(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const [as, bs] = strides as [number[], number[]];
  const rank = shape.length;
  const len = shape[rank - 1]!;
  const sa = as[rank - 1]!;
  const sb = bs[rank - 1]!;
  if (rank === 1) return binaryRow(op, a, 0, sa, b, 0, sb, out, 0, len);
  if (perRowBroadcast(op, a, sa, b, sb, out, len)) {
    // One operand whole, the other one value per row (a per-channel scale or shift), in short
    // rows: whole chunks of rows in wasm, the per-row values gathered first (their bits, as
    // binaryRowWasm copies a broadcast value).
    const fullFirst = sa === 1;
    const other = fullFirst ? b : a;
    const bits = new Uint32Array(other.buffer, other.byteOffset, other.length);
    const scalars = new Float32Array(n / len);
    const scalarBits = new Uint32Array(scalars.buffer);
    mapStrided([other], [fullFirst ? bs : as], shape, (offsets, o) => {
      scalarBits[o / len] = bits[offsets[0]!]!;
    });
    return binaryRowsWasm(op as number, (fullFirst ? a : b) as Float32Array, fullFirst, scalars, out as Float32Array, n / len, len);
  }
  if (rank === 2) {
    const rows = shape[0]!;
    for (let r = 0, ia = 0, ib = 0; r < rows; r++, ia += as[0]!, ib += bs[0]!) binaryRow(op, a, ia, sa, b, ib, sb, out, r * len, len);
    return;
  }
  const index = new Array<number>(rank - 1).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o += len) {
    binaryRow(op, a, ia, sa, b, ib, sb, out, o, len);
    for (let d = rank - 2; d >= 0; d--) {
      ia += as[d]!;
      ib += bs[d]!;
      if (++index[d]! < shape[d]!) break;
      ia -= as[d]! * shape[d]!;
      ib -= bs[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

/** Ternary select with broadcasting: out = cond ? a : b. */
export function mapWhere(
  cond: TypedArray,
  condShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  if (out.length === 0) return;
  const strides = [condShape, aShape, bShape].map((s) => broadcastStrides(s, outShape));
  mapStrided([cond, a, b], strides, outShape, (offsets, o, len, steps) => {
    let ic = offsets[0]!;
    let ia = offsets[1]!;
    let ib = offsets[2]!;
    for (let j = 0; j < len; j++, ic += steps[0]!, ia += steps[1]!, ib += steps[2]!) out[o + j] = cond[ic] ? a[ia]! : b[ib]!;
  });
}

/**
 * Walks every innermost row of `outShape` and calls row(operandOffsets, outOffset, rowLength,
 * operandInnerStrides). Works for any rank, including 0.
 */
export function mapStrided(
  operands: readonly TypedArray[],
  strides: readonly number[][],
  outShape: readonly number[],
  row: (offsets: number[], outOffset: number, len: number, steps: number[]) => void,
): void {
  const rank = outShape.length;
  const len = rank === 0 ? 1 : outShape[rank - 1]!;
  const steps = strides.map((s) => (rank === 0 ? 0 : s[rank - 1]!));
  const offsets = operands.map(() => 0);
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= outShape[d]!;
  for (let r = 0, o = 0; r < rows; r++, o += len) {
    row(offsets, o, len, steps);
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![d]!;
      if (index[d]! < outShape[d]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}

/** relu: multiplying by the mask instead of branching on the sign (random signs mispredict ~half
 * the branches: 5x slower). Only NaN and -inf make the product NaN; they take the rare branch. */
export function reluInto(src: TypedArray, dst: TypedArray): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    const r = v * +(v > 0) + 0; // + 0 turns -0 into 0
    dst[i] = r === r ? r : v === -Infinity ? 0 : v;
  }
}

/** relu's backward in one pass, branch-free like the forward; a NaN product (g infinite or NaN) takes the exact rule. */
export function reluGradInto(gd: TypedArray, xd: TypedArray, dst: TypedArray): void {
  for (let i = 0; i < gd.length; i++) {
    const r = gd[i]! * +(xd[i]! > 0);
    dst[i] = r === r ? r : xd[i]! > 0 ? gd[i]! : 0;
  }
}

export const cpuElementwise: ElementwiseKernels<TypedArray> = {
  unary: (op, x, out, a, b) => mapUnary(x, out, op, a, b),
  binary: (op, a, aShape, b, bShape, out, outShape) =>
    mapBinary(a, aShape, b, bShape, out, outShape, op >= Binary.greater ? comparisons[op as ComparisonCode] : (op as BinaryOp)),
  where: mapWhere,
  relu: (x, out) => (useWasmElementwise(x.length, x, out) ? reluWasm(x as Float32Array, out as Float32Array) : reluInto(x, out)),
  reluGrad: (g, x, out) =>
    useWasmElementwise(g.length, g, x, out) ? reluGradWasm(g as Float32Array, x as Float32Array, out as Float32Array) : reluGradInto(g, x, out),
};
