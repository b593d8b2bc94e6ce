// The models the training job can use, all from @tensorgrad/nn ('fmnist-cnn' is nn's fmnistCnn).
import type { Generator, Tensor } from '@tensorgrad/core';
import { type Module, fmnistCnn, lenet5, resnet20 } from '@tensorgrad/nn';
import type { ModelName } from './options.js';

export function buildModel(name: ModelName, generator: Generator, dropoutGenerator: Generator): Module<[Tensor], Tensor> {
  switch (name) {
    case 'fmnist-cnn': return fmnistCnn({ generator, dropoutGenerator });
    case 'lenet5': return lenet5({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
    case 'resnet20': return resnet20({ numClasses: 10, inChannels: 1, generator }) as unknown as Module<[Tensor], Tensor>;
  }
}
