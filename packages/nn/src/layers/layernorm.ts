import { ShapeError, type Tensor, ones, zeros, layerNorm } from '@tensorgrad/core';
import { Module } from '../module/module.js';
import type { ParameterOptions } from './options.js';

export interface LayerNormOptions extends Omit<ParameterOptions, 'generator'> {
  eps?: number;
  /** Learnable scale (and shift) over normalizedShape (default true). */
  elementwiseAffine?: boolean;
  bias?: boolean;
}

/** Normalises over the trailing dims given by normalizedShape, per sample. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' }: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.weight = elementwiseAffine ? this.parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? this.parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    const tail = x.shape.slice(x.ndim - this.normalizedShape.length);
    if (x.ndim < this.normalizedShape.length || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError(`LayerNorm: input [${x.shape.join(',')}] must end with the normalized shape [${this.normalizedShape.join(',')}]`);
    }
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}
