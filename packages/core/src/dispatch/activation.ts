import * as geluOps from '../ops/activation/gelu.js';
import * as pw from '../ops/activation/piecewise.js';
import * as sm from '../ops/activation/smooth.js';
import * as soft from '../ops/activation/softmax.js';
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

export const leakyRelu = publicFn<(x: TensorLike, negativeSlope?: number) => Tensor>('leakyRelu', ['x', 'negativeSlope'], {
  Tensor: (x: Tensor) => pw.leakyRelu(x),
  'Tensor, number': pw.leakyRelu,
});
export const elu = publicFn<(x: TensorLike, alpha?: number) => Tensor>('elu', ['x', 'alpha'], {
  Tensor: (x: Tensor) => pw.elu(x),
  'Tensor, number': pw.elu,
});
export const softplus = publicFn<(x: TensorLike, beta?: number, threshold?: number) => Tensor>('softplus', ['x', 'beta', 'threshold'], {
  Tensor: (x: Tensor) => sm.softplus(x),
  'Tensor, number': (x: Tensor, beta: number) => sm.softplus(x, beta),
  'Tensor, number, number': sm.softplus,
});
export const softmax = publicFn<(x: TensorLike, dim: number) => Tensor>('softmax', ['x', 'dim'], { 'Tensor, number': soft.softmax });
export const logSoftmax = publicFn<(x: TensorLike, dim: number) => Tensor>('logSoftmax', ['x', 'dim'], { 'Tensor, number': soft.logSoftmax });
