// Relu, LeakyRelu, Sigmoid, Tanh, Clip (attributes before opset 11, inputs from 11), Softmax and
// LogSoftmax (before opset 13 over the flattened dims from `axis` on, default axis 1; from 13 along
// one axis, default -1).
import { type Tensor, clamp, leakyRelu, logSoftmax, relu, reshape, sigmoid, softmax, tanh } from '@tensorgrad/core';
import type { OpHandler, RunContext } from './types.js';
import { axis, product, scalarInput, tensorInput } from './util.js';

function unary(f: (x: Tensor) => Tensor): OpHandler {
  return { run: (inputs, ctx) => [f(tensorInput(inputs, 0, ctx))] };
}

const clip: OpHandler = {
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const [lo, hi] =
      ctx.opset < 11
        ? [ctx.attrs.float('min'), ctx.attrs.float('max')]
        : [scalarInput(inputs, 1, ctx, 'min'), scalarInput(inputs, 2, ctx, 'max')];
    if (lo === undefined && hi === undefined) return [x];
    return [clamp(x, lo ?? null, hi ?? null)];
  },
};

function softmaxLike(f: (x: Tensor, dim: number) => Tensor): OpHandler {
  return {
    run(inputs, ctx: RunContext) {
      const x = tensorInput(inputs, 0, ctx);
      if (ctx.opset >= 13) return [f(x, axis(ctx.attrs.int('axis', -1), x.ndim, ctx))];
      // Opsets 1-12: the input is coerced to 2-D [d0·…·d(axis-1), d(axis)·…] and normalised per row.
      const a = axis(ctx.attrs.int('axis', 1), x.ndim, ctx);
      if (a === x.ndim - 1) return [f(x, a)];
      const rows = reshape(x, [product(x.shape.slice(0, a)), product(x.shape.slice(a))]);
      return [reshape(f(rows, 1), [...x.shape])];
    },
  };
}

/** The activation operators, by ONNX name. */
export const activationOps: Record<string, OpHandler> = {
  Relu: unary(relu),
  LeakyRelu: { run: (inputs, ctx) => [leakyRelu(tensorInput(inputs, 0, ctx), ctx.attrs.float('alpha', 0.01))] },
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  Clip: clip,
  Softmax: softmaxLike(softmax),
  LogSoftmax: softmaxLike(logSoftmax),
};
