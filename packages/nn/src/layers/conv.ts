import { ArgumentError, type PaddingMode, ShapeError, type Tensor, checkChoice, checkOptions, conv2d, convTranspose2d, optionKeys, zeros } from '@tensorgrad/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module/module.js';
import { type Padding, type Pair, type ParameterOptions } from './options.js';
import { assertPositiveInt, checkBool, checkFloatDType, checkPadding, checkPair, checkTensorInput } from '../check.js';

/** Options of `Conv2d` (nn.Conv2d's keyword arguments, PyTorch's defaults) and of its parameters. */
export interface Conv2dOptions extends ParameterOptions {
  /** Step between windows, one number or [h, w] (default 1). */
  stride?: Pair;
  /** Zero padding on each side, one number or [h, w], or 'same' / 'valid' (default 0). */
  padding?: Padding;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Independent channel groups; both channel counts must divide by it (default 1). */
  groups?: number;
  /** Add a learnable bias per output channel (default true). */
  bias?: boolean;
  /**
   * nn.Conv2d's padding_mode: what the padding holds, 'zeros' (default), 'reflect', 'replicate'
   * or 'circular' (the input padded in that mode, then convolved unpadded; see core's pad).
   */
  paddingMode?: PaddingMode;
}

const CONV2D_OPTIONS = optionKeys<Conv2dOptions>()(['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'dtype', 'generator', 'skipInit']);
const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

export function kernelPair(k: Pair): [number, number] {
  return typeof k === 'number' ? [k, k] : [k[0], k[1]];
}

/** The arguments both convolution layers share, checked when the layer is built. */
function checkConvArguments(
  where: string, inChannels: number, outChannels: number, kernelSize: unknown,
  o: { stride: unknown; dilation: unknown; groups: number; bias: unknown; dtype: unknown; skipInit: unknown },
): void {
  checkPair(where, 'kernelSize', kernelSize, 1);
  checkPair(where, 'stride', o.stride, 1);
  checkPair(where, 'dilation', o.dilation, 1);
  checkBool(where, 'bias', o.bias);
  checkBool(where, 'skipInit', o.skipInit);
  checkFloatDType(where, o.dtype);
  checkGroups(where, inChannels, outChannels, o.groups);
}

function checkGroups(where: string, inChannels: number, outChannels: number, groups: number): void {
  assertPositiveInt(where, 'inChannels', inChannels);
  assertPositiveInt(where, 'outChannels', outChannels);
  assertPositiveInt(where, 'groups', groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(`${where}: inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups})`);
  }
}

function checkInput(where: string, x: Tensor, channels: number): void {
  checkTensorInput(where, x);
  if (x.ndim !== 4 || x.shape[1] !== channels) {
    throw new ShapeError(`${where}: expected input [N, ${channels}, H, W], got [${x.shape.join(',')}]`);
  }
}

/** 2-D convolution, weight [out, in/groups, kH, kW]; PyTorch's default init U(±1/√fan_in). */
export class Conv2d extends Module {
  /** Filters [outChannels, inChannels/groups, kH, kW]. */
  readonly weight: Tensor;
  /** Bias [outChannels], or null without bias. */
  readonly bias: Tensor | null;
  /** As given in the options. */
  readonly stride: Pair;
  /** As given in the options. */
  readonly padding: Padding;
  /** As given in the options. */
  readonly dilation: Pair;
  /** As given in the options. */
  readonly groups: number;
  /** As given in the options (default 'zeros'). */
  readonly paddingMode: PaddingMode;

  constructor(
    /** Channels of the input. */
    readonly inChannels: number,
    /** Channels of the output (number of filters). */
    readonly outChannels: number,
    /** Filter size, one number or [kH, kW]. */
    readonly kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    checkOptions('Conv2d', options, CONV2D_OPTIONS);
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', dtype = 'float32', generator, skipInit = false } = options;
    checkConvArguments('Conv2d', inChannels, outChannels, kernelSize, { stride, dilation, groups, bias, dtype, skipInit });
    checkPadding('Conv2d', padding);
    checkChoice('Conv2d', 'paddingMode', paddingMode, PADDING_MODES);
    this.paddingMode = paddingMode;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.groups = groups;
    this.weight = this.parameter(zeros([outChannels, inChannels / groups, ...kernelPair(kernelSize)], { dtype }));
    this.bias = bias ? this.parameter(zeros([outChannels], { dtype })) : null;
    if (!skipInit) defaultLayerInit(this.weight, this.bias, { generator });
  }

  forward(x: Tensor): Tensor {
    checkInput('Conv2d', x, this.inChannels);
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, paddingMode: this.paddingMode,
    });
  }
}

/** Options of `ConvTranspose2d` (nn.ConvTranspose2d's keyword arguments, PyTorch's defaults). */
export interface ConvTranspose2dOptions extends ParameterOptions {
  /** Stride of the convolution this transposes: the output grows by it (default 1). */
  stride?: Pair;
  /** Padding of the convolution this transposes: trims the output on each side (default 0). */
  padding?: Pair;
  /**
   * Extra rows/columns on one side of the output, to reach a size a strided convolution would map
   * down (default 0).
   */
  outputPadding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Independent channel groups (default 1). */
  groups?: number;
  /** Add a learnable bias per output channel (default true). */
  bias?: boolean;
}

const CONV_TRANSPOSE2D_OPTIONS = optionKeys<ConvTranspose2dOptions>()(['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'dtype', 'generator', 'skipInit']);

/**
 * Transposed convolution (the adjoint of Conv2d), weight [in, out/groups, kH, kW]. PyTorch's
 * default init reads fan_in from dim 1, i.e. out/groups·kH·kW.
 */
export class ConvTranspose2d extends Module {
  /** Filters [inChannels, outChannels/groups, kH, kW]. */
  readonly weight: Tensor;
  /** Bias [outChannels], or null without bias. */
  readonly bias: Tensor | null;
  /** As given in the options. */
  readonly stride: Pair;
  /** As given in the options. */
  readonly padding: Pair;
  /** As given in the options. */
  readonly outputPadding: Pair;
  /** As given in the options. */
  readonly dilation: Pair;
  /** As given in the options. */
  readonly groups: number;

  constructor(
    /** Channels of the input. */
    readonly inChannels: number,
    /** Channels of the output. */
    readonly outChannels: number,
    /** Filter size, one number or [kH, kW]. */
    readonly kernelSize: Pair,
    options: ConvTranspose2dOptions = {},
  ) {
    super();
    checkOptions('ConvTranspose2d', options, CONV_TRANSPOSE2D_OPTIONS);
    const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1, bias = true, dtype = 'float32', generator, skipInit = false } = options;
    checkConvArguments('ConvTranspose2d', inChannels, outChannels, kernelSize, { stride, dilation, groups, bias, dtype, skipInit });
    checkPair('ConvTranspose2d', 'padding', padding, 0);
    checkPair('ConvTranspose2d', 'outputPadding', outputPadding, 0);
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    this.dilation = dilation;
    this.groups = groups;
    this.weight = this.parameter(zeros([inChannels, outChannels / groups, ...kernelPair(kernelSize)], { dtype }));
    this.bias = bias ? this.parameter(zeros([outChannels], { dtype })) : null;
    if (!skipInit) defaultLayerInit(this.weight, this.bias, { generator });
  }

  forward(x: Tensor): Tensor {
    checkInput('ConvTranspose2d', x, this.inChannels);
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}
