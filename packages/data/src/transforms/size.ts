import { ArgumentError } from '@tensorgrad/core';

/** An output size: a number for a square, or [height, width]. */
export type Size = number | readonly [number, number];

export function sizeOf(op: string, size: Size): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new ArgumentError(`${op}: size must be a positive integer or [height, width] of them, got ${JSON.stringify(size)}`);
  }
  return [h, w];
}
