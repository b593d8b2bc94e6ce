import { type Tensor, linear, zeros } from '@tensorgrad/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module/module.js';
import { type ParameterOptions, assertPositiveInt } from './options.js';

export interface LinearOptions extends ParameterOptions {
  bias?: boolean;
}

/** y = x·Wᵀ + b with W [outFeatures, inFeatures]; PyTorch's default init U(±1/√inFeatures). */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true, dtype = 'float32', generator, skipInit = false }: LinearOptions = {},
  ) {
    super();
    assertPositiveInt('Linear', 'inFeatures', inFeatures);
    assertPositiveInt('Linear', 'outFeatures', outFeatures);
    this.weight = this.parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? this.parameter(zeros([outFeatures], { dtype })) : null;
    if (!skipInit) defaultLayerInit(this.weight, this.bias, { generator });
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
