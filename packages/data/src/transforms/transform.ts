import type { Generator, Tensor } from '@tensorgrad/core';

/**
 * A per-sample transform. Random transforms draw only from `rng` (the loader hands each sample
 * its own generator, derived from the seed, epoch and sample index), so a seed replays an epoch
 * exactly. Transforms never write into their input.
 */
export type Transform<I = Tensor, O = Tensor> = (input: I, rng: Generator) => O;

/** Applies transforms left to right, all drawing from the same generator. */
export function compose<A, B>(first: Transform<A, B>, ...rest: Transform<B, B>[]): Transform<A, B> {
  return (input, rng) => rest.reduce((x, t) => t(x, rng), first(input, rng));
}
