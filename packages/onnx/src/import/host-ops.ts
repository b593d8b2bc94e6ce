// Array operations on host values: the shape arithmetic exporters emit (Shape -> Gather ->
// Unsqueeze -> Concat -> Reshape, the pads of an opset-11 Pad...) is evaluated here, with numbers,
// off the tape.
import { HostValue, type HostKind } from './values.js';

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let n = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = n;
    n *= shape[i]!;
  }
  return s;
}

/** NumPy broadcasting of two shapes, or undefined when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** f applied elementwise with broadcasting; the result has `kind`. */
export function hostBroadcast(a: HostValue, b: HostValue, kind: HostKind, f: (x: number, y: number) => number): HostValue | undefined {
  const shape = broadcastShape(a.shape, b.shape);
  if (shape === undefined) return undefined;
  const size = shape.reduce((n, d) => n * d, 1);
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  const out = new Array<number>(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < shape.length; d++) {
      const da = d - (shape.length - a.shape.length);
      const db = d - (shape.length - b.shape.length);
      if (da >= 0 && a.shape[da] !== 1) ia += idx[d]! * sa[da]!;
      if (db >= 0 && b.shape[db] !== 1) ib += idx[d]! * sb[db]!;
    }
    out[k] = f(a.data[ia]!, b.data[ib]!);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return new HostValue(kind, shape, out);
}

/** Elements of x along `axis` at `indices` (ONNX Gather, indices already non-negative). */
export function hostGather(x: HostValue, axis: number, indices: readonly number[], indexShape: readonly number[]): HostValue {
  const outer = x.shape.slice(0, axis).reduce((n, d) => n * d, 1);
  const inner = x.shape.slice(axis + 1).reduce((n, d) => n * d, 1);
  const dim = x.shape[axis]!;
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const i of indices) for (let j = 0; j < inner; j++) out.push(x.data[(o * dim + i) * inner + j]!);
  }
  return new HostValue(x.kind, [...x.shape.slice(0, axis), ...indexShape, ...x.shape.slice(axis + 1)], out);
}

/** Host values joined along axis. */
export function hostConcat(xs: readonly HostValue[], axis: number): HostValue {
  const first = xs[0]!;
  const outer = first.shape.slice(0, axis).reduce((n, d) => n * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const chunk = x.shape.slice(axis).reduce((n, d) => n * d, 1);
      for (let j = 0; j < chunk; j++) out.push(x.data[o * chunk + j]!);
    }
  }
  const shape = [...first.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  const kind = xs.every((x) => x.kind === 'int') ? 'int' : first.kind;
  return new HostValue(kind, shape, out);
}

/** x with its dims permuted. */
export function hostTranspose(x: HostValue, perm: readonly number[]): HostValue {
  const shape = perm.map((p) => x.shape[p]!);
  const strides = stridesOf(x.shape);
  const size = x.data.length;
  const out = new Array<number>(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += idx[d]! * strides[perm[d]!]!;
    out[k] = x.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return new HostValue(x.kind, shape, out);
}

/** x[start:end:step] along axis (bounds already clamped as ONNX Slice does; step may be negative). */
export function hostSlice(x: HostValue, axis: number, start: number, end: number, step: number): HostValue {
  const picks: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) picks.push(i);
  return hostGather(x, axis, picks, [picks.length]);
}
