// The default Fashion-MNIST network of the training job and the training page: three
// conv-BN-ReLU stages (32, 64, 128 channels), each followed by 2×2 max pooling
// (28 → 14 → 7 → 3), then dropout and a linear classifier: ~15 MFLOP per 28×28 image forward,
// 104,426 parameters for 10 classes and one input channel.
// ReLU runs after the pooling: max pooling and ReLU commute (both monotone), so the network
// computes exactly the same function while ReLU touches a quarter of the values.
// A Sequential, so its state-dict names are '0.weight', '1.running_mean', ..., '13.bias'.
import { ArgumentError, Generator, checkNumber, optionKeys } from '@tensorgrad/core';
import { ReLU } from '../layers/activation.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Dropout, Flatten } from '../layers/misc.js';
import { MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import type { Module } from '../module/module.js';
import { assertPositiveInt, show } from '../check.js';
import { type ModelOptions, checkModelOptions } from './options.js';

/** Options of `FmnistCnn` / `fmnistCnn`. */
export interface FmnistCnnOptions extends ModelOptions {
  /** Image channels (default 1). */
  inChannels?: number;
  /** Dropout probability before the classifier (default 0.2). */
  dropout?: number;
  /**
   * Draws the dropout masks (default: core's default generator). Separate from `generator`, which
   * draws the initial weights, so a run can save and restore the mask stream on its own.
   */
  dropoutGenerator?: Generator;
}

const FMNIST_CNN_OPTIONS = optionKeys<FmnistCnnOptions>()(['numClasses', 'inChannels', 'dropout', 'dropoutGenerator', 'generator', 'skipInit', 'dtype']);

/**
 * The default Fashion-MNIST network of the training job and page: three conv-BN-ReLU stages (32,
 * 64, 128 channels) with 2×2 max pooling, dropout and a linear classifier (104,426 parameters); a
 * Sequential, built by `fmnistCnn`.
 */
export class FmnistCnn extends Sequential {
  constructor(options: FmnistCnnOptions = {}) {
    super(...layers('FmnistCnn', options));
    this.to(options.dtype ?? 'float32');
  }
}

function layers(fn: string, options: FmnistCnnOptions): Module[] {
  const { numClasses = 10, inChannels = 1, dropout = 0.2, dropoutGenerator, generator, skipInit = false } = checkModelOptions(fn, options, FMNIST_CNN_OPTIONS);
  assertPositiveInt(fn, 'inChannels', inChannels);
  checkNumber(fn, 'dropout', dropout, { min: 0, max: 1 });
  if (dropoutGenerator !== undefined && !(dropoutGenerator instanceof Generator)) {
    throw new ArgumentError(`${fn}: dropoutGenerator must be a Generator, got ${show(dropoutGenerator)}`);
  }
  const init = { generator, skipInit };
  const stage = (cin: number, cout: number): Module[] => [
    new Conv2d(cin, cout, 3, { padding: 1, bias: false, ...init }),
    new BatchNorm2d(cout),
    new MaxPool2d(2),
    new ReLU({ inplace: true }),
  ];
  return [
    ...stage(inChannels, 32), ...stage(32, 64), ...stage(64, 128),
    new Flatten(),
    new Dropout(dropout, { generator: dropoutGenerator }),
    new Linear(128 * 3 * 3, numClasses, init),
  ];
}

/** The default Fashion-MNIST CNN (see FmnistCnn). */
export const fmnistCnn = (options: FmnistCnnOptions = {}): FmnistCnn => new FmnistCnn(checkModelOptions('fmnistCnn', options, FMNIST_CNN_OPTIONS));
