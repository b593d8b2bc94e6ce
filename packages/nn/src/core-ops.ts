// The core ops nn's layers call, with the signatures documented in DESIGN.md. Looked up in
// @tensorgrad/core when called, so this package loads (and its ops-free parts work) against a
// core that has not shipped every op yet; a missing op fails loudly, naming itself.
import * as core from '@tensorgrad/core';
import { ArgumentError, type Generator, type Tensor } from '@tensorgrad/core';

export type Pair = number | readonly [number, number];
export type Padding = Pair | 'same' | 'valid';

export interface ConvOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
}
export interface ConvTransposeOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}
export interface MaxPoolOptions {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}
export interface AvgPoolOptions {
  kernelSize: Pair;
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}
export interface BatchNormOptions {
  training: boolean;
  momentum?: number;
  eps?: number;
}
export interface Reduction {
  reduction?: 'mean' | 'sum' | 'none';
}
export interface CrossEntropyOptions extends Reduction {
  labelSmoothing?: number;
  ignoreIndex?: number;
}

function op<F extends (...args: any[]) => Tensor>(name: string): F {
  const call = (...args: unknown[]): Tensor => {
    const f = (core as unknown as Record<string, unknown>)[name];
    if (typeof f !== 'function') throw new ArgumentError(`@tensorgrad/nn: the core op '${name}' is not available in this @tensorgrad/core`);
    return f(...args) as Tensor;
  };
  return call as F;
}

type Unary = (x: Tensor) => Tensor;

export const conv2d = op<(x: Tensor, w: Tensor, b?: Tensor | null, options?: ConvOptions) => Tensor>('conv2d');
export const convTranspose2d = op<(x: Tensor, w: Tensor, b?: Tensor | null, options?: ConvTransposeOptions) => Tensor>('convTranspose2d');
export const maxPool2d = op<(x: Tensor, options: MaxPoolOptions) => Tensor>('maxPool2d');
export const avgPool2d = op<(x: Tensor, options: AvgPoolOptions) => Tensor>('avgPool2d');
export const adaptiveAvgPool2d = op<(x: Tensor, outputSize: Pair) => Tensor>('adaptiveAvgPool2d');
export const batchNorm = op<
  (x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, options: BatchNormOptions) => Tensor
>('batchNorm');
export const layerNorm = op<(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null, bias: Tensor | null, options: { eps?: number }) => Tensor>('layerNorm');
export const localResponseNorm = op<(x: Tensor, size: number, options: { alpha?: number; beta?: number; k?: number }) => Tensor>('localResponseNorm');
export const dropout = op<(x: Tensor, p: number, options: { training: boolean; generator?: Generator }) => Tensor>('dropout');
export const relu = op<Unary>('relu');
export const relu6 = op<Unary>('relu6');
export const leakyRelu = op<(x: Tensor, negativeSlope?: number) => Tensor>('leakyRelu');
export const elu = op<(x: Tensor, alpha?: number) => Tensor>('elu');
export const gelu = op<Unary>('gelu');
export const silu = op<Unary>('silu');
export const sigmoid = op<Unary>('sigmoid');
export const tanh = op<Unary>('tanh');
export const softplus = op<Unary>('softplus');
export const softmax = op<(x: Tensor, dim: number) => Tensor>('softmax');
export const logSoftmax = op<(x: Tensor, dim: number) => Tensor>('logSoftmax');
export const crossEntropy = op<(logits: Tensor, target: Tensor, options?: CrossEntropyOptions) => Tensor>('crossEntropy');
export const mseLoss = op<(input: Tensor, target: Tensor, options?: Reduction) => Tensor>('mseLoss');
export const concat = op<(xs: readonly Tensor[], dim: number) => Tensor>('concat');
