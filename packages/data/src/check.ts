// Argument checks of data's public API that core's checkNumber and checkOptions do not cover:
// booleans, enumerations, callbacks, [min, max] ranges and paths. Each throws an ArgumentError
// naming the function and the argument, so `shuffle: 'yes'` or `scale: [1.2, 0.8]` cannot be
// accepted silently and fail (or worse, not fail) far from the call.
import { ArgumentError, type NumberRule, checkNumber } from '@tensorgrad/core';

export function checkBoolean(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new ArgumentError(`${fn}: ${name} must be true or false, got ${show(value)}`);
}

export function checkOneOf<T extends string | number>(fn: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError(`${fn}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
  }
}

export function checkFunction(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'function') throw new ArgumentError(`${fn}: ${name} must be a function, got ${show(value)}`);
}

export function checkPath(fn: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') throw new ArgumentError(`${fn}: ${name} must be a non-empty path string, got ${show(value)}`);
}

export function checkBytes(fn: string, name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new ArgumentError(`${fn}: ${name} must be a Uint8Array of file bytes, got ${show(value)}`);
}

/** Numbers of a list, each within the rule. */
export function checkNumbers(fn: string, name: string, value: unknown, rule: NumberRule = {}): asserts value is readonly number[] {
  if (!Array.isArray(value) || value.length === 0) throw new ArgumentError(`${fn}: ${name} must be a non-empty array of numbers, got ${show(value)}`);
  value.forEach((v, i) => checkNumber(fn, `${name}[${i}]`, v, rule));
}

/** Two numbers, both within the rule ([x, y], [height, width]...). */
export function checkPair(fn: string, name: string, value: unknown, rule: NumberRule = {}, form = '[x, y]'): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new ArgumentError(`${fn}: ${name} must be a pair ${form}, got ${show(value)}`);
  const [a, b] = value as [unknown, unknown];
  checkNumber(fn, `${name}[0]`, a, rule);
  checkNumber(fn, `${name}[1]`, b, rule);
  return [a as number, b as number];
}

/** A [min, max] pair, both within the rule and min <= max. */
export function checkRange(fn: string, name: string, value: unknown, rule: NumberRule = {}): [number, number] {
  const [lo, hi] = checkPair(fn, name, value, rule, '[min, max]');
  if (lo > hi) throw new ArgumentError(`${fn}: ${name} must be [min, max] with min <= max, got ${show(value)}`);
  return [lo, hi];
}

/** Something with a non-negative integer length and a get method (a Dataset). */
export function checkDataset(fn: string, value: unknown): void {
  const ds = value as { length: unknown; get: unknown } | null | undefined;
  if (typeof ds !== 'object' || ds === null || typeof ds.get !== 'function' || !Number.isInteger(ds.length) || (ds.length as number) < 0) {
    throw new ArgumentError(`${fn}: dataset must have an integer length and a get(index) method, got ${show(value)}`);
  }
}

/** How a bad value reads in a message: its value when short, else its kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function${value.name === '' ? '' : ` (${value.name})`}`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (Array.isArray(value)) {
    return value.length <= 8 ? `[${value.map(show).join(', ')}]` : `an array of length ${value.length}`;
  }
  return (value as object).constructor?.name ?? 'object';
}
