// Window attributes (kernelSize, stride, padding, dilation, ceilMode) parsed into a Window2d
// (backend/window.ts) with PyTorch's rules for output sizes, 'same'/'valid' padding and ceil
// mode; errors name the op and the argument. Convolution and pooling both parse through here.
import { ArgumentError, ShapeError } from '../errors.js';
import type { Window2d } from '../backend/window.js';

export type { Window2d } from '../backend/window.js';

/** One size for both spatial dimensions, or [height, width]. */
export type Pair = number | readonly [number, number];
/**
 * Padding as a size or [h, w] pair, or 'same' (output size = input size; stride 1 only, the odd
 * pixel after, as PyTorch) or 'valid' (no padding).
 */
export type PaddingSpec = Pair | 'same' | 'valid';

export interface WindowAttrs {
  kernelSize: Pair;
  stride?: Pair;
  padding?: PaddingSpec;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** [h, w] from a number or a pair, each a positive (or non-negative) integer. */
export function pair(op: string, name: string, value: Pair, min = 1): [number, number] {
  if (value === undefined || value === null) {
    throw new ArgumentError(`${op}: ${name} is required: an integer >= ${min} or a pair [h, w] of them, got ${value}`);
  }
  const p: [number, number] = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  if ((typeof value !== 'number' && (!Array.isArray(value) || value.length !== 2)) || !p.every((v) => Number.isInteger(v) && v >= min)) {
    throw new ArgumentError(`${op}: ${name} must be an integer >= ${min} or a pair [h, w] of them, got ${JSON.stringify(value)}`);
  }
  return p;
}

/** [top, bottom, left, right] for a padding spec. 'same' needs stride 1 (as in PyTorch). */
export function resolvePadding(op: string, padding: PaddingSpec, k: [number, number], dilation: [number, number], stride: [number, number]): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new ArgumentError(`${op}: padding 'same' requires stride 1, got stride [${stride.join(',')}]`);
    }
    const totalH = dilation[0] * (k[0] - 1);
    const totalW = dilation[1] * (k[1] - 1);
    return [totalH >> 1, totalH - (totalH >> 1), totalW >> 1, totalW - (totalW >> 1)];
  }
  const [ph, pw] = pair(op, 'padding', padding, 0);
  return [ph, ph, pw, pw];
}

/** PyTorch's output length along one axis. */
export function outputLength(
  op: string,
  axis: string,
  input: number,
  k: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  dilation: number,
  ceilMode: boolean,
): number {
  const span = dilation * (k - 1) + 1;
  const padded = input + padBefore + padAfter;
  if (span > padded) {
    throw new ShapeError(
      `${op}: kernel ${axis} extent ${span} (kernel ${k}, dilation ${dilation}) is larger than the padded input ${axis} ${padded} (input ${input} + padding ${padBefore + padAfter})`,
    );
  }
  const steps = (padded - span) / stride;
  let out = (ceilMode ? Math.ceil(steps) : Math.floor(steps)) + 1;
  // In ceil mode the last window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * stride >= input + padBefore) out--;
  return out;
}

/** stride defaults to the kernel size (pooling); conv2d passes its own default of 1. */
export function window2d(op: string, inH: number, inW: number, attrs: WindowAttrs): Window2d {
  const [kH, kW] = pair(op, 'kernelSize', attrs.kernelSize);
  const [strideH, strideW] = pair(op, 'stride', attrs.stride ?? [kH, kW]);
  const [dilationH, dilationW] = pair(op, 'dilation', attrs.dilation ?? 1);
  const [padTop, padBottom, padLeft, padRight] = resolvePadding(op, attrs.padding ?? 0, [kH, kW], [dilationH, dilationW], [strideH, strideW]);
  const ceil = attrs.ceilMode ?? false;
  return {
    inH, inW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padBottom, padLeft, padRight,
    outH: outputLength(op, 'height', inH, kH, strideH, padTop, padBottom, dilationH, ceil),
    outW: outputLength(op, 'width', inW, kW, strideW, padLeft, padRight, dilationW, ceil),
  };
}
