// dropout: y = x·m/(1 − p) with m ~ Bernoulli(1 − p) from a seedable generator; identity in eval.
import { backendOf } from '../../backend/index.js';
import { ArgumentError } from '../../errors.js';
import { checkBoolean, checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { type Generator as Rng, Generator, defaultGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/arithmetic.js';

/** Options of `dropout` (F.dropout's, plus seeding). */
export interface DropoutOptions {
  /** Drop elements (true, the default, as PyTorch's functional dropout) or return x unchanged. */
  training?: boolean;
  /** Seeds a fresh generator for this call (reproducible masks). */
  seed?: number;
  /** Draws the mask from this generator (default: the global one). */
  generator?: Rng;
}
const DROPOUT_OPTIONS = optionKeys<DropoutOptions>()(['training', 'seed', 'generator']);

export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`dropout: p must be a probability in [0, 1], got ${p}`);
  checkOptions('dropout', options, DROPOUT_OPTIONS);
  checkBoolean('dropout', 'training', options.training);
  if (options.generator !== undefined && !(options.generator instanceof Generator)) {
    throw new ArgumentError(`dropout: generator must be a Generator, got ${typeof options.generator}`);
  }
  if (options.seed !== undefined && options.generator !== undefined) throw new ArgumentError('dropout: give seed or generator, not both');
  assertFloat('dropout', 'x', x.dtype);
  if (!(options.training ?? true) || p === 0) return x;
  const rng = options.seed !== undefined ? new Generator(options.seed) : options.generator ?? defaultGenerator;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  // One 32-bit draw per element from rng: dropped when below p·2³² (p resolved to 2⁻³²).
  const mask = zeroFilled(x.shape, x.dtype, x.device);
  backendOf(x).random.dropoutMask(rng, p, scale, mask.storage);
  return mul(x, mask);
}
