import { type BatchNormMaxPoolOptions, type Tensor, adaptiveAvgPool2d, avgPool2d, checkOptions, maxPool2d, optionKeys } from '@tensorgrad/core';
import { checkBool, checkPair } from '../check.js';
import { Module } from '../module/module.js';
import type { Pair } from './options.js';

/** Options of `MaxPool2d` (nn.MaxPool2d's keyword arguments, PyTorch's defaults). */
export interface MaxPool2dOptions {
  /** Defaults to kernelSize, as in PyTorch. */
  stride?: Pair;
  /** Implicit −∞ padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Spacing between window taps (default 1). */
  dilation?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

const MAX_POOL2D_OPTIONS = optionKeys<MaxPool2dOptions>()(['stride', 'padding', 'dilation', 'ceilMode']);

/** Max pooling over [N, C, H, W] or [C, H, W] inputs (nn.MaxPool2d). */
export class MaxPool2d extends Module {
  /** As given (kernelSize when not). */
  readonly stride: Pair;
  /** As given in the options. */
  readonly padding: Pair;
  /** As given in the options. */
  readonly dilation: Pair;
  /** As given in the options. */
  readonly ceilMode: boolean;

  constructor(
    /** Window size, one number or [h, w]. */
    readonly kernelSize: Pair,
    options: MaxPool2dOptions = {},
  ) {
    super();
    checkOptions('MaxPool2d', options, MAX_POOL2D_OPTIONS);
    const { stride, padding = 0, dilation = 1, ceilMode = false } = options;
    checkPair('MaxPool2d', 'kernelSize', kernelSize, 1);
    if (stride !== undefined) checkPair('MaxPool2d', 'stride', stride, 1);
    checkPair('MaxPool2d', 'padding', padding, 0);
    checkPair('MaxPool2d', 'dilation', dilation, 1);
    checkBool('MaxPool2d', 'ceilMode', ceilMode);
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.dilation = dilation;
    this.ceilMode = ceilMode;
  }

  /** The pooling as core's options (what forward passes to maxPool2d; maxPool2d's without returnIndices). */
  get options(): BatchNormMaxPoolOptions {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/** Options of `AvgPool2d` (nn.AvgPool2d's keyword arguments, PyTorch's defaults). */
export interface AvgPool2dOptions {
  /** Defaults to kernelSize, as in PyTorch. */
  stride?: Pair;
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count padded positions in each window's divisor (default true). */
  countIncludePad?: boolean;
}

const AVG_POOL2D_OPTIONS = optionKeys<AvgPool2dOptions>()(['stride', 'padding', 'ceilMode', 'countIncludePad']);

/** Average pooling over [N, C, H, W] or [C, H, W] inputs (nn.AvgPool2d). */
export class AvgPool2d extends Module {
  /** As given (kernelSize when not). */
  readonly stride: Pair;
  /** As given in the options. */
  readonly padding: Pair;
  /** As given in the options. */
  readonly ceilMode: boolean;
  /** As given in the options. */
  readonly countIncludePad: boolean;

  constructor(
    /** Window size, one number or [h, w]. */
    readonly kernelSize: Pair,
    options: AvgPool2dOptions = {},
  ) {
    super();
    checkOptions('AvgPool2d', options, AVG_POOL2D_OPTIONS);
    const { stride, padding = 0, ceilMode = false, countIncludePad = true } = options;
    checkPair('AvgPool2d', 'kernelSize', kernelSize, 1);
    if (stride !== undefined) checkPair('AvgPool2d', 'stride', stride, 1);
    checkPair('AvgPool2d', 'padding', padding, 0);
    checkBool('AvgPool2d', 'ceilMode', ceilMode);
    checkBool('AvgPool2d', 'countIncludePad', countIncludePad);
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, {
      kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
    });
  }
}

/** Averages each channel into an outputSize grid, whatever the input size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(
    /** The output's [h, w] (or one number for both). */
    readonly outputSize: Pair,
  ) {
    super();
    checkPair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
