import { ShapeError, type Tensor, checkNumber, checkOptions, layerNorm, ones, optionKeys, zeros } from '@tensorgrad/core';
import { assertPositiveInt, checkBool, checkFloatDType, checkTensorInput } from '../check.js';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

export interface LayerNormOptions extends Pick<ParameterOptions, 'dtype'> {
  eps?: number;
  /** Learnable scale (and shift) over normalizedShape (default true). */
  elementwiseAffine?: boolean;
  bias?: boolean;
}

const LAYER_NORM_OPTIONS = optionKeys<LayerNormOptions>()(['eps', 'elementwiseAffine', 'bias', 'dtype']);

/** Normalises over the trailing dims given by normalizedShape, per sample. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', options, LAYER_NORM_OPTIONS);
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = options;
    this.normalizedShape = Array.isArray(normalizedShape) ? [...normalizedShape] : [normalizedShape as number];
    this.normalizedShape.forEach((d, i) => assertPositiveInt('LayerNorm', `normalizedShape[${i}]`, d));
    checkNumber('LayerNorm', 'eps', eps, { min: 0, minExclusive: true });
    checkBool('LayerNorm', 'elementwiseAffine', elementwiseAffine);
    checkBool('LayerNorm', 'bias', bias);
    checkFloatDType('LayerNorm', dtype);
    this.eps = eps;
    this.weight = elementwiseAffine ? this.parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? this.parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    checkTensorInput('LayerNorm', x);
    const tail = x.shape.slice(x.ndim - this.normalizedShape.length);
    if (x.ndim < this.normalizedShape.length || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(`LayerNorm: input [${x.shape.join(',')}] must end with the normalized shape [${this.normalizedShape.join(',')}]`);
    }
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
