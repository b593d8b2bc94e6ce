import { ArgumentError, DTypeError, ShapeError, formatShape } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { type DType, type TypedArray, checkInt32Values, dtypeOfArray, isDType } from './dtype.js';
import { type Device, storageOf } from './device.js';
import { Generator, defaultGenerator } from './random.js';
import { type Shape, assertValidShape, sizeOf } from './shape.js';
import { allocate, allocateUninitialized } from './storage.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options of `tensor()` (PyTorch's `torch.tensor(data, dtype=, requires_grad=)`). */
export interface TensorOptions {
  /** Shape of a flat typed array or number list (default: the nesting of `data`; a typed array is 1-D). */
  shape?: Shape;
  /** Element type (default: the typed array's or tensor's, else float32; never guessed as int32). */
  dtype?: DType;
  /** Record operations on this tensor for backward (a leaf whose `.grad` is filled); default false. */
  requiresGrad?: boolean;
  /** Where the tensor lives (default 'cpu'): the values are uploaded to that device. */
  device?: Device;
}
const TENSOR_OPTIONS = optionKeys<TensorOptions>()(['shape', 'dtype', 'requiresGrad', 'device']);

/**
 * What `tensor()` accepts: a number (a 0-d tensor), nested arrays, a flat number list or typed
 * array, or a tensor (copied).
 */
export type TensorData = number | NestedArray | readonly number[] | TypedArray | Tensor;

/**
 * Builds a tensor from a number, nested arrays, a typed array (flat, shaped by `shape`) or
 * another tensor (copied). Default dtype: the typed array's, else float32.
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  checkOptions('tensor', options, TENSOR_OPTIONS);
  checkCommon('tensor', options);
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
  if (dtype === 'int32' && !(values instanceof Int32Array)) checkInt32Values('tensor', 'data', values);
  const device = options.device ?? 'cpu';
  const storage = device === 'cpu' ? null : storageOf(device, 'tensor');
  const out = allocate(dtype, values.length, shape, 'tensor');
  out.set(values as ArrayLike<number>);
  const t = new Tensor(storage === null ? out : storage.fromHost(out), shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/** dtype and requiresGrad, shared by every creation function's options. */
function checkCommon(op: string, options: CreationOptions): void {
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new DTypeError(`${op}: dtype must be 'float32', 'float64' or 'int32', got ${String(options.dtype)}`);
  }
  if (options.requiresGrad !== undefined && typeof options.requiresGrad !== 'boolean') {
    throw new ArgumentError(`${op}: requiresGrad must be true or false, got ${typeof options.requiresGrad} ${String(options.requiresGrad)}`);
  }
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

/** Options of the creation functions (`zeros`, `ones`, `full`, `arange`, `*Like`). */
export interface CreationOptions {
  /** Element type (default float32; `arange` of integers defaults to int32). */
  dtype?: DType;
  /** Make the result a leaf that records operations for backward (default false). */
  requiresGrad?: boolean;
  /**
   * Where the result lives (default 'cpu'; `*Like` default to their tensor's device). Values are
   * made on the host, drawn from the same generator, and uploaded: a seed gives the same values on
   * every device.
   */
  device?: Device;
}
const CREATION_OPTIONS = optionKeys<CreationOptions>()(['dtype', 'requiresGrad', 'device']);

function make(op: string, shape: Shape, options: CreationOptions, fill: (data: TypedArray) => void): Tensor {
  assertValidShape(op, shape);
  const dtype = options.dtype ?? 'float32';
  const device = options.device ?? 'cpu';
  // Before any work: an unknown or uninitialised device, or float64 on a GPU, fails by name.
  const storage = device === 'cpu' ? null : storageOf(device, op);
  const data = allocate(dtype, sizeOf(shape), shape, op);
  fill(data);
  const t = new Tensor(storage === null ? data : storage.fromHost(data), shape);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Checks a creation function's options (the accepted keys, dtype, requiresGrad). */
function creationOptions<O extends CreationOptions>(op: string, options: O, accepted: readonly string[] = CREATION_OPTIONS): O {
  checkOptions(op, options, accepted);
  checkCommon(op, options);
  return options;
}

/** A tensor of the shape filled with 0 (float32 unless `dtype` is given), as `torch.zeros`. */
export function zeros(shape: Shape, options: CreationOptions = {}): Tensor {
  creationOptions('zeros', options);
  return make('zeros', shape, options, () => {});
}

/** A tensor of the shape filled with 1 (float32 unless `dtype` is given), as `torch.ones`. */
export function ones(shape: Shape, options: CreationOptions = {}): Tensor {
  creationOptions('ones', options);
  return make('ones', shape, options, (d) => d.fill(1));
}

/** A tensor of the shape filled with `value` (float32 unless `dtype` is given), as `torch.full`. */
export function full(shape: Shape, value: number, options: CreationOptions = {}): Tensor {
  creationOptions('full', options);
  if (typeof value !== 'number') throw new ArgumentError(`full: value must be a number, got ${describe(value)}`);
  if (options.dtype === 'int32') checkInt32Values('full', 'value', [value]);
  return make('full', shape, options, (d) => d.fill(value));
}

/** Zeros with `t`'s shape and dtype (unless `dtype` is given), as `torch.zeros_like`. */
export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  creationOptions('zerosLike', options);
  return zeros(likeShape('zerosLike', t), { dtype: t.dtype, device: t.device, ...options });
}

