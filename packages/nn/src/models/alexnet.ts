// AlexNet (Krizhevsky et al. 2012) in two variants.
//  - 'torchvision' (default): torchvision's single-tower 64-192-384-256-256 net, so its weights
//    load; 61,100,840 parameters.
//  - 'paper': the paper's 96-256-384-384-256 filters with local response normalisation
//    (n=5, α=1e-4, β=0.75, k=2) after the first two ReLUs, overlapping 3×3 stride-2 max pooling
//    and dropout 0.5; one tower (the paper split conv2/4/5 across two GPUs with groups=2, which
//    we do not reproduce), so 62,378,344 parameters for 1000 classes. Init as in the paper:
//    weights N(0, 0.01²), biases 1 in conv2, conv4, conv5 and the hidden FC layers, 0 elsewhere.
import { ArgumentError, type Tensor, checkNumber, flatten, optionKeys } from '@tensorgrad/core';
import * as init from '../init.js';
import { ReLU } from '../layers/activation.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Dropout, LocalResponseNorm } from '../layers/misc.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import { Module } from '../module/module.js';
import { type ModelOptions, checkModelOptions } from './options.js';

/** Options of `AlexNet` / `alexnet`. */
export interface AlexNetOptions extends ModelOptions {
  /**
   * 'torchvision' (default: torchvision's 64-192-384-256-256 net, whose weights load) or 'paper'
   * (Krizhevsky et al.'s 96-256-384-384-256 filters with local response normalisation and the
   * paper's init).
   */
  variant?: 'torchvision' | 'paper';
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
}

const ALEXNET_OPTIONS = optionKeys<AlexNetOptions>()(['numClasses', 'variant', 'dropout', 'generator', 'skipInit', 'dtype']);

/** features → adaptive average pool to 6×6 → flatten → classifier (torchvision's layout). */
export class AlexNet extends Module {
  /** The convolution, ReLU (and LRN) and max-pooling stack. */
  readonly features: Sequential;
  /** Adaptive average pooling to 6×6 (a no-op for 224×224 inputs). */
  readonly avgpool = new AdaptiveAvgPool2d(6);
  /** Dropout, 9216 → 4096 → 4096 → numClasses fully connected layers with ReLUs. */
  readonly classifier: Sequential;

  constructor(options: AlexNetOptions = {}) {
    super();
    const { numClasses = 1000, variant = 'torchvision', dropout = 0.5, generator, skipInit = false, dtype = 'float32' } = checkModelOptions('AlexNet', options, ALEXNET_OPTIONS);
    if (variant !== 'torchvision' && variant !== 'paper') throw new ArgumentError(`AlexNet: variant must be 'torchvision' or 'paper', got ${JSON.stringify(variant)}`);
    checkNumber('AlexNet', 'dropout', dropout, { min: 0, max: 1 });
    // The paper variant initialises every weight itself (below), so default init is skipped.
    const g = { generator, skipInit: skipInit || variant === 'paper' };
    const pool = (): MaxPool2d => new MaxPool2d(3, { stride: 2 });
    const lrn = (): LocalResponseNorm => new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 });
    const [c1, c2, c3, c4, c5] = variant === 'paper' ? [96, 256, 384, 384, 256] : [64, 192, 384, 256, 256];
    this.features = variant === 'paper'
      ? new Sequential(
          new Conv2d(3, c1, 11, { stride: 4, padding: 2, ...g }), new ReLU({ inplace: true }), lrn(), pool(),
          new Conv2d(c1, c2, 5, { padding: 2, ...g }), new ReLU({ inplace: true }), lrn(), pool(),
          new Conv2d(c2, c3, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
          new Conv2d(c3, c4, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
          new Conv2d(c4, c5, 3, { padding: 1, ...g }), new ReLU({ inplace: true }), pool(),
        )
      : new Sequential(
          new Conv2d(3, c1, 11, { stride: 4, padding: 2, ...g }), new ReLU({ inplace: true }), pool(),
          new Conv2d(c1, c2, 5, { padding: 2, ...g }), new ReLU({ inplace: true }), pool(),
          new Conv2d(c2, c3, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
          new Conv2d(c3, c4, 3, { padding: 1, ...g }), new ReLU({ inplace: true }),
          new Conv2d(c4, c5, 3, { padding: 1, ...g }), new ReLU({ inplace: true }), pool(),
        );
    this.classifier = new Sequential(
      new Dropout(dropout, { generator }), new Linear(c5 * 36, 4096, g), new ReLU({ inplace: true }),
      new Dropout(dropout, { generator }), new Linear(4096, 4096, g), new ReLU({ inplace: true }),
      new Linear(4096, numClasses, g),
    );
    if (variant === 'paper' && !skipInit) {
      const convs = [...this.features].filter((m): m is Conv2d => m instanceof Conv2d);
      const fcs = [...this.classifier].filter((m): m is Linear => m instanceof Linear);
      const biasOne = new Set<Conv2d | Linear>([convs[1]!, convs[3]!, convs[4]!, fcs[0]!, fcs[1]!]);
      for (const m of [...convs, ...fcs]) {
        init.normal(m.weight, 0, 0.01, { generator });
        init.constant(m.bias!, biasOne.has(m) ? 1 : 0);
      }
    }
    this.to(dtype);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.invoke(flatten(this.avgpool.invoke(this.features.invoke(x)), 1));
  }
}

/** AlexNet (torchvision's alexnet by default: 61.1M parameters at 1000 classes). */
export const alexnet = (options: AlexNetOptions = {}): AlexNet => new AlexNet(checkModelOptions('alexnet', options, ALEXNET_OPTIONS));
