// ResNets for ImageNet (He et al. 2015), with torchvision's structure, parameter names and
// initialisation, so torchvision checkpoints load: resnet18/34 (BasicBlock), resnet50/101 (Bottleneck).
import { type Generator, type Tensor, add_, checkOptions, flatten, optionKeys } from '@tensorgrad/core';
import { assertPositiveInt, checkBool } from '../check.js';
import * as init from '../init.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pooling.js';
import { ReLU } from '../layers/activation.js';
import { Sequential } from '../module/containers.js';
import { Module } from '../module/module.js';
import { type ModelOptions, checkModelOptions } from './options.js';

/** Options of a residual block (`BasicBlock`, `Bottleneck`). */
export interface BlockOptions {
  /** Stride of the block's strided convolution (default 1). */
  stride?: number;
  /** Maps the input onto the block's output shape when stride or width change (null: identity). */
  downsample?: Module | null;
  /** Draws the convolutions' initial weights (default: core's default generator). */
  generator?: Generator;
  /** Leave conv weights at zero (ResNet initialises them itself). */
  skipInit?: boolean;
}

const BLOCK_OPTIONS = optionKeys<BlockOptions>()(['stride', 'downsample', 'generator', 'skipInit']);

/** Checks a residual block's options; the convolutions check stride, generator and skipInit. */
function blockOptions(fn: string, inPlanes: number, planes: number, options: BlockOptions): BlockOptions {
  checkOptions(fn, options, BLOCK_OPTIONS);
  assertPositiveInt(fn, 'inPlanes', inPlanes);
  assertPositiveInt(fn, 'planes', planes);
  return options;
}

/** Two 3×3 convolutions with a shortcut: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)). */
export class BasicBlock extends Module {
  /** Output channels per `planes` (1: the block outputs `planes` channels). */
  static readonly expansion = 1;
  /** First 3×3 convolution (carries the stride). */
  readonly conv1: Conv2d;
  /** Batch norm after conv1. */
  readonly bn1: BatchNorm2d;
  /** The ReLU applied after bn1 and after the addition. */
  readonly relu = new ReLU({ inplace: true });
  /** Second 3×3 convolution. */
  readonly conv2: Conv2d;
  /** Batch norm after conv2 (zeroed by zeroInitResidual). */
  readonly bn2: BatchNorm2d;
  /** The shortcut's projection (1×1 conv + BN), or null for the identity. */
  readonly downsample: Module | null;

  constructor(inPlanes: number, planes: number, options: BlockOptions = {}) {
    super();
    const { stride = 1, downsample = null, generator, skipInit } = blockOptions('BasicBlock', inPlanes, planes, options);
    const p = { generator, skipInit };
    this.conv1 = new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false, ...p });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false, ...p });
    this.bn2 = new BatchNorm2d(planes);
    this.downsample = downsample;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.invoke(this.conv2.invoke(this.relu.invoke(this.bn1.invoke(this.conv1.invoke(x)))));
    return this.relu.invoke(add_(out, this.downsample === null ? x : this.downsample.invoke(x)));
  }
}

/** 1×1 reduce, 3×3 (carrying the stride, as torchvision's "ResNet v1.5"), 1×1 expand ×4, plus shortcut. */
export class Bottleneck extends Module {
  /** Output channels per `planes` (4: the block outputs 4·planes channels). */
  static readonly expansion = 4;
  /** 1×1 convolution reducing to `planes` channels. */
  readonly conv1: Conv2d;
  /** Batch norm after conv1. */
  readonly bn1: BatchNorm2d;
  /** 3×3 convolution (carries the stride). */
  readonly conv2: Conv2d;
  /** Batch norm after conv2. */
  readonly bn2: BatchNorm2d;
  /** 1×1 convolution expanding to 4·planes channels. */
  readonly conv3: Conv2d;
  /** Batch norm after conv3 (zeroed by zeroInitResidual). */
  readonly bn3: BatchNorm2d;
  /** The ReLU after bn1, bn2 and the addition. */
  readonly relu = new ReLU({ inplace: true });
  /** The shortcut's projection (1×1 conv + BN), or null for the identity. */
  readonly downsample: Module | null;

  constructor(inPlanes: number, planes: number, options: BlockOptions = {}) {
    super();
    const { stride = 1, downsample = null, generator, skipInit } = blockOptions('Bottleneck', inPlanes, planes, options);
    const p = { generator, skipInit };
    const out = planes * Bottleneck.expansion;
    this.conv1 = new Conv2d(inPlanes, planes, 1, { bias: false, ...p });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false, ...p });
    this.bn2 = new BatchNorm2d(planes);
    this.conv3 = new Conv2d(planes, out, 1, { bias: false, ...p });
    this.bn3 = new BatchNorm2d(out);
    this.downsample = downsample;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.invoke(this.bn1.invoke(this.conv1.invoke(x)));
    out = this.relu.invoke(this.bn2.invoke(this.conv2.invoke(out)));
    out = this.bn3.invoke(this.conv3.invoke(out));
    return this.relu.invoke(add_(out, this.downsample === null ? x : this.downsample.invoke(x)));
  }
}

type BlockClass = (typeof BasicBlock | typeof Bottleneck) & { expansion: number };