/** Ones with `t`'s shape and dtype (unless `dtype` is given), as `torch.ones_like`. */
export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  creationOptions('onesLike', options);
  return ones(likeShape('onesLike', t), { dtype: t.dtype, device: t.device, ...options });
}

function likeShape(op: string, t: Tensor): Shape {
  if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: t must be a Tensor, got ${describe(t)}`);
  return t.shape;
}

/** Values start, start+step, ... below end (PyTorch's arange). */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  creationOptions('arange', options);
  if (end === undefined) [start, end] = [0, start];
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || (name === 'step' && v === 0)) {
      throw new ArgumentError(`arange: ${name} must be a finite${name === 'step' ? ' non-zero' : ''} number, got ${typeof v === 'number' ? v : describe(v)}`);
    }
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = [start, end, step].every(Number.isInteger);
  const dtype = options.dtype ?? (ints ? 'int32' : 'float32');
  // The values run from start to its last value below end: both must fit when stored as int32.
  if (dtype === 'int32' && n > 0) {
    checkInt32Values('arange', 'start', [start]);
    checkInt32Values('arange', 'the last value (start + (n-1)·step)', [start + (n - 1) * step]);
  }
  return make('arange', [n], { ...options, dtype }, (d) => {
    for (let i = 0; i < n; i++) d[i] = start + i * step;
  });
}

/** Options of `rand` and `randn`: a float dtype, requiresGrad, and the generator to draw from. */
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from (default: `defaultGenerator`, which `manualSeed` seeds). */
  generator?: Generator;
}
const RANDOM_OPTIONS = optionKeys<RandomOptions>()(['dtype', 'requiresGrad', 'device', 'generator']);

function generatorOf(op: string, options: RandomOptions): Generator {
  // PyTorch has no int rand/randn either; int32 would silently truncate every draw to 0.
  if (options.dtype === 'int32') throw new DTypeError(`${op}: dtype must be 'float32' or 'float64' (random floats), got int32`);
  const g = options.generator ?? defaultGenerator;
  if (!(g instanceof Generator)) throw new ArgumentError(`${op}: generator must be a Generator, got ${describe(g)}`);
  return g;
}

/** Uniform in [0, 1), from a seedable generator (the default one unless given). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = generatorOf('rand', creationOptions('rand', options, RANDOM_OPTIONS));
  return make('rand', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.random();
  });
}

/** Standard normal, from a seedable generator (the default one unless given). */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const g = generatorOf('randn', creationOptions('randn', options, RANDOM_OPTIONS));
  return make('randn', shape, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.normal();
  });
}

/**
 * Internal: a zero-filled tensor of a given shape and dtype on `device` (storage may be recycled;
 * PyTorch's empty would leave it uninitialised, see `uninitialized`).
 */
export function zeroFilled(shape: Shape, dtype: DType, device: Device): Tensor {
  if (device === 'cpu') return new Tensor(allocate(dtype, sizeOf(shape), shape), shape);
  return new Tensor(storageOf(device, 'zeros').allocate(dtype, sizeOf(shape), true, shape), shape);
}

/** Internal: a tensor on `device` whose storage holds stale values; the caller must write every element. */
export function uninitialized(shape: Shape, dtype: DType, device: Device): Tensor {
  if (device === 'cpu') return new Tensor(allocateUninitialized(dtype, sizeOf(shape), shape), shape);
  return new Tensor(storageOf(device, 'empty').allocate(dtype, sizeOf(shape), false, shape), shape);
}

/** Internal: host values as a tensor on `device` (the values themselves on the CPU, a copy elsewhere). */
export function fromHost(data: TypedArray, shape: Shape, device: Device = 'cpu'): Tensor {
  return new Tensor(device === 'cpu' ? data : storageOf(device, 'tensor').fromHost(data), shape);
}

/** Internal: a tensor of `shape` holding `value` everywhere, on `device` (seeds of backward, scalar operands). */
export function filledOn(shape: Shape, dtype: DType, value: number, device: Device, op = 'full'): Tensor {
  if (dtype === 'int32') checkInt32Values(op, 'value', [value]);
  if (device !== 'cpu' && sizeOf(shape) === 1) {
    const t = fromHost(allocate(dtype, 1, shape).fill(value), shape, device);
    hostScalars.set(t, { value: t.dtype === 'float32' ? Math.fround(value) : value, version: t.version.value });
    return t;
  }
  return fromHost(allocate(dtype, sizeOf(shape), shape).fill(value), shape, device);
}

/** The values of one-element device tensors made from a host number, while unmodified. */
const hostScalars = new WeakMap<Tensor, { value: number; version: number }>();

/**
 * The value of a one-element tensor when it is known without a GPU readback: a CPU tensor's, or a
 * device scalar made from a host number (filledOn: the operand of `pow(x, 0)`) and not modified
 * since; else undefined. Lets a VJP decide on a constant as on the CPU.
 */
export function knownScalar(t: Tensor): number | undefined {
  if (t.size !== 1) return undefined;
  if (t.device === 'cpu') return t.data[0];
  const known = hostScalars.get(t);
  return known !== undefined && known.version === t.version.value ? known.value : undefined;
}
