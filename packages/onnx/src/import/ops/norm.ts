// BatchNormalization, LRN and Dropout. The module's train()/eval() decides how BatchNormalization
// and Dropout run, as in PyTorch, whatever mode the graph was exported in (its training_mode
// inputs and attributes, or BatchNormalization's extra outputs before opset 14): training uses
// batch statistics and updates the running ones in place (ONNX's momentum m is PyTorch's 1 − m),
// and drops activations with the node's ratio.
import { type Tensor, add, avgPool2d, batchNorm, div, dropout, localResponseNorm, mul, pad, pow, reshape } from '@tensorgrad/core';
import { OnnxImportError } from '../errors.js';
import type { OpHandler, RunContext } from './types.js';
import { scalarInput, tensorInput } from './util.js';

const batchNormalization: OpHandler = {
  trainable: [1, 2],
  check(ctx) {
    if (ctx.opset < 9 && ctx.attrs.int('spatial', 1) !== 1) return 'spatial = 0 (per-activation statistics) is not supported';
    if (ctx.used.slice(3).some((u) => u)) return 'the saved mean and variance outputs are not supported';
    return undefined;
  },
  run(inputs, ctx: RunContext) {
    const x = tensorInput(inputs, 0, ctx);
    const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => tensorInput(inputs, i, ctx)) as [Tensor, Tensor, Tensor, Tensor];
    const momentum = 1 - ctx.attrs.float('momentum', 0.9);
    const y = batchNorm(x, mean, variance, scale, bias, { training: ctx.training, momentum, eps: ctx.attrs.float('epsilon', 1e-5) });
    return [y, mean, variance];
  },
};

/** ONNX LRN with an even size: the window is ⌊(size−1)/2⌋ channels before and ⌈(size−1)/2⌉ after (PyTorch's is the other way round). */
function evenLrn(x: Tensor, size: number, alpha: number, beta: number, bias: number): Tensor {
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const inner = x.size / (n * c);
  const squares = reshape(mul(x, x), [n, 1, c, inner]);
  const before = Math.floor((size - 1) / 2);
  const windowMean = avgPool2d(pad(squares, [0, 0, before, size - 1 - before]), { kernelSize: [size, 1], stride: 1 });
  const denominator = pow(add(mul(reshape(windowMean, [...x.shape]), alpha), bias), beta);
  return div(x, denominator);
}

const lrn: OpHandler = {
  check: (ctx) => (ctx.attrs.int('size') === undefined ? 'size is required' : undefined),
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const size = ctx.attrs.int('size')!;
    const alpha = ctx.attrs.float('alpha', 1e-4);
    const beta = ctx.attrs.float('beta', 0.75);
    const bias = ctx.attrs.float('bias', 1);
    if (x.ndim < 3) throw new OnnxImportError(`${ctx.where}: input must be at least 3-D [N, C, ...], got [${x.shape.join(',')}]`);
    return [size % 2 === 1 ? localResponseNorm(x, size, { alpha, beta, k: bias }) : evenLrn(x, size, alpha, beta, bias)];
  },
};

const dropoutOp: OpHandler = {
  check: (ctx) => (ctx.used[1] === true ? 'the mask output is not supported' : undefined),
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const ratio = ctx.opset < 12 ? ctx.attrs.float('ratio', 0.5) : (scalarInput(inputs, 1, ctx, 'ratio') ?? 0.5);
    return [ctx.training && ratio > 0 ? dropout(x, ratio, { training: true }) : x];
  },
};

/** The normalisation operators, by ONNX name. */
export const normOps: Record<string, OpHandler> = { BatchNormalization: batchNormalization, LRN: lrn, Dropout: dropoutOp };
