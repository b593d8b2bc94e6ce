import { ArgumentError, ShapeError, formatShape } from '../errors.js';

export type Shape = readonly number[];

/** Number of elements of a tensor of this shape (1 for the scalar shape []). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes have the same rank and sizes. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function assertValidShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) {
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, got ${shape === null ? 'null' : typeof shape} ${String(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape must contain non-negative integers, got ${formatShape(shape)}`);
    }
  }
}

/** NumPy broadcasting: align right, sizes equal or one of them 1. `names` label the operands in errors. */
export function broadcastShapes(op: string, a: Shape, b: Shape, names?: readonly [string, string]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${names ? `of ${names[0]} ` : ''}${formatShape(a)} and ${names ? `${names[1]} ` : ''}${formatShape(b)} ` +
          `cannot be broadcast together (dim ${i - rank}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` seen from `outShape` (right-aligned; 0 where the operand broadcasts). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = outShape.length - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

/** Normalises a possibly negative dim into [0, rank). */
export function normalizeDim(op: string, dim: number, rank: number, arg = 'dim'): number {
  if (!Number.isInteger(dim) || dim < -Math.max(rank, 1) || dim >= Math.max(rank, 1)) {
    throw new ArgumentError(`${op}: ${arg} must be an integer in [${-Math.max(rank, 1)}, ${Math.max(rank, 1) - 1}] for a tensor of rank ${rank}, got ${dim}`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** Normalised, sorted, de-duplicated dims; undefined means all dims. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (dims === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(op, d, rank));
  const unique = [...new Set(out)].sort((p, q) => p - q);
  if (unique.length !== out.length) throw new ArgumentError(`${op}: dims contain a repeated dim: [${list.join(',')}]`);
  return rank === 0 ? [] : unique;
}
