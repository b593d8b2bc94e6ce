// CIFAR ResNets (He et al. 2015, section 4.2): a 3×3 conv with 16 filters, three stages of n
// BasicBlocks with 16, 32 and 64 filters (stride 2 entering stages 2 and 3), global average
// pooling and a linear classifier — 6n+2 layers: resnet20 (n=3), resnet32 (n=5), resnet56 (n=9).
// Shortcuts use the paper's option A by default (identity; when the shape changes, subsample by 2
// and zero-pad the new channels: no parameters, 269,722 parameters for resnet20); option B
// projects with a 1×1 conv + BN instead.
import { ArgumentError, type Tensor, avgPool2d, flatten, optionKeys, pad } from '@tensorgrad/core';
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
  constructor(
    /** Channels of the output: the input's, then zero channels. */
    readonly outChannels: number,
    /** Spatial subsampling: every stride-th row and column is kept. */
    readonly stride: number,
  ) {
    super();
    assertPositiveInt('ZeroPadShortcut', 'outChannels', outChannels);
    assertPositiveInt('ZeroPadShortcut', 'stride', stride);
  }

  forward(x: Tensor): Tensor {
    // A 1×1 window with stride s is exactly the strided subsampling x[:, :, ::s, ::s].
    const sub = this.stride === 1 ? x : avgPool2d(x, { kernelSize: 1, stride: this.stride });
    const extra = this.outChannels - sub.shape[1]!;
    if (extra === 0) return sub;
    // Zero channels appended by pad (on sub's device; F.pad order: W, H, then C).
    return pad(sub, [0, 0, 0, 0, 0, extra]);
  }
}

/** Options of `CifarResNet` and `resnet20` / `resnet32` / `resnet56`. */
export interface CifarResNetOptions extends ModelOptions {
  /**
   * Shortcut where the shape changes: 'A' (default, He et al.'s CIFAR choice: subsample and pad
   * with zero channels, no parameters) or 'B' (1×1 convolution + BN).
   */
  shortcut?: 'A' | 'B';
  /** Image channels (3 for CIFAR, 1 for MNIST-style data). */
  inChannels?: number;
}

const CIFAR_RESNET_OPTIONS = optionKeys<CifarResNetOptions>()(['numClasses', 'shortcut', 'inChannels', 'generator', 'skipInit', 'dtype']);

/**
 * The CIFAR ResNet of He et al. 2015 §4.2 (6n+2 layers: three stages of n BasicBlocks at 16, 32, 64
 * channels), for 32×32 images; built by `resnet20`, `resnet32`, `resnet56`.
 */
export class CifarResNet extends Module {
  /** Stem: 3×3 convolution to 16 channels. */
  readonly conv1: Conv2d;
  /** Batch norm after the stem. */
  readonly bn1 = new BatchNorm2d(16);
  /** ReLU after the stem. */
  readonly relu = new ReLU({ inplace: true });
  /** Stage 1: blocks at 16 channels, 32×32. */
  readonly layer1: Sequential;
  /** Stage 2: blocks at 32 channels, 16×16. */
  readonly layer2: Sequential;
  /** Stage 3: blocks at 64 channels, 8×8. */
  readonly layer3: Sequential;
  /** Global average pooling to 1×1. */
  readonly avgpool = new AdaptiveAvgPool2d(1);
  /** Classifier: 64 features to numClasses. */
  readonly fc: Linear;

  constructor(
    /** BasicBlocks per stage (n: 6n+2 layers). */
    readonly blocksPerStage: number,
    options: CifarResNetOptions = {},
  ) {
    super();
    const { numClasses = 10, shortcut = 'A', inChannels = 3, generator, skipInit = false, dtype = 'float32' } = checkModelOptions('CifarResNet', options, CIFAR_RESNET_OPTIONS);
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
    this.to(dtype);
  }

  forward(x: Tensor): Tensor {
    x = this.relu.invoke(this.bn1.invoke(this.conv1.invoke(x)));
    x = this.layer3.invoke(this.layer2.invoke(this.layer1.invoke(x)));
    return this.fc.invoke(flatten(this.avgpool.invoke(x), 1));
  }
}

/** ResNet-20 for CIFAR (3 blocks per stage; 0.27M parameters). */
export const resnet20 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(3, checkModelOptions('resnet20', options, CIFAR_RESNET_OPTIONS));
/** ResNet-32 for CIFAR (5 blocks per stage; 0.46M parameters). */
export const resnet32 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(5, checkModelOptions('resnet32', options, CIFAR_RESNET_OPTIONS));
/** ResNet-56 for CIFAR (9 blocks per stage; 0.85M parameters). */
export const resnet56 = (options: CifarResNetOptions = {}): CifarResNet => new CifarResNet(9, checkModelOptions('resnet56', options, CIFAR_RESNET_OPTIONS));
