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

/** max(x, 0) elementwise (F.relu). */
export const relu = unary('relu', pw.relu);
/** min(max(x, 0), 6) elementwise (F.relu6). */
export const relu6 = unary('relu6', pw.relu6);
/** 1 / (1 + e^−x) elementwise (torch.sigmoid). */
export const sigmoid = unary('sigmoid', sm.sigmoid);
/** Hyperbolic tangent elementwise (torch.tanh). */
export const tanh = unary('tanh', sm.tanh);
/** x · sigmoid(x) elementwise (F.silu, a.k.a. swish). */
export const silu = unary('silu', sm.silu);
/** log(sigmoid(x)) elementwise, computed stably for large |x| (F.logsigmoid). */
export const logSigmoid = unary('logSigmoid', sm.logSigmoid);
/** x · Φ(x), Φ the standard normal CDF (F.gelu, exact form). */
export const gelu = unary('gelu', geluOps.gelu);
/** The error function elementwise (torch.erf). */
export const erf = unary('erf', geluOps.erf);

// Hyperparameters must be finite (PyTorch would take a NaN slope and turn every negative input
// into NaN; here that is a mistake reported at the call, not a NaN found later).
/** x where x > 0, else negativeSlope · x (F.leaky_relu; negativeSlope default 0.01). */
export const leakyRelu = publicFn<(x: TensorLike, negativeSlope?: number) => Tensor>('leakyRelu', ['x', 'negativeSlope'], {
  Tensor: (x: Tensor) => pw.leakyRelu(x),
  'Tensor, number': (x: Tensor, s: number) => (checkNumber('leakyRelu', 'negativeSlope', s), pw.leakyRelu(x, s)),
});
/** x where x > 0, else alpha · (eˣ − 1) (F.elu; alpha default 1). */
export const elu = publicFn<(x: TensorLike, alpha?: number) => Tensor>('elu', ['x', 'alpha'], {
  Tensor: (x: Tensor) => pw.elu(x),
  'Tensor, number': (x: Tensor, alpha: number) => (checkNumber('elu', 'alpha', alpha), pw.elu(x, alpha)),
});

function checkSoftplus(beta: number, threshold?: number): void {
  checkNumber('softplus', 'beta', beta);
  if (beta === 0) throw new ArgumentError('softplus: beta must be non-zero (softplus divides by it), got 0');
  if (threshold !== undefined) checkNumber('softplus', 'threshold', threshold);
}
/**
 * log(1 + e^(beta·x)) / beta, and x itself where beta·x > threshold (F.softplus; beta default 1,
 * threshold 20).
 */
export const softplus = publicFn<(x: TensorLike, beta?: number, threshold?: number) => Tensor>('softplus', ['x', 'beta', 'threshold'], {
  Tensor: (x: Tensor) => sm.softplus(x),
  'Tensor, number': (x: Tensor, beta: number) => (checkSoftplus(beta), sm.softplus(x, beta)),
  'Tensor, number, number': (x: Tensor, beta: number, threshold: number) => (checkSoftplus(beta, threshold), sm.softplus(x, beta, threshold)),
});
/** exp(x) normalised to sum 1 along `dim` (F.softmax), computed stably. */
export const softmax = publicFn<(x: TensorLike, dim: number) => Tensor>('softmax', ['x', 'dim'], { 'Tensor, number': soft.softmax });
/** log(softmax(x, dim)), computed stably (F.log_softmax). */
export const logSoftmax = publicFn<(x: TensorLike, dim: number) => Tensor>('logSoftmax', ['x', 'dim'], { 'Tensor, number': soft.logSoftmax });
