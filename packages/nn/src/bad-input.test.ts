// nn's bad-input suite: each call below is a mistake a user can make; each must throw the named
// error class with a message that names the function (or class) and the argument, instead of
// being ignored, crashing with a TypeError deep inside, or training silently on NaN.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, ShapeError, type Tensor, TensorError, randn, tensor, zeros } from '@tensorgrad/core';
import { expect } from 'chai';
import { CheckpointError, StateDictError } from './errors.js';
import * as init from './init.js';
import { LeakyReLU } from './layers/activation.js';
import { BatchNorm2d } from './layers/batchnorm.js';
import { Conv2d, ConvTranspose2d } from './layers/conv.js';
import { LayerNorm } from './layers/layernorm.js';
import { Linear } from './layers/linear.js';
import { Dropout, LocalResponseNorm } from './layers/misc.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling.js';
import { alexnet } from './models/alexnet.js';
import { resnet20 } from './models/cifar-resnet.js';
import { googlenet } from './models/googlenet.js';
import { lenet5 } from './models/lenet.js';
import { resnet18, resnet50 } from './models/resnet.js';
import { zfnet } from './models/zfnet.js';
import { Sequential } from './module/containers.js';
import { parameter } from './module/module.js';
import { Adam, AdamW } from './optim/adam.js';
import { clipGradNorm } from './optim/clip.js';
import { CosineAnnealingLR, LinearLR, MultiStepLR, SequentialLR, StepLR } from './optim/lr-scheduler.js';
import { RMSprop } from './optim/rmsprop.js';
import { SGD } from './optim/sgd.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint/files.js';
import { encodeSafetensors } from './checkpoint/safetensors.js';

type ErrorClass = new (...args: any[]) => TensorError;

/** [what the user did, the call, the error class, the function named, the argument named] */
type Case = [string, () => unknown, ErrorClass, string, string];

const dir = mkdtempSync(join(tmpdir(), 'nn-bad-input-'));
const net = (): Sequential => new Sequential(new Linear(2, 3), new Linear(3, 1));
const params = (): Tensor[] => net().parameters();
const sgd = (): SGD => new SGD(params(), { lr: 0.1 });

