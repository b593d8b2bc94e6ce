// Window geometry shared by Conv, ConvTranspose, MaxPool and AveragePool: kernel, strides,
// dilations and the begin/end pads of each spatial axis, from the attributes (explicit `pads` or
// `auto_pad`). 1-D windows (an [N, C, L] input) run as 2-D ones of height 1.
import { type Tensor, reshape } from '@tensorgrad/core';
import { OnnxImportError } from '../errors.js';
import type { NodeContext } from './types.js';

/** A 2-D window: [h, w] pairs, and pads as [top, left, bottom, right] (ONNX's order). */
export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX order: [h_begin, w_begin, h_end, w_end]. */
  pads: [number, number, number, number];
}

/** Problems with a window's attributes for an input of `spatial` dims (1 or 2 supported). */
export function checkWindow(ctx: NodeContext, spatial: number | undefined): string | undefined {
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) return `auto_pad '${autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`;
  if (spatial !== undefined && spatial !== 1 && spatial !== 2) return `${spatial}-D windows are not supported (1-D and 2-D are)`;
  return undefined;
}

function pairOf(values: number[] | undefined, fallback: number, ctx: NodeContext, name: string, spatial: number): [number, number] {
  const v = values ?? new Array<number>(spatial).fill(fallback);
  if (v.length !== spatial) throw new OnnxImportError(`${ctx.where}: ${name} has ${v.length} entries for ${spatial} spatial dims`);
  return spatial === 1 ? [1, v[0]!] : [v[0]!, v[1]!];
}

/**
 * The window of a node on input x (3-D or 4-D), `kernelShape` from kernel_shape or the weight;
 * auto_pad SAME_* pads so that the output size is ceil(input / stride), the odd pixel at the end
 * (UPPER) or the beginning (LOWER).
 */
export function windowOf(ctx: NodeContext, x: Tensor, kernelShape: number[] | undefined): Window2d {
  const spatial = x.ndim - 2;
  if (spatial !== 1 && spatial !== 2) throw new OnnxImportError(`${ctx.where}: input must be 3-D or 4-D (1-D or 2-D windows), got [${x.shape.join(',')}]`);
  const kernel = pairOf(kernelShape, 1, ctx, 'kernel_shape', spatial);
  const strides = pairOf(ctx.attrs.ints('strides'), 1, ctx, 'strides', spatial);
  const dilations = pairOf(ctx.attrs.ints('dilations'), 1, ctx, 'dilations', spatial);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const inSize: [number, number] = spatial === 1 ? [1, x.shape[2]!] : [x.shape[2]!, x.shape[3]!];
  let pads: [number, number, number, number];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const begin: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < 2; i++) {
      const out = Math.ceil(inSize[i]! / strides[i]!);
      const total = Math.max(0, (out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - inSize[i]!);
      const small = Math.floor(total / 2);
      begin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      end.push(autoPad === 'SAME_UPPER' ? total - small : small);
    }
    pads = [begin[0]!, begin[1]!, end[0]!, end[1]!];
  } else if (autoPad === 'VALID') {
    pads = [0, 0, 0, 0];
  } else {
    const p = ctx.attrs.ints('pads') ?? new Array<number>(2 * spatial).fill(0);
    if (p.length !== 2 * spatial) throw new OnnxImportError(`${ctx.where}: pads has ${p.length} entries for ${spatial} spatial dims`);
    pads = spatial === 1 ? [0, p[0]!, 0, p[1]!] : [p[0]!, p[1]!, p[2]!, p[3]!];
  }
  return { kernel, strides, dilations, pads };
}

/** x as a 4-D tensor (an [N, C, L] input gets a height of 1). */
export function as2d(x: Tensor): Tensor {
  return x.ndim === 3 ? reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]) : x;
}

/** y back to the input's rank (drops the height of 1 added by as2d). */
export function from2d(y: Tensor, inputRank: number): Tensor {
  return inputRank === 3 ? reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]) : y;
}

/** Whether the pads are the same before and after on both axes (PyTorch-style symmetric padding). */
export function symmetric(pads: readonly number[]): boolean {
  return pads[0] === pads[2] && pads[1] === pads[3];
}

/** core pad's [left, right, top, bottom] from ONNX's [top, left, bottom, right]. */
export function corePads(pads: readonly number[]): number[] {
  return [pads[1]!, pads[3]!, pads[0]!, pads[2]!];
}
