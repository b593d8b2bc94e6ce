import { ShapeError, type Tensor, checkNumber, checkOptions, layerNorm, ones, optionKeys, zeros } from '@tensorgrad/core';
import { assertPositiveInt, checkBool, checkFloatDType, checkTensorInput } from '../check.js';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

/** Options of `LayerNorm` (nn.LayerNorm's keyword arguments, PyTorch's defaults). */
export interface LayerNormOptions extends Pick<ParameterOptions, 'dtype'> {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learnable scale (and shift) over normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn a shift too when elementwiseAffine (default true). */
  bias?: boolean;
}

const LAYER_NORM_OPTIONS = optionKeys<LayerNormOptions>()(['eps', 'elementwiseAffine', 'bias', 'dtype']);

/** Normalises over the trailing dims given by normalizedShape, per sample. */
export class LayerNorm extends Module {
  /** The trailing dims normalised over. */
  readonly normalizedShape: readonly number[];
  /** Learnable scale of normalizedShape (initialised to 1), or null. */
  readonly weight: Tensor | null;
  /** Learnable shift of normalizedShape (initialised to 0), or null. */
  readonly bias: Tensor | null;
  /** As given in the options. */
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
