import { ArgumentError, type Generator, type Tensor } from '@tensorgrad/core';
import { checkFunction } from '../check.js';
import { madeBy } from './recipe.js';

/**
 * A per-sample transform. Random transforms draw only from `rng` (the loader hands each sample
 * its own generator, derived from the seed, epoch and sample index), so a seed replays an epoch
 * exactly. Transforms never write into their input.
 */
export type Transform<I = Tensor, O = Tensor> = (input: I, rng: Generator) => O;

/** Applies transforms left to right, all drawing from the same generator. */
export function compose<A, B>(first: Transform<A, B>, ...rest: Transform<B, B>[]): Transform<A, B> {
  // torchvision's Compose takes a list; here the transforms are the arguments themselves.
  if (Array.isArray(first)) throw new ArgumentError('compose: takes the transforms as separate arguments, compose(a, b, c), not an array');
  [first, ...rest].forEach((t, i) => checkFunction('compose', `transform ${i}`, t));
  return madeBy('compose', [first, ...rest], (input, rng) => rest.reduce((x, t) => t(x, rng), first(input, rng)));
}
