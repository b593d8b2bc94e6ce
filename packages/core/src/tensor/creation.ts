import { ArgumentError, DTypeError, ShapeError, formatShape } from '../errors.js';
import { type DType, type TypedArray, allocate, allocateUninitialized, dtypeOfArray, isDType } from './dtype.js';
import { type Generator, defaultGenerator } from './random.js';
import { type Shape, assertValidShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor } from './tensor.js';

export interface TensorOptions {
  shape?: Shape;
  dtype?: DType;
  requiresGrad?: boolean;
}

export type TensorData = number | NestedArray | readonly number[] | TypedArray | Tensor;

/**
 * Builds a tensor from a number, nested arrays, a typed array (flat, shaped by `shape`) or
 * another tensor (copied). Default dtype: the typed array's, else float32.
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new DTypeError(`tensor: dtype must be 'float32', 'float64' or 'int32', got ${String(options.dtype)}`);
  }
  let values: ArrayLike<number>;
  let shape: number[];
  let dtype: DType;
  if (data instanceof Tensor) {
    values = data.data;
    shape = [...data.shape];
    dtype = options.dtype ?? data.dtype;
  } else if (ArrayBuffer.isView(data)) {
    values = data as TypedArray;
    shape = [values.length];
    dtype = options.dtype ?? dtypeOfTyped(data as TypedArray);
  } else if (typeof data === 'number') {
    values = [data];
    shape = [];
    dtype = options.dtype ?? 'float32';
  } else if (Array.isArray(data)) {
    const flat: number[] = [];
    shape = nestedShape(data as NestedArray[]);
    flatten(data as NestedArray[], shape, 0, flat);
    values = flat;
    dtype = options.dtype ?? 'float32';
  } else {
    throw new ArgumentError(`tensor: data must be a number, nested array, typed array or Tensor, got ${describe(data)}`);
  }
  if (options.shape !== undefined) {
    assertValidShape('tensor', options.shape);
    if (sizeOf(options.shape) !== values.length) {
      throw new ShapeError(`tensor: shape ${formatShape(options.shape)} needs ${sizeOf(options.shape)} values, got ${values.length}`);
    }
    shape = [...options.shape];
  }
  const out = allocate(dtype, values.length);
  out.set(values as ArrayLike<number>);
  const t = new Tensor(out, shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function dtypeOfTyped(data: TypedArray): DType {
  if (data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array) return dtypeOfArray(data);
  return 'float32';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function nestedShape(data: NestedArray[]): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flatten(data: NestedArray[], shape: readonly number[], depth: number, out: number[]): void {
  if (data.length !== shape[depth]) {
    throw new ShapeError(`tensor: ragged nested array: expected ${shape[depth]} entries at depth ${depth}, got ${data.length}`);
  }
  for (const item of data) {
    if (depth === shape.length - 1) {
      if (typeof item !== 'number') throw new ArgumentError(`tensor: expected a number at depth ${depth + 1}, got ${describe(item)}`);
      out.push(item);
    } else {
      if (!Array.isArray(item)) throw new ShapeError(`tensor: ragged nested array: expected an array at depth ${depth + 1}, got ${describe(item)}`);
      flatten(item, shape, depth + 1, out);
    }
  }
}

export interface CreationOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

function make(op: string, shape: Shape, options: CreationOptions, fill: (data: TypedArray) => void): Tensor {
  assertValidShape(op, shape);
  const dtype = options.dtype ?? 'float32';
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${String(dtype)}`);
  const data = allocate(dtype, sizeOf(shape));
  fill(data);
  const t = new Tensor(data, shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  return make('zeros', shape, options, () => {});
}

export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  return make('ones', shape, options, (d) => d.fill(1));
}

export function full(shape: Shape, value: number, options: CreationOptions = {}): Tensor {
  return make('full', shape, options, (d) => d.fill(value));
}

export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

/** Values start, start+step, ... below end (PyTorch's arange). */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`arange: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = [start, end, step].every(Number.isInteger);
  return make('arange', [n], { dtype: options.dtype ?? (ints ? 'int32' : 'float32'), ...options }, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

export interface RandomOptions extends CreationOptions {
  generator?: Generator;
}

/** Uniform in [0, 1), from a seedable generator (the default one unless given). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make('rand', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.random();
  });
}

/** Standard normal, from a seedable generator (the default one unless given). */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return make('randn', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/** Internal: a zero-filled tensor of a given shape and dtype (storage may be recycled). */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** Internal: a tensor whose storage holds stale values; the caller must write every element. */
export function uninitialized(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocateUninitialized(dtype, sizeOf(shape)), shape);
}
