import { type Tensor, checkOptions, linear, optionKeys, zeros } from '@tensorgrad/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module/module.js';
import { type ParameterOptions } from './options.js';
import { assertPositiveInt, checkBool, checkFloatDType } from '../check.js';

/** Options of `Linear` (nn.Linear's bias, plus parameter dtype and generator). */
export interface LinearOptions extends ParameterOptions {
  /** Add a learnable bias [outFeatures] (default true). */
  bias?: boolean;
}

const LINEAR_OPTIONS = optionKeys<LinearOptions>()(['bias', 'dtype', 'generator', 'skipInit']);

/** y = x·Wᵀ + b with W [outFeatures, inFeatures]; PyTorch's default init U(±1/√inFeatures). */
export class Linear extends Module {
  /** Weight [outFeatures, inFeatures]. */
  readonly weight: Tensor;
  /** Bias [outFeatures], or null without bias. */
  readonly bias: Tensor | null;

  constructor(
    /** Size of each input's last dim. */
    readonly inFeatures: number,
    /** Size of each output's last dim. */
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkOptions('Linear', options, LINEAR_OPTIONS);
    const { bias = true, dtype = 'float32', generator, skipInit = false } = options;
    assertPositiveInt('Linear', 'inFeatures', inFeatures);
    assertPositiveInt('Linear', 'outFeatures', outFeatures);
    checkBool('Linear', 'bias', bias);
    checkBool('Linear', 'skipInit', skipInit);
    checkFloatDType('Linear', dtype);
    this.weight = this.parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? this.parameter(zeros([outFeatures], { dtype })) : null;
    if (!skipInit) defaultLayerInit(this.weight, this.bias, { generator });
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
