// GoogLeNet / Inception v1 (Szegedy et al. 2014) with torchvision's structure, parameter names
// and initialisation. As in torchvision, the "5×5" branch uses a 3×3 convolution (a known
// torchvision quirk kept so its checkpoints load and the parameter count is 6,624,904).
import { type Generator, type Tensor, adaptiveAvgPool2d, add, checkNumber, checkOptions, concat, flatten, mul, optionKeys, relu_, tensor } from '@tensorgrad/core';
import { checkBool } from '../check.js';
import * as init from '../init.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d, type Conv2dOptions } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Dropout } from '../layers/misc.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import { Module } from '../module/module.js';
import { type ModelOptions, checkModelOptions } from './options.js';

const BASIC_CONV2D_OPTIONS = optionKeys<Omit<Conv2dOptions, 'bias'>>()(['stride', 'padding', 'dilation', 'groups', 'paddingMode', 'dtype', 'generator', 'skipInit']);

/** conv (no bias) → BatchNorm (eps 1e-3) → ReLU. */
export class BasicConv2d extends Module {
  /** The convolution (no bias). */
  readonly conv: Conv2d;
  /** Batch norm (eps 1e-3) after the convolution. */
  readonly bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Omit<Conv2dOptions, 'bias'> = {}) {
    super();
    checkOptions('BasicConv2d', options, BASIC_CONV2D_OPTIONS);
    this.conv = new Conv2d(inChannels, outChannels, kernelSize, { ...options, bias: false });
    this.bn = new BatchNorm2d(outChannels, { eps: 0.001 });
  }

  forward(x: Tensor): Tensor {
    return relu_(this.bn.invoke(this.conv.invoke(x)));
  }
}

type Init = { generator?: Generator; skipInit?: boolean };
const INIT_OPTIONS = optionKeys<Init>()(['generator', 'skipInit']);

/** Four parallel branches (1×1; 1×1→3×3; 1×1→3×3; 3×3 max pool→1×1) concatenated along channels. */
export class Inception extends Module {
  /** 1×1 convolution branch. */
  readonly branch1: BasicConv2d;
  /** 1×1 reduction then 3×3 convolution. */
  readonly branch2: Sequential;
  /** 1×1 reduction then 3×3 convolution (torchvision's stand-in for the paper's 5×5). */
  readonly branch3: Sequential;
  /** 3×3 max pooling then 1×1 projection. */
  readonly branch4: Sequential;

  constructor(
    inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number,
    g: Init = {},
  ) {
    super();
    checkOptions('Inception', g, INIT_OPTIONS, 'g');
    this.branch1 = new BasicConv2d(inChannels, ch1x1, 1, g);
    this.branch2 = new Sequential(
      new BasicConv2d(inChannels, ch3x3red, 1, g),
      new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1, ...g }),
    );
    this.branch3 = new Sequential(
      new BasicConv2d(inChannels, ch5x5red, 1, g),
      new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1, ...g }),
    );
    this.branch4 = new Sequential(
      new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }),
      new BasicConv2d(inChannels, poolProj, 1, g),
    );
  }

  /** Channels of the output: ch1x1 + ch3x3 + ch5x5 + poolProj. */
  get outChannels(): number {
    return [this.branch1, this.branch2.at(-1), this.branch3.at(-1), this.branch4.at(-1)]
      .reduce((n, b) => n + (b as BasicConv2d).conv.outChannels, 0);
  }

  forward(x: Tensor): Tensor {
    return concat([this.branch1.invoke(x), this.branch2.invoke(x), this.branch3.invoke(x), this.branch4.invoke(x)], 1);
  }
}

/** Auxiliary classifier on an intermediate feature map (training only). */
export class InceptionAux extends Module {
  /** 1×1 convolution to 128 channels after 4×4 average pooling. */
  readonly conv: BasicConv2d;
  /** 2048 → 1024 fully connected layer. */
  readonly fc1: Linear;
  /** 1024 → numClasses classifier. */
  readonly fc2: Linear;
  /** Dropout before fc2 (p 0.7 by default). */
  readonly dropout: Dropout;

  constructor(inChannels: number, numClasses: number, options: Init & { dropout?: number } = {}) {
    super();
    checkOptions('InceptionAux', options, [...INIT_OPTIONS, 'dropout']);
    const { dropout = 0.7, ...g } = options;
    this.conv = new BasicConv2d(inChannels, 128, 1, g);
    this.fc1 = new Linear(2048, 1024, g);
    this.fc2 = new Linear(1024, numClasses, g);
    this.dropout = new Dropout(dropout, { generator: g.generator });
  }

