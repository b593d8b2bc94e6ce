// ZFNet (Zeiler & Fergus 2013, "Visualizing and Understanding Convolutional Networks", Fig. 3):
// AlexNet with a 7×7 stride-2 first layer (instead of 11×11 stride 4) and a stride-2 second
// layer, so early features keep more resolution. Layer table for a 3×224×224 input:
//
//   layer     op                                            output
//   conv1     96 × 7×7, stride 2, pad 1; ReLU               96×110×110
//   pool1     max 3×3, stride 2 (ceil); LRN(5)              96×55×55
//   conv2     256 × 5×5, stride 2; ReLU                     256×26×26
//   pool2     max 3×3, stride 2 (ceil); LRN(5)              256×13×13
//   conv3     384 × 3×3, pad 1; ReLU                        384×13×13
//   conv4     384 × 3×3, pad 1; ReLU                        384×13×13
//   conv5     256 × 3×3, pad 1; ReLU                        256×13×13
//   pool5     max 3×3, stride 2                             256×6×6
//   fc6, fc7  4096, ReLU, dropout 0.5                       4096
//   fc8       numClasses                                    numClasses
//
// Ceil-mode pooling reproduces the paper's 55 and 13; the "contrast normalisation across feature
// maps" is local response normalisation with AlexNet's constants. An adaptive 6×6 average pool
// before the classifier (as in torchvision's AlexNet) lets other input sizes through.
// 62,357,608 parameters for 1000 classes.
import { type Tensor, checkNumber, flatten, optionKeys } from '@tensorgrad/core';
import { ReLU } from '../layers/activation.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Dropout, LocalResponseNorm } from '../layers/misc.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import { Module } from '../module/module.js';
import { type ModelOptions, checkModelOptions } from './options.js';

/** Options of `ZFNet` / `zfnet`. */
export interface ZFNetOptions extends ModelOptions {
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
}

const ZFNET_OPTIONS = optionKeys<ZFNetOptions>()(['numClasses', 'dropout', 'generator', 'skipInit', 'dtype']);

/**
 * ZFNet (Zeiler & Fergus 2013): AlexNet with a 7×7 stride-2 first layer and a stride-2 second layer
 * (the table at the top of zfnet.ts); built by `zfnet`.
 */
export class ZFNet extends Module {
  /** The convolution, ReLU, max-pooling and LRN stack (conv1..pool5). */
  readonly features: Sequential;
  /** Adaptive average pooling to 6×6 (a no-op for 224×224 inputs). */
  readonly avgpool = new AdaptiveAvgPool2d(6);
  /** fc6, fc7 (4096, ReLU, dropout) and fc8 (numClasses). */
  readonly classifier: Sequential;

  constructor(options: ZFNetOptions = {}) {
    super();
    const { numClasses = 1000, dropout = 0.5, generator, skipInit = false, dtype = 'float32' } = checkModelOptions('ZFNet', options, ZFNET_OPTIONS);
    checkNumber('ZFNet', 'dropout', dropout, { min: 0, max: 1 });
    const g = { generator, skipInit };
    const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 });
    this.features = new Sequential(
      new Conv2d(3, 96, 7, { stride: 2, padding: 1, ...g }), new ReLU({ inplace: true }), new MaxPool2d(3, { stride: 2, ceilMode: true }), lrn(),
      new Conv2d(96, 256, 5, { stride: 2, ...g }), new ReLU({ inplace: true }), new MaxPool2d(3, { stride: 2, ceilMode: true }), lrn(),
      new Conv2d(256, 384, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
      new Conv2d(384, 384, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
      new Conv2d(384, 256, 3, { padding: 1, ...g }), new ReLU({ inplace: true }), new MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = new Sequential(
      new Dropout(dropout, { generator }), new Linear(256 * 36, 4096, g), new ReLU({ inplace: true }),
      new Dropout(dropout, { generator }), new Linear(4096, 4096, g), new ReLU({ inplace: true }),
      new Linear(4096, numClasses, g),
    );
    this.to(dtype);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.invoke(flatten(this.avgpool.invoke(this.features.invoke(x)), 1));
  }
}

/** ZFNet for 224×224 RGB images. */
export const zfnet = (options: ZFNetOptions = {}): ZFNet => new ZFNet(checkModelOptions('zfnet', options, ZFNET_OPTIONS));
