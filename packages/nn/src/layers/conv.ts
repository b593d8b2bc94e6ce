import { ArgumentError, ShapeError, type Tensor, checkOptions, conv2d, convTranspose2d, optionKeys, zeros } from '@tensorgrad/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module/module.js';
import { type Padding, type Pair, type ParameterOptions } from './options.js';
import { assertPositiveInt, checkBool, checkFloatDType, checkPadding, checkPair, checkTensorInput } from '../check.js';

export interface Conv2dOptions extends ParameterOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

const CONV2D_OPTIONS = optionKeys<Conv2dOptions>()(['stride', 'padding', 'dilation', 'groups', 'bias', 'dtype', 'generator', 'skipInit']);

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
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: Pair;
  readonly padding: Padding;
  readonly dilation: Pair;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    checkOptions('Conv2d', options, CONV2D_OPTIONS);
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, dtype = 'float32', generator, skipInit = false } = options;
    checkConvArguments('Conv2d', inChannels, outChannels, kernelSize, { stride, dilation, groups, bias, dtype, skipInit });
    checkPadding('Conv2d', padding);
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
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

export interface ConvTranspose2dOptions extends ParameterOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

const CONV_TRANSPOSE2D_OPTIONS = optionKeys<ConvTranspose2dOptions>()(['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'dtype', 'generator', 'skipInit']);

/**
 * Transposed convolution (the adjoint of Conv2d), weight [in, out/groups, kH, kW]. PyTorch's
 * default init reads fan_in from dim 1, i.e. out/groups·kH·kW.
 */
export class ConvTranspose2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly dilation: Pair;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
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