  forward(x: Tensor): Tensor {
    x = flatten(this.conv.invoke(adaptiveAvgPool2d(x, 4)), 1);
    return this.fc2.invoke(this.dropout.invoke(relu_(this.fc1.invoke(x))));
  }
}

/** Options of `GoogLeNet` / `googlenet` (torchvision's arguments and defaults). */
export interface GoogLeNetOptions extends ModelOptions {
  /** Build the two auxiliary classifiers (after inception4a and 4d); default false. */
  auxLogits?: boolean;
  /** Dropout probability before the classifier (default 0.2). */
  dropout?: number;
  /** Dropout probability in the auxiliary classifiers (default 0.7). */
  auxDropout?: number;
  /**
   * Map inputs normalised with ImageNet's mean/std to the (x - 0.5) / 0.5 scaling torchvision's
   * pretrained GoogLeNet was trained with (torchvision's transform_input; default false).
   */
  transformInput?: boolean;
}

const GOOGLENET_OPTIONS = optionKeys<GoogLeNetOptions>()(['numClasses', 'auxLogits', 'dropout', 'auxDropout', 'transformInput', 'generator', 'skipInit', 'dtype']);

/** What a GoogLeNet built with auxLogits returns while training (torchvision's GoogLeNetOutputs). */
export interface GoogLeNetOutputs {
  /** The main classifier's logits [N, numClasses]. */
  logits: Tensor;
  /** Present while training a model built with auxLogits. */
  aux1: Tensor | null;
  /** The second auxiliary classifier's logits (after inception4d), or null. */
  aux2: Tensor | null;
}

/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014) with torchvision's layer names (BatchNorm after
 * each convolution), so its state dict loads torchvision's weights; built by `googlenet`.
 */
export class GoogLeNet extends Module {
  /** Stem: 7×7 convolution, stride 2, 64 channels. */
  readonly conv1: BasicConv2d;
  /** 3×3 max pooling, stride 2 (ceil mode). */
  readonly maxpool1 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** 1×1 convolution, 64 channels. */
  readonly conv2: BasicConv2d;
  /** 3×3 convolution, 192 channels. */
  readonly conv3: BasicConv2d;
  /** 3×3 max pooling, stride 2 (ceil mode). */
  readonly maxpool2 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** Inception block, 256 channels out. */
  readonly inception3a: Inception;
  /** Inception block, 480 channels out. */
  readonly inception3b: Inception;
  /** 3×3 max pooling, stride 2 (ceil mode). */
  readonly maxpool3 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** Inception block, 512 channels out (aux1 branches off here). */
  readonly inception4a: Inception;
  /** Inception block, 512 channels out. */
  readonly inception4b: Inception;
  /** Inception block, 512 channels out. */
  readonly inception4c: Inception;
  /** Inception block, 528 channels out (aux2 branches off here). */
  readonly inception4d: Inception;
  /** Inception block, 832 channels out. */
  readonly inception4e: Inception;
  /** 2×2 max pooling, stride 2 (ceil mode). */
  readonly maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
  /** Inception block, 832 channels out. */
  readonly inception5a: Inception;
  /** Inception block, 1024 channels out. */
  readonly inception5b: Inception;
  /** First auxiliary classifier (on inception4a's output), or null without auxLogits. */
  readonly aux1: InceptionAux | null;
  /** Second auxiliary classifier (on inception4d's output), or null without auxLogits. */
  readonly aux2: InceptionAux | null;
  /** Global average pooling to 1×1. */
  readonly avgpool = new AdaptiveAvgPool2d(1);
  /** Dropout before the classifier. */
  readonly dropout: Dropout;
  /** Classifier: 1024 features to numClasses. */
  readonly fc: Linear;
  /** As given in the options. */
  readonly transformInput: boolean;

