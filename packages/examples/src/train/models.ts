// The models the training job can use. 'fmnist-cnn' is defined here, in code, the way a user
// would define their own network with @tensorgrad/nn.
import type { Generator, Tensor } from '@tensorgrad/core';
import {
  BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, lenet5, resnet20,
} from '@tensorgrad/nn';
import type { ModelName } from './options.js';

/**
 * Three conv-BN-ReLU stages (32, 64, 128 channels), each followed by 2×2 max pooling
 * (28 → 14 → 7 → 3), then dropout and a linear classifier: ~15 MFLOP per 28×28 image forward.
 * ReLU runs after the pooling: max pooling and ReLU commute (both monotone), so the network
 * computes exactly the same function while ReLU touches a quarter of the values.
 */
export function fmnistCnn(generator: Generator, dropoutGenerator: Generator): Sequential {
  const stage = (cin: number, cout: number): Module[] => [
    new Conv2d(cin, cout, 3, { padding: 1, bias: false, generator }),
    new BatchNorm2d(cout),
    new MaxPool2d(2),
    new ReLU(),
  ];
  return new Sequential(
    ...stage(1, 32), ...stage(32, 64), ...stage(64, 128),
    new Flatten(),
    new Dropout(0.2, { generator: dropoutGenerator }),
    new Linear(128 * 3 * 3, 10, { generator }),
  );
}

export function buildModel(name: ModelName, generator: Generator, dropoutGenerator: Generator): Module<[Tensor], Tensor> {
  switch (name) {
    case 'fmnist-cnn': return fmnistCnn(generator, dropoutGenerator) as unknown as Module<[Tensor], Tensor>;
    case 'lenet5': return lenet5({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
    case 'resnet20': return resnet20({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
  }
}
