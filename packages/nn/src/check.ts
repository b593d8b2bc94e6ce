// Argument checks shared by nn's layers, models, optimizers and checkpoints: each throws an
// ArgumentError naming the function and the argument, with what was expected and what came.
import { ArgumentError, Generator, type Pair, type PaddingSpec, Tensor } from '@tensorgrad/core';

export function assertPositiveInt(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`${where}: ${name} must be a positive integer, got ${show(value)}`);
}

/** Parameters are float32 or float64 (an int32 weight could not be trained). */
export function checkFloatDType(where: string, dtype: unknown): void {
  if (dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError(`${where}: dtype must be 'float32' or 'float64', got ${show(dtype)}`);
}

/** A spatial size (kernel, stride, dilation: min 1; padding: min 0) as a number or an [h, w] pair of integers. */
export function checkPair(where: string, name: string, value: unknown, min: number): void {
  const ok = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= min;
  const valid = Array.isArray(value) ? value.length === 2 && value.every(ok) : ok(value);
  if (!valid) throw new ArgumentError(`${where}: ${name} must be an integer >= ${min} or an [h, w] pair of them, got ${show(value)}`);
}

/** Convolution padding: a checked pair, or 'same' / 'valid'. */
export function checkPadding(where: string, padding: PaddingSpec): void {
  if (padding !== 'same' && padding !== 'valid') checkPair(where, 'padding', padding as Pair, 0);
}

/** A layer's input must be a Tensor: its shape is read before any op would convert it. */
export function checkTensorInput(where: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${where}: input x must be a Tensor, got ${show(x)}`);
}

/** Throws unless value is a boolean (a string 'false' would read as true). */
export function checkBool(where: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new ArgumentError(`${where}: ${name} must be a boolean, got ${show(value)}`);
}

/** A generator option must be a core Generator (or absent: the default generator). */
export function checkGenerator(where: string, generator: unknown): void {
  if (generator !== undefined && !(generator instanceof Generator)) throw new ArgumentError(`${where}: generator must be a Generator, got ${show(generator)}`);
}

/** A value as an error message shows it: numbers and booleans as written, strings quoted, objects by class. */
export function show(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return v.length <= 8 && v.every((x) => typeof x !== 'object') ? JSON.stringify(v) : `an array of length ${v.length}`;
  return typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : typeof v;
}
