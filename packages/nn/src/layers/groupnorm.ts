import { ArgumentError, ShapeError, type Tensor, checkNumber, checkOptions, groupNorm, ones, optionKeys, zeros } from '@tensorgrad/core';
import { assertPositiveInt, checkBool, checkFloatDType, checkTensorInput } from '../check.js';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

/** Options of GroupNorm (torch.nn.GroupNorm's). */
export interface GroupNormOptions extends Pick<ParameterOptions, 'dtype'> {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learnable per-channel scale and shift, initialised to 1 and 0 (default true). */
  affine?: boolean;
}

const GROUP_NORM_OPTIONS = optionKeys<GroupNormOptions>()(['eps', 'affine', 'dtype']);

/**
 * Group normalisation (torch.nn.GroupNorm): the channels of x [N, C, ...] in numGroups groups,
 * each (sample, group) normalised over its channels and positions, in training and eval alike.
 */
export class GroupNorm extends Module {
  /** Learnable per-channel scale [numChannels] (initialised to 1), or null without affine. */
  readonly weight: Tensor | null;
  /** Learnable per-channel shift [numChannels] (initialised to 0), or null without affine. */
  readonly bias: Tensor | null;
  /** As given in the options. */
  readonly eps: number;

  constructor(
    /** Number of groups the channels are split into (divides numChannels). */
    readonly numGroups: number,
    /** Channels of the input (dim 1). */
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    checkOptions('GroupNorm', options, GROUP_NORM_OPTIONS);
    const { eps = 1e-5, affine = true, dtype = 'float32' } = options;
    assertPositiveInt('GroupNorm', 'numGroups', numGroups);
    assertPositiveInt('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) {
      throw new ArgumentError(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    checkNumber('GroupNorm', 'eps', eps, { min: 0, minExclusive: true });
    checkBool('GroupNorm', 'affine', affine);
    checkFloatDType('GroupNorm', dtype);
    this.eps = eps;
    this.weight = affine ? this.parameter(ones([numChannels], { dtype })) : null;
    this.bias = affine ? this.parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensorInput('GroupNorm', x);
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm: expected input [N, ${this.numChannels}, ...], got [${x.shape.join(',')}]`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, { eps: this.eps });
  }
}
