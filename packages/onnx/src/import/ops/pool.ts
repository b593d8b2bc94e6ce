// MaxPool, AveragePool (2-D, and 1-D as 2-D of height 1), GlobalAveragePool, GlobalMaxPool.
// Symmetric pads of at most half the kernel go to core's PyTorch-style pools (ceil_mode and
// count_include_pad included); other pads become an explicit pad: −∞ for max pooling, zeros for
// average pooling, whose divisor without count_include_pad is then the pooled mask of real pixels.
import { type Tensor, avgPool2d, div, globalAvgPool2d, max, maxPool2d, mean, noGrad, ones, pad } from '@tensorgrad/core';
import type { NodeContext, OpHandler } from './types.js';
import { tensorInput } from './util.js';
import { type Window2d, as2d, checkWindow, corePads, from2d, symmetric, windowOf } from './window.js';

/** Whether core's pools take these pads directly (PyTorch: at most half the kernel, same on both sides). */
function corePadding(win: Window2d): boolean {
  return symmetric(win.pads) && win.pads[0] <= Math.floor(win.kernel[0] / 2) && win.pads[1] <= Math.floor(win.kernel[1] / 2);
}

function checkPool(ctx: NodeContext): string | undefined {
  const problem = checkWindow(ctx, undefined);
  if (problem !== undefined) return problem;
  if (ctx.attrs.ints('kernel_shape') === undefined) return 'kernel_shape is required';
  return undefined;
}

const maxPool: OpHandler = {
  check(ctx) {
    if (ctx.used[1] === true) return "the Indices output (argmax positions) is not supported";
    return checkPool(ctx);
  },
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const win = windowOf(ctx, x, ctx.attrs.ints('kernel_shape'));
    const ceilMode = ctx.attrs.int('ceil_mode', 0) !== 0;
    const options = { kernelSize: win.kernel, stride: win.strides, dilation: win.dilations, ceilMode };
    const x2 = as2d(x);
    const y = corePadding(win)
      ? maxPool2d(x2, { ...options, padding: [win.pads[0], win.pads[1]] })
      : maxPool2d(pad(x2, corePads(win.pads), -Infinity), options);
    return [from2d(y, x.ndim)];
  },
};

const averagePool: OpHandler = {
  check(ctx) {
    if ((ctx.attrs.ints('dilations') ?? []).some((d) => d !== 1)) return 'dilations other than 1 are not supported';
    return checkPool(ctx);
  },
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const win = windowOf(ctx, x, ctx.attrs.ints('kernel_shape'));
    const ceilMode = ctx.attrs.int('ceil_mode', 0) !== 0;
    const countIncludePad = ctx.attrs.int('count_include_pad', 0) !== 0;
    const options = { kernelSize: win.kernel, stride: win.strides, ceilMode };
    const x2 = as2d(x);
    if (corePadding(win)) return [from2d(avgPool2d(x2, { ...options, padding: [win.pads[0], win.pads[1]], countIncludePad }), x.ndim)];
    const pads = corePads(win.pads);
    const sums = avgPool2d(pad(x2, pads), { ...options, countIncludePad: true });
    if (countIncludePad) return [from2d(sums, x.ndim)];
    // Divide by the fraction of each window that lies on real pixels (a constant: no gradient).
    const mask = noGrad(() => avgPool2d(pad(ones([1, 1, x2.shape[2]!, x2.shape[3]!], { dtype: x.dtype as 'float32' | 'float64' }), pads), { ...options, countIncludePad: true }));
    return [from2d(div(sums, mask), x.ndim)];
  },
};

/** The spatial dims of x (2 and on), for the global pools. */
function spatialDims(x: Tensor): number[] {
  return x.shape.map((_, i) => i).slice(2);
}

/** The pooling operators, by ONNX name. */
export const poolOps: Record<string, OpHandler> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: {
    run(inputs, ctx) {
      const x = tensorInput(inputs, 0, ctx);
      return [x.ndim === 4 ? globalAvgPool2d(x) : mean(x, spatialDims(x), true)];
    },
  },
  GlobalMaxPool: { run: (inputs, ctx) => { const x = tensorInput(inputs, 0, ctx); return [max(x, spatialDims(x), true)]; } },
};
