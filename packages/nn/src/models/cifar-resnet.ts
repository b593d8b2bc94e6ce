// CIFAR ResNets (He et al. 2015, section 4.2): a 3×3 conv with 16 filters, three stages of n
// BasicBlocks with 16, 32 and 64 filters (stride 2 entering stages 2 and 3), global average
// pooling and a linear classifier — 6n+2 layers: resnet20 (n=3), resnet32 (n=5), resnet56 (n=9).
// Shortcuts use the paper's option A by default (identity; when the shape changes, subsample by 2
// and zero-pad the new channels: no parameters, 269,722 parameters for resnet20); option B
// projects with a 1×1 conv + BN instead.
import { ArgumentError, type Tensor, avgPool2d, concat, flatten, optionKeys, zeros } from '@tensorgrad/core';
import { assertPositiveInt } from '../check.js';
import { ReLU } from '../layers/activation.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { AdaptiveAvgPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import { Module } from '../module/module.js';
import { type ModelOptions, checkModelOptions } from './options.js';
import { BasicBlock, initResNet } from './resnet.js';

/** Option A shortcut: x[:, :, ::stride, ::stride] with extra zero channels. */
export class ZeroPadShortcut extends Module {
  constructor(readonly outChannels: number, readonly stride: number) {
    super();
    assertPositiveInt('ZeroPadShortcut', 'outChannels', outChannels);
    assertPositiveInt('ZeroPadShortcut', 'stride', stride);
  }

  forward(x: Tensor): Tensor {
    // A 1×1 window with stride s is exactly the strided subsampling x[:, :, ::s, ::s].
    const sub = this.stride === 1 ? x : avgPool2d(x, { kernelSize: 1, stride: this.stride });
    const extra = this.outChannels - sub.shape[1]!;
    if (extra === 0) return sub;
    return concat([sub, zeros([sub.shape[0]!, extra, sub.shape[2]!, sub.shape[3]!], { dtype: sub.dtype })], 1);
  }
}

export interface CifarResNetOptions extends ModelOptions {
  shortcut?: 'A' | 'B';
  /** Image channels (3 for CIFAR, 1 for MNIST-style data). */
  inChannels?: number;
}

const CIFAR_RESNET_OPTIONS = optionKeys<CifarResNetOptions>()(['numClasses', 'shortcut', 'inChannels', 'generator', 'skipInit']);

export class CifarResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1 = new BatchNorm2d(16);
  readonly relu = new ReLU();
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly avgpool = new AdaptiveAvgPool2d(1);
  readonly fc: Linear;

  constructor(readonly blocksPerStage: number, options: CifarResNetOptions = {}) {
    super();
    const { numClasses = 10, shortcut = 'A', inChannels = 3, generator, skipInit = false } = checkModelOptions('CifarResNet', options, CIFAR_RESNET_OPTIONS);
    assertPositiveInt('CifarResNet', 'blocksPerStage', blocksPerStage);
    if (shortcut !== 'A' && shortcut !== 'B') throw new ArgumentError(`CifarResNet: shortcut must be 'A' or 'B', got ${JSON.stringify(shortcut)}`);
    // Convolutions are initialised by initResNet, so their default init is skipped.
    const p = { generator, skipInit: true };
    this.conv1 = new Conv2d(inChannels, 16, 3, { padding: 1, bias: false, ...p });
    let inPlanes = 16;
    const stage = (planes: number, stride: number): Sequential => {
      const blocks: BasicBlock[] = [];
      for (let i = 0; i < blocksPerStage; i++) {
        const s = i === 0 ? stride : 1;
        const reshape = s !== 1 || inPlanes !== planes;
        const downsample = !reshape ? null : shortcut === 'A'
          ? new ZeroPadShortcut(planes, s)
          : new Sequential(new Conv2d(inPlanes, planes, 1, { stride: s, bias: false, ...p }), new BatchNorm2d(planes));
        blocks.push(new BasicBlock(inPlanes, planes, { stride: s, downsample, ...p }));
        inPlanes = planes;
      }
      return new Sequential(...blocks);
    };
    this.layer1 = stage(16, 1);
    this.layer2 = stage(32, 2);
    this.layer3 = stage(64, 2);
    this.fc = new Linear(64, numClasses, { generator, skipInit });
    if (!skipInit) initResNet(this, false, generator);
  }

  forward(x: Tensor): Tensor {
    x = this.relu.call(this.bn1.call(this.conv1.call(x)));
    x = this.layer3.call(this.layer2.call(this.layer1.call(x)));
    return this.fc.call(flatten(this.avgpool.call(x), 1));
  }
}

export const resnet20 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(3, checkModelOptions('resnet20', options, CIFAR_RESNET_OPTIONS));
export const resnet32 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(5, checkModelOptions('resnet32', options, CIFAR_RESNET_OPTIONS));
export const resnet56 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(9, checkModelOptions('resnet56', options, CIFAR_RESNET_OPTIONS));
