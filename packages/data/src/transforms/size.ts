import { ArgumentError } from '@tensorgrad/core';
import { show } from '../check.js';

/** An output size: a number for a square, or [height, width]. */
export type Size = number | readonly [number, number];

export function sizeOf(op: string, size: Size): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : [NaN, NaN];
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new ArgumentError(`${op}: size must be a positive integer or [height, width] of them, got ${show(size)}`);
  }
  return [h, w];
}
