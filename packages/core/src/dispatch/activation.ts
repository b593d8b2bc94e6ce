import * as geluOps from '../ops/activation/gelu.js';
import * as hard from '../ops/activation/hard.js';
import { mish as mishOp } from '../ops/activation/mish.js';
import * as pw from '../ops/activation/piecewise.js';
import { prelu as preluOp } from '../ops/activation/prelu.js';
import * as scaledElu from '../ops/activation/scaled-elu.js';
import * as sm from '../ops/activation/smooth.js';
import * as soft from '../ops/activation/softmax.js';
import { softsign as softsignOp } from '../ops/activation/softsign.js';
import { ArgumentError } from '../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, inPlaceTarget, publicFn } from './typed.js';

type Unary = (x: TensorLike) => Tensor;
const unary = (name: string, f: (x: Tensor) => Tensor): Unary => publicFn<Unary>(name, ['x'], { Tensor: f });

/** max(x, 0) elementwise (F.relu). */
export const relu = unary('relu', pw.relu);
/**
 * relu written over x itself, returning x (torch.relu_, F.relu(x, inplace=True)): no new storage.
 * While recording gradients x must not be a leaf that requires grad, nor share its storage with a
 * view (reshape, detach); an op recorded earlier that saved x for its gradient then fails in
 * backward (x's version went up), as in PyTorch.
 */
export const relu_ = (x: Tensor): Tensor => pw.relu_(inPlaceTarget('relu_', 'x', x));
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
/** Options of `gelu` (F.gelu's). */
export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with the exact normal CDF; 'tanh': 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  approximate?: 'none' | 'tanh';
}
const GELU_OPTIONS = optionKeys<GeluOptions>()(['approximate']);

function geluWith(x: Tensor, options: GeluOptions): Tensor {
  checkOptions('gelu', options, GELU_OPTIONS);
  const { approximate = 'none' } = options;
  if (approximate === 'tanh') return geluOps.geluTanh(x);
  if (approximate !== 'none') throw new ArgumentError(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  return geluOps.gelu(x);
}
/** x · Φ(x), Φ the standard normal CDF (F.gelu; exact by default, `{ approximate: 'tanh' }` for the tanh form). */
export const gelu = publicFn<(x: TensorLike, options?: GeluOptions) => Tensor>('gelu', ['x', 'options'], {
  Tensor: (x: Tensor) => geluOps.gelu(x),
  'Tensor, Object': geluWith,
});
/** min(max(x + 3, 0), 6) / 6 elementwise (F.hardsigmoid). */
export const hardsigmoid = unary('hardsigmoid', hard.hardsigmoid);
/** x · min(max(x + 3, 0), 6) / 6 elementwise (F.hardswish). */
export const hardswish = unary('hardswish', hard.hardswish);
/** scale · x where x > 0, else scale · α · (eˣ − 1), with PyTorch's α ≈ 1.6733 and scale ≈ 1.0507 (F.selu). */
export const selu = unary('selu', scaledElu.selu);
/** x · tanh(log(1 + eˣ)) elementwise (F.mish). */
export const mish = unary('mish', mishOp);
/** x / (|x| + 1) elementwise (F.softsign; NaN at ±Infinity, as PyTorch's). */
export const softsign = unary('softsign', softsignOp);
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

/** min(max(x, minVal), maxVal) elementwise (F.hardtanh; minVal default −1, maxVal default 1; maxVal wherever minVal > maxVal). */
export const hardtanh = publicFn<(x: TensorLike, minVal?: number, maxVal?: number) => Tensor>('hardtanh', ['x', 'minVal', 'maxVal'], {
  Tensor: (x: Tensor) => hard.hardtanh(x),
  'Tensor, number': (x: Tensor, minVal: number) => (checkNumber('hardtanh', 'minVal', minVal), hard.hardtanh(x, minVal)),
  'Tensor, number, number': (x: Tensor, minVal: number, maxVal: number) => (
    checkNumber('hardtanh', 'minVal', minVal), checkNumber('hardtanh', 'maxVal', maxVal), hard.hardtanh(x, minVal, maxVal)
  ),
});
/** x where x > 0, else alpha · (e^(x/alpha) − 1) (F.celu; alpha default 1, non-zero). */
export const celu = publicFn<(x: TensorLike, alpha?: number) => Tensor>('celu', ['x', 'alpha'], {
  Tensor: (x: Tensor) => scaledElu.celu(x),
  'Tensor, number': (x: Tensor, alpha: number) => {
    checkNumber('celu', 'alpha', alpha);
    if (alpha === 0) throw new ArgumentError('celu: alpha must be non-zero (celu divides by it), got 0');
    return scaledElu.celu(x, alpha);
  },
});
/**
 * x where x > 0, else weight · x (F.prelu): weight holds one value, or one per channel (dim 1 of
 * x), and gets a gradient like x.
 */
export const prelu = publicFn<(x: TensorLike, weight: TensorLike) => Tensor>('prelu', ['x', 'weight'], { 'Tensor, Tensor': preluOp });

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