/** Options of `ResNet` and `resnet18` ... `resnet101` (torchvision's arguments). */
export interface ResNetOptions extends ModelOptions {
  /** Start each residual branch's last BN at γ = 0, so every block begins as the identity (default false). */
  zeroInitResidual?: boolean;
}

const RESNET_OPTIONS = optionKeys<ResNetOptions>()(['numClasses', 'zeroInitResidual', 'generator', 'skipInit', 'dtype']);

/**
 * ResNet for 224×224 images (He et al. 2015) with torchvision's layer names and init, so its state
 * dict loads torchvision's weights; built by `resnet18` ... `resnet101`.
 */
export class ResNet extends Module {
  /** Stem: 7×7 convolution, stride 2, 64 channels. */
  readonly conv1: Conv2d;
  /** Batch norm after the stem convolution. */
  readonly bn1: BatchNorm2d;
  /** ReLU after the stem. */
  readonly relu = new ReLU({ inplace: true });
  /** 3×3 max pooling, stride 2, after the stem. */
  readonly maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  /** Stage 1: blocks at 64 planes, stride 1. */
  readonly layer1: Sequential;
  /** Stage 2: blocks at 128 planes, the first with stride 2. */
  readonly layer2: Sequential;
  /** Stage 3: blocks at 256 planes, the first with stride 2. */
  readonly layer3: Sequential;
  /** Stage 4: blocks at 512 planes, the first with stride 2. */
  readonly layer4: Sequential;
  /** Global average pooling to 1×1. */
  readonly avgpool = new AdaptiveAvgPool2d(1);
  /** Classifier: 512·expansion features to numClasses. */
  readonly fc: Linear;

  constructor(block: BlockClass, layers: readonly [number, number, number, number], options: ResNetOptions = {}) {
    super();
    const { numClasses = 1000, zeroInitResidual = false, generator, skipInit = false, dtype = 'float32' } = checkModelOptions('ResNet', options, RESNET_OPTIONS);
    checkBool('ResNet', 'zeroInitResidual', zeroInitResidual);
    // Convolutions are initialised below (initResNet), so their default init is skipped.
    const p = { generator, skipInit: true };
    this.conv1 = new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false, ...p });
    this.bn1 = new BatchNorm2d(64);
    let inPlanes = 64;
    const stage = (planes: number, blocks: number, stride: number): Sequential => {
      const out = planes * block.expansion;
      const downsample = stride !== 1 || inPlanes !== out
        ? new Sequential(new Conv2d(inPlanes, out, 1, { stride, bias: false, ...p }), new BatchNorm2d(out))
        : null;
      const list = [new block(inPlanes, planes, { stride, downsample, ...p })];
      inPlanes = out;
      for (let i = 1; i < blocks; i++) list.push(new block(inPlanes, planes, p));
      return new Sequential(...list);
    };
    this.layer1 = stage(64, layers[0], 1);
    this.layer2 = stage(128, layers[1], 2);
    this.layer3 = stage(256, layers[2], 2);
    this.layer4 = stage(512, layers[3], 2);
    this.fc = new Linear(512 * block.expansion, numClasses, { generator, skipInit });
    if (!skipInit) initResNet(this, zeroInitResidual, generator);
    this.to(dtype);
  }

  forward(x: Tensor): Tensor {
    x = this.maxpool.invoke(this.relu.invoke(this.bn1.invoke(this.conv1.invoke(x))));
    x = this.layer4.invoke(this.layer3.invoke(this.layer2.invoke(this.layer1.invoke(x))));
    return this.fc.invoke(flatten(this.avgpool.invoke(x), 1));
  }
}

/** torchvision's ResNet init: convs kaiming-normal (fan_out, relu), BN γ=1 β=0, Linear left at its default. */
export function initResNet(model: Module, zeroInitResidual: boolean, generator: Generator | undefined): void {
  for (const m of model.modules()) {
    if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fan_out', nonlinearity: 'relu', generator });
    else if (m instanceof BatchNorm2d) {
      init.ones(m.weight!);
      init.zeros(m.bias!);
    }
  }
  if (zeroInitResidual) {
    for (const m of model.modules()) {
      if (m instanceof Bottleneck) init.zeros(m.bn3.weight!);
      else if (m instanceof BasicBlock) init.zeros(m.bn2.weight!);
    }
  }
}

/** ResNet-18 (BasicBlock, [2, 2, 2, 2]), torchvision's resnet18; 11.7M parameters at 1000 classes. */
export const resnet18 = (options: ResNetOptions = {}): ResNet => new ResNet(BasicBlock, [2, 2, 2, 2], checkModelOptions('resnet18', options, RESNET_OPTIONS));
/** ResNet-34 (BasicBlock, [3, 4, 6, 3]), torchvision's resnet34. */
export const resnet34 = (options: ResNetOptions = {}): ResNet => new ResNet(BasicBlock, [3, 4, 6, 3], checkModelOptions('resnet34', options, RESNET_OPTIONS));
/** ResNet-50 (Bottleneck, [3, 4, 6, 3]), torchvision's resnet50 (v1.5: the stride in the 3×3). */
export const resnet50 = (options: ResNetOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 6, 3], checkModelOptions('resnet50', options, RESNET_OPTIONS));
/** ResNet-101 (Bottleneck, [3, 4, 23, 3]), torchvision's resnet101. */
export const resnet101 = (options: ResNetOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 23, 3], checkModelOptions('resnet101', options, RESNET_OPTIONS));
