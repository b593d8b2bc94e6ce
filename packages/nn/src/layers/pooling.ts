import { type Tensor, adaptiveAvgPool2d, avgPool2d, checkOptions, maxPool2d, optionKeys } from '@tensorgrad/core';
import { checkBool, checkPair } from '../check.js';
import { Module } from '../module/module.js';
import type { Pair } from './options.js';

export interface MaxPool2dOptions {
  /** Defaults to kernelSize, as in PyTorch. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

const MAX_POOL2D_OPTIONS = optionKeys<MaxPool2dOptions>()(['stride', 'padding', 'dilation', 'ceilMode']);

export class MaxPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;

  constructor(readonly kernelSize: Pair, options: MaxPool2dOptions = {}) {
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

  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}

export interface AvgPool2dOptions {
  /** Defaults to kernelSize, as in PyTorch. */
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

const AVG_POOL2D_OPTIONS = optionKeys<AvgPool2dOptions>()(['stride', 'padding', 'ceilMode', 'countIncludePad']);

export class AvgPool2d extends Module {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(readonly kernelSize: Pair, options: AvgPool2dOptions = {}) {
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
  constructor(readonly outputSize: Pair) {
    super();
    checkPair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
