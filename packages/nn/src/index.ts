// @tensorgrad/nn — modules, layers, models, optimizers, LR schedules and safetensors checkpoints.
// The main entry: runs in browsers and Node (checkpoints as bytes). Node resolves the package to
// node.ts instead, which adds checkpoint files (package.json's "node" export condition).
export { Module, parameter, buffer, type StateDict, type LoadStateDictOptions, type LoadResult, type ModuleToOptions } from './module/module.js';
export { Sequential, ModuleList, ModuleDict } from './module/containers.js';
export { StateDictError, CheckpointError } from './errors.js';
export * as init from './init.js';

export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d, ConvTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions } from './layers/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './layers/pooling.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './layers/batchnorm.js';
export { LayerNorm, type LayerNormOptions } from './layers/layernorm.js';
export { GroupNorm, type GroupNormOptions } from './layers/groupnorm.js';
export { InstanceNorm2d, type InstanceNormOptions } from './layers/instancenorm.js';
export { Dropout, LocalResponseNorm, Flatten, Identity, type DropoutOptions, type LocalResponseNormOptions } from './layers/misc.js';
export {
  ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softplus, Softmax, LogSoftmax,
  Hardtanh, Hardsigmoid, Hardswish, SELU, CELU, Mish, Softsign, PReLU, type PReLUOptions,
} from './layers/activation.js';
export type { ParameterOptions } from './layers/options.js';

export type { ModelOptions } from './models/options.js';
export { BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50, resnet101, type BlockOptions, type ResNetOptions } from './models/resnet.js';
export { CifarResNet, ZeroPadShortcut, resnet20, resnet32, resnet56, type CifarResNetOptions } from './models/cifar-resnet.js';
export { BasicConv2d, Inception, InceptionAux, GoogLeNet, googlenet, type GoogLeNetOptions, type GoogLeNetOutputs } from './models/googlenet.js';
export { AlexNet, alexnet, type AlexNetOptions } from './models/alexnet.js';
export { ZFNet, zfnet, type ZFNetOptions } from './models/zfnet.js';
export { LeNet5, lenet5, type LeNet5Options } from './models/lenet.js';
export { FmnistCnn, fmnistCnn, type FmnistCnnOptions } from './models/fmnist-cnn.js';

export { Optimizer, typeNameOf, type OptimizerStateDict, type ParamGroup, type ParamState, type ParamsInput, type Hyperparameters } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export {
  LRScheduler, StepLR, MultiStepLR, CosineAnnealingLR, LinearLR, SequentialLR, type Schedule, type ChainedSchedule, type SchedulerState, type InitialLrs,
} from './optim/lr-scheduler.js';
export { OneCycleLR, type OneCycleLROptions } from './optim/one-cycle.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type PlateauState } from './optim/reduce-on-plateau.js';
export { clipGradNorm, clipGradNormAsync, type ClipGradNormOptions } from './optim/clip.js';

export { accuracy, topKAccuracy, type AccuracyOptions } from './metrics/accuracy.js';
export { confusionMatrix, ConfusionMatrix } from './metrics/confusion-matrix.js';

export { encodeSafetensors, decodeSafetensors, type Safetensors } from './checkpoint/safetensors.js';
export {
  checkpointToBytes, checkpointToBytesAsync, loadCheckpointFromBytes, OPTIMIZER_PREFIX, type CheckpointContents, type LoadCheckpointOptions, type Json,
} from './checkpoint/checkpoint.js';
