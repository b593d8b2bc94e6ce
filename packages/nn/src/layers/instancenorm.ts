import { ShapeError, type Tensor, checkNumber, checkOptions, instanceNorm, ones, optionKeys, squeeze, unsqueeze, zeros } from '@tensorgrad/core';
import { assertPositiveInt, checkBool, checkFloatDType, checkTensorInput } from '../check.js';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

/** Options of InstanceNorm2d (torch.nn.InstanceNorm2d's). */
export interface InstanceNormOptions extends Pick<ParameterOptions, 'dtype'> {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of each batch's statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Learnable per-channel scale and shift, initialised to 1 and 0 (default false, as PyTorch). */
  affine?: boolean;
  /**
   * Keep running mean and variance (default false, as PyTorch): training updates them, eval
   * normalises with them. Without them eval normalises with each instance's statistics too.
   */
  trackRunningStats?: boolean;
}

const INSTANCE_NORM_OPTIONS = optionKeys<InstanceNormOptions>()(['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);

/**
 * Instance normalisation (torch.nn.InstanceNorm2d) of [N, C, H, W] or unbatched [C, H, W]
 * inputs: each (sample, channel) normalised over its positions. Buffers as PyTorch's
 * (running_mean, running_var, num_batches_tracked; the counter stays 0, as PyTorch's).
 */
export class InstanceNorm2d extends Module {
  /** Learnable per-channel scale [numFeatures] (initialised to 1), or null without affine. */
  readonly weight: Tensor | null;
  /** Learnable per-channel shift [numFeatures] (initialised to 0), or null without affine. */
  readonly bias: Tensor | null;
  /** Running mean [numFeatures] (a buffer), or null without trackRunningStats. */
  readonly runningMean: Tensor | null;
  /** Running unbiased variance [numFeatures] (a buffer), or null without trackRunningStats. */
  readonly runningVar: Tensor | null;
  /**
   * Always 0, as PyTorch's (a buffer kept for state-dict compatibility), or null without
   * trackRunningStats.
   */
  readonly numBatchesTracked: Tensor | null;
  /** As given in the options. */
  readonly eps: number;
  /** As given in the options. */
  readonly momentum: number;

  constructor(
    /** Channels (dim 1 of a batched input). */
    readonly numFeatures: number,
    options: InstanceNormOptions = {},
  ) {
    super();
    checkOptions('InstanceNorm2d', options, INSTANCE_NORM_OPTIONS);
    const { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false, dtype = 'float32' } = options;
    assertPositiveInt('InstanceNorm2d', 'numFeatures', numFeatures);
    checkNumber('InstanceNorm2d', 'eps', eps, { min: 0, minExclusive: true });
    checkNumber('InstanceNorm2d', 'momentum', momentum, { min: 0, max: 1 });
    checkBool('InstanceNorm2d', 'affine', affine);
    checkBool('InstanceNorm2d', 'trackRunningStats', trackRunningStats);
    checkFloatDType('InstanceNorm2d', dtype);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = trackRunningStats ? this.buffer(zeros([numFeatures], { dtype })) : null;
    this.runningVar = trackRunningStats ? this.buffer(ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = trackRunningStats ? this.buffer(zeros([], { dtype: 'int32' })) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensorInput('InstanceNorm2d', x);
    // PyTorch only warns when the channels differ from numFeatures without affine or running statistics; this throws.
    if ((x.ndim !== 3 && x.ndim !== 4) || x.shape[x.ndim - 3] !== this.numFeatures) {
      const c = this.numFeatures;
      throw new ShapeError(`InstanceNorm2d: expected input [N, ${c}, H, W] or [${c}, H, W], got [${x.shape.join(',')}]`);
    }
    if (x.ndim === 3) return squeeze(this.forward(unsqueeze(x, 0)), 0);
    return instanceNorm(x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || this.runningMean === null,
      momentum: this.momentum,
      eps: this.eps,
    });
  }
}
