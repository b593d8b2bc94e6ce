// LeNet-5 (LeCun et al. 1998) in its common modern form: ReLU and max pooling instead of scaled
// tanh and trainable subsampling, full C3 connectivity, a linear output layer instead of RBFs.
// 28×28 inputs get padding 2 in conv1 so the feature maps match the paper's 32×32 ones:
// conv1 6@28×28 → pool 6@14×14 → conv2 16@10×10 → pool 16@5×5 → fc 120 → fc 84 → numClasses.
// 61,706 parameters for 10 classes and one input channel.
import { ArgumentError, type Tensor, flatten, optionKeys, relu } from '@tensorgrad/core';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { MaxPool2d } from '../layers/pooling.js';
import { Module } from '../module/module.js';
import { assertPositiveInt } from '../check.js';
import { type ModelOptions, checkModelOptions } from './options.js';

/** Options of `LeNet5` / `lenet5`. */
export interface LeNet5Options extends ModelOptions {
  /** Image channels (default 1). */
  inChannels?: number;
  /** 28 (MNIST) or 32 (the paper's padded digits, CIFAR). */
  inputSize?: 28 | 32;
}

const LENET5_OPTIONS = optionKeys<LeNet5Options>()(['numClasses', 'inChannels', 'inputSize', 'generator', 'skipInit', 'dtype']);

/**
 * LeNet-5 (LeCun et al. 1998) in its common modern form (ReLU, max pooling): conv 6@5×5 → pool →
 * conv 16@5×5 → pool → 120 → 84 → numClasses; built by `lenet5`.
 */
export class LeNet5 extends Module {
  /** 5×5 convolution to 6 channels (padding 2 for 28×28 inputs). */
  readonly conv1: Conv2d;
  /** 2×2 max pooling, used after each convolution. */
  readonly pool = new MaxPool2d(2);
  /** 5×5 convolution to 16 channels. */
  readonly conv2: Conv2d;
  /** 16·5·5 → 120 fully connected layer. */
  readonly fc1: Linear;
  /** 120 → 84 fully connected layer. */
  readonly fc2: Linear;
  /** 84 → numClasses classifier. */
  readonly fc3: Linear;

  constructor(options: LeNet5Options = {}) {
    super();
    const { numClasses = 10, inChannels = 1, inputSize = 28, generator, skipInit = false, dtype = 'float32' } = checkModelOptions('LeNet5', options, LENET5_OPTIONS);
    if (inputSize !== 28 && inputSize !== 32) throw new ArgumentError(`LeNet5: inputSize must be 28 or 32, got ${String(inputSize)}`);
    assertPositiveInt('LeNet5', 'inChannels', inChannels);
    this.conv1 = new Conv2d(inChannels, 6, 5, { padding: inputSize === 28 ? 2 : 0, generator, skipInit });
    this.conv2 = new Conv2d(6, 16, 5, { generator, skipInit });
    this.fc1 = new Linear(16 * 5 * 5, 120, { generator, skipInit });
    this.fc2 = new Linear(120, 84, { generator, skipInit });
    this.fc3 = new Linear(84, numClasses, { generator, skipInit });
    this.to(dtype);
  }

  forward(x: Tensor): Tensor {
    x = this.pool.invoke(relu(this.conv1.invoke(x)));
    x = flatten(this.pool.invoke(relu(this.conv2.invoke(x))), 1);
    return this.fc3.invoke(relu(this.fc2.invoke(relu(this.fc1.invoke(x)))));
  }
}

/** LeNet-5 (61,706 parameters for 10 classes and one channel). */
export const lenet5 = (options: LeNet5Options = {}): LeNet5 => new LeNet5(checkModelOptions('lenet5', options, LENET5_OPTIONS));
