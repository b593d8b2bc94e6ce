// Conv and ConvTranspose (2-D, and 1-D as 2-D of height 1), with groups, dilations, strides,
// explicit or auto pads; asymmetric pads (which core's PyTorch-style ops do not take) become an
// explicit zero pad (Conv) or a crop of the full transposed output (ConvTranspose).
import { type Tensor, add, conv2d, convTranspose2d, pad, reshape } from '@tensorgrad/core';
import { OnnxImportError } from '../errors.js';
import type { Value } from '../values.js';
import type { OpHandler, RunContext } from './types.js';
import { tensorInput } from './util.js';
import { type Window2d, as2d, checkWindow, corePads, from2d, symmetric, windowOf } from './window.js';

function weightOf(inputs: readonly (Value | undefined)[], ctx: RunContext, x: Tensor): Tensor {
  const w = tensorInput(inputs, 1, ctx);
  if (w.ndim !== x.ndim) throw new OnnxImportError(`${ctx.where}: weight [${w.shape.join(',')}] and input [${x.shape.join(',')}] differ in rank`);
  return w;
}

const conv: OpHandler = {
  trainable: [1, 2],
  check: (ctx) => checkWindow(ctx, undefined),
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const w = weightOf(inputs, ctx, x);
    const b = inputs[2] === undefined ? null : tensorInput(inputs, 2, ctx);
    const win = windowOf(ctx, x, ctx.attrs.ints('kernel_shape') ?? w.shape.slice(2));
    const options = { stride: win.strides, dilation: win.dilations, groups: ctx.attrs.int('group', 1) };
    const x2 = as2d(x);
    const w2 = as2d(w);
    const y = symmetric(win.pads)
      ? conv2d(x2, w2, b, { ...options, padding: [win.pads[0], win.pads[1]] })
      : conv2d(pad(x2, corePads(win.pads)), w2, b, options);
    return [from2d(y, x.ndim)];
  },
};

/** ONNX's ConvTranspose pads: from output_shape or auto_pad when given (the spec's split), else `pads`. */
function transposePads(ctx: RunContext, x: Tensor, full: [number, number], outputPadding: [number, number], win: Window2d): number[] {
  const spatial = x.ndim - 2;
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  let target = ctx.attrs.ints('output_shape')?.slice(-spatial);
  if (target === undefined && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) target = x.shape.slice(2).map((n, i) => n * win.strides[i + 2 - spatial]!);
  if (target === undefined) return [...win.pads];
  const t = spatial === 1 ? [full[0] + outputPadding[0], target[0]!] : target;
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const total = full[i]! + outputPadding[i]! - t[i]!;
    const half = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_UPPER' ? half : total - half);
    end.push(autoPad === 'SAME_UPPER' ? total - half : half);
  }
  return [begin[0]!, begin[1]!, end[0]!, end[1]!];
}

const convTranspose: OpHandler = {
  trainable: [1, 2],
  check: (ctx) => checkWindow(ctx, undefined),
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const w = weightOf(inputs, ctx, x);
    const b = inputs[2] === undefined ? null : tensorInput(inputs, 2, ctx);
    const groups = ctx.attrs.int('group', 1);
    const win = windowOf(ctx, x, ctx.attrs.ints('kernel_shape') ?? w.shape.slice(2));
    const op = ctx.attrs.ints('output_padding') ?? new Array<number>(x.ndim - 2).fill(0);
    const outputPadding: [number, number] = x.ndim === 3 ? [0, op[0]!] : [op[0]!, op[1]!];
    const inSize = x.ndim === 3 ? [1, x.shape[2]!] : [x.shape[2]!, x.shape[3]!];
    const full: [number, number] = [0, 1].map((i) => win.strides[i]! * (inSize[i]! - 1) + (win.kernel[i]! - 1) * win.dilations[i]! + 1) as [number, number];
    const pads = transposePads(ctx, x, full, outputPadding, win);
    const x2 = as2d(x);
    const w2 = as2d(w);
    const options = { stride: win.strides, dilation: win.dilations, groups };
    // PyTorch's form (symmetric pads, output padding below stride or dilation) is one op.
    const small = outputPadding.every((p, i) => p < Math.max(win.strides[i]!, win.dilations[i]!));
    if (symmetric(pads) && pads.every((p) => p >= 0) && small) {
      return [from2d(convTranspose2d(x2, w2, b, { ...options, padding: [pads[0]!, pads[1]!], outputPadding }), x.ndim)];
    }
    // Otherwise the full output, cropped by the pads (or zero-extended where a pad is negative or
    // output_padding adds rows), then the bias everywhere, as the spec defines it.
    let y = convTranspose2d(x2, w2, null, options);
    y = pad(y, [-pads[1]!, outputPadding[1] - pads[3]!, -pads[0]!, outputPadding[0] - pads[2]!]);
    if (b !== null) y = add(y, reshape(b, [1, b.shape[0]!, 1, 1]));
    return [from2d(y, x.ndim)];
  },
};

/** The convolution operators, by ONNX name. */
export const convOps: Record<string, OpHandler> = { Conv: conv, ConvTranspose: convTranspose };
