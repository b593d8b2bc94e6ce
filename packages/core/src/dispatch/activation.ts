import * as geluOps from '../ops/activation/gelu.js';
import * as pw from '../ops/activation/piecewise.js';
import * as sm from '../ops/activation/smooth.js';
import * as soft from '../ops/activation/softmax.js';
import { ArgumentError } from '../errors.js';
import { checkNumber } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

type Unary = (x: TensorLike) => Tensor;
const unary = (name: string, f: (x: Tensor) => Tensor): Unary => publicFn<Unary>(name, ['x'], { Tensor: f });

export const relu = unary('relu', pw.relu);
export const relu6 = unary('relu6', pw.relu6);
export const sigmoid = unary('sigmoid', sm.sigmoid);
export const tanh = unary('tanh', sm.tanh);
export const silu = unary('silu', sm.silu);
export const logSigmoid = unary('logSigmoid', sm.logSigmoid);
export const gelu = unary('gelu', geluOps.gelu);
export const erf = unary('erf', geluOps.erf);

// Hyperparameters must be finite (PyTorch would take a NaN slope and turn every negative input
// into NaN; here that is a mistake reported at the call, not a NaN found later).
export const leakyRelu = publicFn<(x: TensorLike, negativeSlope?: number) => Tensor>('leakyRelu', ['x', 'negativeSlope'], {
  Tensor: (x: Tensor) => pw.leakyRelu(x),
  'Tensor, number': (x: Tensor, s: number) => (checkNumber('leakyRelu', 'negativeSlope', s), pw.leakyRelu(x, s)),
});
export const elu = publicFn<(x: TensorLike, alpha?: number) => Tensor>('elu', ['x', 'alpha'], {
  Tensor: (x: Tensor) => pw.elu(x),
  'Tensor, number': (x: Tensor, alpha: number) => (checkNumber('elu', 'alpha', alpha), pw.elu(x, alpha)),
});

function checkSoftplus(beta: number, threshold?: number): void {
  checkNumber('softplus', 'beta', beta);
  if (beta === 0) throw new ArgumentError('softplus: beta must be non-zero (softplus divides by it), got 0');
  if (threshold !== undefined) checkNumber('softplus', 'threshold', threshold);
}
export const softplus = publicFn<(x: TensorLike, beta?: number, threshold?: number) => Tensor>('softplus', ['x', 'beta', 'threshold'], {
  Tensor: (x: Tensor) => sm.softplus(x),
  'Tensor, number': (x: Tensor, beta: number) => (checkSoftplus(beta), sm.softplus(x, beta)),
  'Tensor, number, number': (x: Tensor, beta: number, threshold: number) => (checkSoftplus(beta, threshold), sm.softplus(x, beta, threshold)),
});
export const softmax = publicFn<(x: TensorLike, dim: number) => Tensor>('softmax', ['x', 'dim'], { 'Tensor, number': soft.softmax });
export const logSoftmax = publicFn<(x: TensorLike, dim: number) => Tensor>('logSoftmax', ['x', 'dim'], { 'Tensor, number': soft.logSoftmax });
