import { ArgumentError, type Generator, type Tensor, checkNumber, checkOptions, dropout, flatten, localResponseNorm, optionKeys } from '@tensorgrad/core';
import { assertPositiveInt, checkGenerator, show } from '../check.js';
import { Module } from '../module/module.js';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Draws the dropout masks (default: core's default generator). */
  generator?: Generator;
}

const DROPOUT_OPTIONS = optionKeys<DropoutOptions>()(['generator']);

/** Zeroes each value with probability p while training and scales the rest by 1/(1-p); identity in eval. */
export class Dropout extends Module {
  readonly #generator: Generator | undefined;

  constructor(
    /** Probability of zeroing each value (default 0.5). */
    readonly p = 0.5,
    options: DropoutOptions = {},
  ) {
    super();
    checkOptions('Dropout', options, DROPOUT_OPTIONS);
    if (!(typeof p === 'number' && p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: p must be in [0, 1], got ${show(p)}`);
    checkGenerator('Dropout', options.generator);
    this.#generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return dropout(x, this.p, { training: true, generator: this.#generator });
  }
}

/** Options of `LocalResponseNorm` (nn.LocalResponseNorm's, PyTorch's defaults). */
export interface LocalResponseNormOptions {
  /** Scale of the squared-sum term, divided by size (default 1e-4). */
  alpha?: number;
  /** Exponent of the denominator (default 0.75). */
  beta?: number;
  /** Additive constant of the denominator (default 1). */
  k?: number;
}

const LOCAL_RESPONSE_NORM_OPTIONS = optionKeys<LocalResponseNormOptions>()(['alpha', 'beta', 'k']);

/** Krizhevsky et al.'s cross-channel normalisation: x / (k + α/n·Σ x²)^β over n neighbouring channels. */
export class LocalResponseNorm extends Module {
  /** As given in the options. */
  readonly alpha: number;
  /** As given in the options. */
  readonly beta: number;
  /** As given in the options. */
  readonly k: number;

  constructor(
    /** Number of neighbouring channels summed over. */
    readonly size: number,
    options: LocalResponseNormOptions = {},
  ) {
    super();
    checkOptions('LocalResponseNorm', options, LOCAL_RESPONSE_NORM_OPTIONS);
    const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
    assertPositiveInt('LocalResponseNorm', 'size', size);
    checkNumber('LocalResponseNorm', 'alpha', alpha);
    checkNumber('LocalResponseNorm', 'beta', beta);
    checkNumber('LocalResponseNorm', 'k', k);
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }
}

/** Flattens dims startDim..endDim into one (default: everything but the batch dim). */
export class Flatten extends Module {
  constructor(
    /** First dim flattened (default 1: the batch dim is kept). */
    readonly startDim = 1,
    /** Last dim flattened (default −1, the last). */
    readonly endDim = -1,
  ) {
    super();
    checkNumber('Flatten', 'startDim', startDim, { integer: true });
    checkNumber('Flatten', 'endDim', endDim, { integer: true });
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

/** Returns its input unchanged (nn.Identity): a placeholder, e.g. for a removed classifier head. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