const cases: Case[] = [
  // layers
  ['misspelt conv option', () => new Conv2d(3, 8, 3, { paddding: 1 } as never), ArgumentError, 'Conv2d', "'paddding' in options (did you mean 'padding'?)"],
  ['zero kernel', () => new Conv2d(3, 8, 0), ArgumentError, 'Conv2d', 'kernelSize'],
  ['unknown padding mode', () => new Conv2d(3, 8, 3, { padding: 'full' as never }), ArgumentError, 'Conv2d', 'padding'],
  ['conv input with the wrong channels', () => new Conv2d(3, 8, 3).invoke(randn([1, 4, 5, 5])), ShapeError, 'Conv2d', 'input'],
  ['conv input that is not a Tensor', () => new Conv2d(3, 8, 3).invoke([[1]] as never), ArgumentError, 'Conv2d', 'input x'],
  ['snake_case transposed-conv option', () => new ConvTranspose2d(4, 4, 3, { output_padding: 1 } as never), ArgumentError, 'ConvTranspose2d', "did you mean 'outputPadding'"],
  ['bias given as a string', () => new Linear(4, 2, { bias: 'no' as never }), ArgumentError, 'Linear', 'bias'],
  ['integer parameters', () => new Linear(4, 2, { dtype: 'int32' as never }), ArgumentError, 'Linear', 'dtype'],
  ['PyTorch-style pooling option', () => new MaxPool2d(2, { kernel_size: 2 } as never), ArgumentError, 'MaxPool2d', 'kernel_size'],
  ['zero pooling window', () => new MaxPool2d(0), ArgumentError, 'MaxPool2d', 'kernelSize'],
  ['snake_case avg-pool option', () => new AvgPool2d(2, { count_include_pad: false } as never), ArgumentError, 'AvgPool2d', "did you mean 'countIncludePad'"],
  ['BatchNorm momentum above 1', () => new BatchNorm2d(4, { momentum: 2 }), ArgumentError, 'BatchNorm2d', 'momentum'],
  ['BatchNorm eps 0', () => new BatchNorm2d(4, { eps: 0 }), ArgumentError, 'BatchNorm2d', 'eps'],
  ['BatchNorm option that had no effect', () => new BatchNorm2d(4, { skipInit: true } as never), ArgumentError, 'BatchNorm2d', 'skipInit'],
  ['dropout seed option', () => new Dropout(0.5, { seed: 1 } as never), ArgumentError, 'Dropout', 'seed'],
  ['dropout probability above 1', () => new Dropout(1.5), ArgumentError, 'Dropout', 'p'],
  ['LRN alpha NaN', () => new LocalResponseNorm(5, { alpha: NaN }), ArgumentError, 'LocalResponseNorm', 'alpha'],
  ['snake_case LayerNorm option', () => new LayerNorm(4, { elementwise_affine: false } as never), ArgumentError, 'LayerNorm', "did you mean 'elementwiseAffine'"],
  ['LeakyReLU slope NaN', () => new LeakyReLU(NaN), ArgumentError, 'LeakyReLU', 'negativeSlope'],
  ['adaptive pool to 0×0', () => new AdaptiveAvgPool2d(0), ArgumentError, 'AdaptiveAvgPool2d', 'outputSize'],
  // initialisers
  ['kaiming mode fan_avg', () => init.kaimingUniform(zeros([4, 4]), { mode: 'fan_avg' as never }), ArgumentError, 'init.kaimingUniform', 'mode'],
  ['misspelt xavier gain', () => init.xavierNormal(zeros([4, 4]), { gian: 2 } as never), ArgumentError, 'init.xavierNormal', "did you mean 'gain'"],
  ['negative std', () => init.normal(zeros([4]), 0, -1), ArgumentError, 'init.normal', 'std'],
  ['a seed instead of a Generator', () => init.uniform(zeros([4]), 0, 1, { generator: 42 as never }), ArgumentError, 'init.uniform', 'generator'],
  // models
  ['PyTorch-style model option', () => resnet18({ num_classes: 10 } as never), ArgumentError, 'resnet18', "did you mean 'numClasses'"],
  ['no classes', () => resnet50({ numClasses: 0 }), ArgumentError, 'resnet50', 'numClasses'],
  ['unknown shortcut', () => resnet20({ shortcut: 'C' as never }), ArgumentError, 'CifarResNet', 'shortcut'],
  ['unknown AlexNet variant', () => alexnet({ variant: 'original' as never }), ArgumentError, 'AlexNet', 'variant'],
  ['snake_case GoogLeNet option', () => googlenet({ aux_logits: true } as never), ArgumentError, 'googlenet', "did you mean 'auxLogits'"],
  ['ZFNet dropout 2', () => zfnet({ dropout: 2 }), ArgumentError, 'ZFNet', 'dropout'],
  ['LeNet-5 input size 30', () => lenet5({ inputSize: 30 as never }), ArgumentError, 'LeNet5', 'inputSize'],
  ['a model called without an input', () => (lenet5() as unknown as { invoke: () => unknown }).invoke(), ArgumentError, 'LeNet5.invoke', 'input'],
  // Module
  ['misspelt loadStateDict option', () => net().loadStateDict(net().stateDict(), { strcit: false } as never), ArgumentError, 'Sequential.loadStateDict', 'strcit'],
  ['train mode as a string', () => net().train('no' as never), ArgumentError, 'Sequential.train', 'mode'],
  ['parameter of an array', () => parameter([1, 2] as never), ArgumentError, 'parameter', 't'],
  // optimizers
  ['weight_decay for Adam', () => new Adam(params(), { lr: 1e-3, weight_decay: 0.1 } as never), ArgumentError, 'Adam', "'weight_decay' in options (did you mean 'weightDecay'?)"],
  ['infinite lr', () => new SGD(params(), { lr: Infinity }), ArgumentError, 'SGD', 'lr'],
  ['beta2 of 1', () => new Adam(params(), { betas: [0.9, 1] }), ArgumentError, 'Adam', 'betas[1]'],
  ['negative eps', () => new RMSprop(params(), { eps: -1 }), ArgumentError, 'RMSprop', 'eps'],
  ['nesterov without momentum', () => new SGD(params(), { nesterov: true }), ArgumentError, 'SGD', 'nesterov'],
  ['the model instead of its parameters', () => new SGD(net() as never), ArgumentError, 'SGD', 'params'],
  ['lr passed positionally (PyTorch style)', () => new AdamW(params(), 0.01 as never), ArgumentError, 'AdamW', 'options'],
  ['misspelt key in a param group', () => new SGD([{ params: params(), moment: 0.9 }] as never), ArgumentError, 'SGD', 'param group 0'],
  ['a gradient of the wrong shape', () => {
    const m = net();
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    for (const p of m.parameters()) p.grad = zeros(p.shape);
    m.parameters()[0]!.grad = zeros([2, 3]);
    opt.step();
  }, ShapeError, 'SGD.step', "'0.weight'"],
  // schedulers
  ['step size 0', () => new StepLR(sgd(), 0), ArgumentError, 'StepLR', 'stepSize'],
  ['negative etaMin', () => new CosineAnnealingLR(sgd(), 10, -1), ArgumentError, 'CosineAnnealingLR', 'etaMin'],
  ['start factor 0', () => new LinearLR(sgd(), 0), ArgumentError, 'LinearLR', 'startFactor'],
  ['fractional milestone', () => new MultiStepLR(sgd(), [3, 1.5]), ArgumentError, 'MultiStepLR', 'milestones[1]'],
  ['milestone 0', () => {
    const opt = sgd();
    return new SequentialLR(opt, [new LinearLR(opt), new StepLR(opt, 2)], [0]);
  }, ArgumentError, 'SequentialLR', 'milestones[0]'],
  ['SequentialLR stepped to an epoch', () => {
    const opt = sgd();
    new SequentialLR(opt, [new LinearLR(opt), new StepLR(opt, 2)], [3]).step(5);
  }, ArgumentError, 'SequentialLR.step', 'epoch'],
  ['a scheduler without an optimizer', () => new StepLR({} as never, 2), ArgumentError, 'StepLR', 'optimizer'],
  ['a corrupt scheduler state', () => new StepLR(sgd(), 2).loadStateDict({ lastEpoch: -5, baseLrs: [0.1] }), StateDictError, 'StepLR.loadStateDict', 'lastEpoch'],
  // clipGradNorm
  ['negative max norm', () => clipGradNorm(params(), -1), ArgumentError, 'clipGradNorm', 'maxNorm'],
  ['snake_case clip option', () => clipGradNorm(params(), 1, { norm_type: 2 } as never), ArgumentError, 'clipGradNorm', "did you mean 'normType'"],
  // checkpoints
  ['undefined in checkpoint metadata', () => saveCheckpoint(join(dir, 'a.safetensors'), { model: net(), metadata: { best: [1, undefined as never] } }), ArgumentError, 'saveCheckpoint', 'metadata.best[1]'],
  ['a Date in checkpoint metadata', () => saveCheckpoint(join(dir, 'a.safetensors'), { model: net(), metadata: { when: new Date() as never } }), ArgumentError, 'saveCheckpoint', 'metadata.when'],
  ['British spelling of optimizer', () => saveCheckpoint(join(dir, 'a.safetensors'), { model: net(), optimiser: sgd() } as never), ArgumentError, 'saveCheckpoint', "did you mean 'optimizer'"],
  ['saving into a missing directory', () => saveCheckpoint(join(dir, 'runs', 'a.safetensors'), { model: net() }), CheckpointError, 'saveCheckpoint', `directory ${join(dir, 'runs')} does not exist`],
  ['misspelt load option', () => loadCheckpoint(join(dir, 'a.safetensors'), { model: net(), strcit: true } as never), ArgumentError, 'loadCheckpoint', 'strcit'],
  ['loading into a non-module', () => loadCheckpoint(join(dir, 'a.safetensors'), { model: {} as never }), ArgumentError, 'loadCheckpoint', 'model'],
  ['numeric safetensors metadata', () => encodeSafetensors({ w: tensor([1]) }, { epoch: 3 as never }), CheckpointError, 'encodeSafetensors', 'metadata.epoch'],
];

describe('nn bad-input suite', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`has at least 35 cases (${cases.length})`, () => {
    expect(cases.length).to.be.at.least(35);
  });

  for (const [what, call, errorClass, fn, argument] of cases) {
    it(`${what}: ${errorClass.name} naming ${fn} and ${argument}`, () => {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error, 'it must throw').to.be.instanceOf(errorClass);
      const message = (error as Error).message;
      expect(message.startsWith(`${fn}:`) || message.startsWith(`${fn} `), `message names ${fn} first: ${message}`).to.equal(true);
      expect(message).to.include(argument);
    });
  }
});
