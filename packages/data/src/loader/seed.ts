// Seeds derived from (seed, epoch, stream, index) by hashing, so any epoch's shuffle and any
// sample's augmentation can be regenerated directly: a run resumed at epoch k replays it
// without re-running epochs 0..k-1, and the result does not depend on batch order.

import { ArgumentError, checkNumber } from '@tensorgrad/core';
import { show } from '../check.js';

function mix32(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Keys are hashed as 32-bit words: a larger or fractional key would alias another. */
export const MAX_KEY = 0xffffffff;

/** Seeds are any safe integer (negative ones included); 1.5 would alias 1. */
export function checkSeed(fn: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new ArgumentError(`${fn}: seed must be an integer of magnitude below 2^53, got ${show(seed)}`);
}

/** A Generator seed (an integer below 2^53) that is a hash of the seed and the keys. */
export function deriveSeed(seed: number, ...keys: number[]): number {
  checkSeed('deriveSeed', seed);
  keys.forEach((k, i) => checkNumber('deriveSeed', `key ${i}`, k, { integer: true, min: 0, max: MAX_KEY }));
  const words = [seed >>> 0, Math.floor(seed / 4294967296) >>> 0, ...keys.map((k) => k >>> 0)];
  let lo = 0x243f6a88;
  let hi = 0x85a308d3;
  for (const w of words) {
    lo = mix32(lo, w);
    hi = mix32(hi ^ lo, w);
  }
  return (hi & 0x1fffff) * 4294967296 + lo;
}

export const SHUFFLE_STREAM = 0;
export const AUGMENT_STREAM = 1;