  constructor(options: GoogLeNetOptions = {}) {
    super();
    const { numClasses = 1000, auxLogits = false, dropout = 0.2, auxDropout = 0.7, transformInput = false, generator, skipInit = false, dtype = 'float32' } =
      checkModelOptions('GoogLeNet', options, GOOGLENET_OPTIONS);
    checkBool('GoogLeNet', 'auxLogits', auxLogits);
    checkBool('GoogLeNet', 'transformInput', transformInput);
    checkNumber('GoogLeNet', 'dropout', dropout, { min: 0, max: 1 });
    checkNumber('GoogLeNet', 'auxDropout', auxDropout, { min: 0, max: 1 });
    this.transformInput = transformInput;
    // Every conv and linear is initialised at the end, so their default init is skipped.
    const g = { generator, skipInit: true };
    this.conv1 = new BasicConv2d(3, 64, 7, { stride: 2, padding: 3, ...g });
    this.conv2 = new BasicConv2d(64, 64, 1, g);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1, ...g });
    this.inception3a = new Inception(192, 64, 96, 128, 16, 32, 32, g);
    this.inception3b = new Inception(256, 128, 128, 192, 32, 96, 64, g);
    this.inception4a = new Inception(480, 192, 96, 208, 16, 48, 64, g);
    this.inception4b = new Inception(512, 160, 112, 224, 24, 64, 64, g);
    this.inception4c = new Inception(512, 128, 128, 256, 24, 64, 64, g);
    this.inception4d = new Inception(512, 112, 144, 288, 32, 64, 64, g);
    this.inception4e = new Inception(528, 256, 160, 320, 32, 128, 128, g);
    this.inception5a = new Inception(832, 256, 160, 320, 32, 128, 128, g);
    this.inception5b = new Inception(832, 384, 192, 384, 48, 128, 128, g);
    this.aux1 = auxLogits ? new InceptionAux(512, numClasses, { dropout: auxDropout, ...g }) : null;
    this.aux2 = auxLogits ? new InceptionAux(528, numClasses, { dropout: auxDropout, ...g }) : null;
    this.dropout = new Dropout(dropout, { generator: g.generator });
    this.fc = new Linear(1024, numClasses, g);
    // torchvision: convs and linears N(0, 0.01²) truncated to [-2, 2], BN γ=1 β=0.
    for (const m of skipInit ? [] : this.modules()) {
      if (m instanceof Conv2d || m instanceof Linear) init.truncNormal(m.weight, 0, 0.01, -2, 2, { generator });
      else if (m instanceof BatchNorm2d) {
        init.ones(m.weight!);
        init.zeros(m.bias!);
      }
    }
    this.to(dtype);
  }

  /** Logits and, while training with auxLogits, the two auxiliary classifiers' logits. */
  forwardWithAux(x: Tensor): GoogLeNetOutputs {
    const useAux = this.training;
    if (this.transformInput) x = transformImageNetInput(x);
    x = this.maxpool1.invoke(this.conv1.invoke(x));
    x = this.maxpool2.invoke(this.conv3.invoke(this.conv2.invoke(x)));
    x = this.maxpool3.invoke(this.inception3b.invoke(this.inception3a.invoke(x)));
    x = this.inception4a.invoke(x);
    const aux1 = useAux && this.aux1 !== null ? this.aux1.invoke(x) : null;
    x = this.inception4d.invoke(this.inception4c.invoke(this.inception4b.invoke(x)));
    const aux2 = useAux && this.aux2 !== null ? this.aux2.invoke(x) : null;
    x = this.maxpool4.invoke(this.inception4e.invoke(x));
    x = this.inception5b.invoke(this.inception5a.invoke(x));
    const logits = this.fc.invoke(this.dropout.invoke(flatten(this.avgpool.invoke(x), 1)));
    return { logits, aux1, aux2 };
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithAux(x).logits;
  }
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** Per channel c: x·std_c/0.5 + (mean_c - 0.5)/0.5, i.e. undo ImageNet normalisation, apply (x - 0.5)/0.5. */
function transformImageNetInput(x: Tensor): Tensor {
  const scale = tensor(STD.map((s) => s / 0.5), { shape: [1, 3, 1, 1], dtype: x.dtype });
  const shift = tensor(MEAN.map((m) => (m - 0.5) / 0.5), { shape: [1, 3, 1, 1], dtype: x.dtype });
  return add(mul(x, scale), shift);
}

/**
 * GoogLeNet as torchvision's googlenet builds it (6.6M parameters at 1000 classes, without the
 * auxiliary classifiers).
 */
export const googlenet = (options: GoogLeNetOptions = {}): GoogLeNet => new GoogLeNet(checkModelOptions('googlenet', options, GOOGLENET_OPTIONS));
