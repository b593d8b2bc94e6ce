// The models the training job can use. 'fmnist-cnn' is defined here, in code, the way a user
// would define their own network with @tensorgrad/nn.
import type { Generator, Tensor } from '@tensorgrad/core';
import {
  BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, lenet5, resnet20,
} from '@tensorgrad/nn';
import type { ModelName } from './options.js';

/** conv-BN-ReLU ×2 per stage, two stages with max pooling, then a small classifier head. */
export function fmnistCnn(generator: Generator, dropoutGenerator: Generator): Sequential {
  const block = (cin: number, cout: number): Module[] => [
    new Conv2d(cin, cout, 3, { padding: 1, bias: false, generator }),
    new BatchNorm2d(cout),
    new ReLU(),
  ];
  return new Sequential(
    ...block(1, 32), ...block(32, 32), new MaxPool2d(2),      // 32×14×14
    ...block(32, 64), ...block(64, 64), new MaxPool2d(2),     // 64×7×7
    new Flatten(),
    new Dropout(0.3, { generator: dropoutGenerator }),
    new Linear(64 * 7 * 7, 128, { generator }),
    new ReLU(),
    new Dropout(0.3, { generator: dropoutGenerator }),
    new Linear(128, 10, { generator }),
  );
}

export interface Classifier {
  module: Module<[Tensor], Tensor>;
}

export function buildModel(name: ModelName, generator: Generator, dropoutGenerator: Generator): Module<[Tensor], Tensor> {
  switch (name) {
    case 'fmnist-cnn': return fmnistCnn(generator, dropoutGenerator) as unknown as Module<[Tensor], Tensor>;
    case 'lenet5': return lenet5({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
    case 'resnet20': return resnet20({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
  }
}
