import * as bn from '../ops/norm/batch-norm.js';
import { type BatchNormMaxPoolOptions, batchNormMaxPool2d as batchNormMaxPoolInternal } from '../ops/norm/batch-norm-max-pool.js';
import { dropout as dropoutInternal, type DropoutOptions } from '../ops/norm/dropout.js';
import { groupNorm as groupNormInternal, type GroupNormOptions } from '../ops/norm/group-norm.js';
import { instanceNorm as instanceNormInternal, type InstanceNormOptions } from '../ops/norm/instance-norm.js';
import { layerNorm as layerNormInternal } from '../ops/norm/layer-norm.js';
import { localResponseNorm as lrnInternal, type LocalResponseNormOptions } from '../ops/norm/local-response-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, optionalTensor, publicFn } from './typed.js';

export type { BatchNormOptions } from '../ops/norm/batch-norm.js';
export type { BatchNormMaxPoolOptions } from '../ops/norm/batch-norm-max-pool.js';
export type { DropoutOptions } from '../ops/norm/dropout.js';
export type { GroupNormOptions } from '../ops/norm/group-norm.js';
export type { InstanceNormOptions } from '../ops/norm/instance-norm.js';
export type { LocalResponseNormOptions } from '../ops/norm/local-response-norm.js';

type Opt = TensorLike | null | undefined;

/**
 * Batch normalisation of x [N, C, ...] per channel (F.batch_norm): batch statistics with
 * running-average updates when `training`, else the running statistics; weight and bias [C]
 * optional.
 */
export const batchNorm = publicFn<
  (x: TensorLike, runningMean: Opt, runningVar: Opt, weight?: Opt, bias?: Opt, options?: bn.BatchNormOptions) => Tensor
>('batchNorm', ['x', 'runningMean', 'runningVar', 'weight', 'bias', 'options'], {
  'Tensor, OptionalTensor, OptionalTensor': (x: Tensor, m: Opt, v: Opt) => bn.batchNorm(x, optionalTensor(m), optionalTensor(v)),
  'Tensor, OptionalTensor, OptionalTensor, OptionalTensor, OptionalTensor': (x: Tensor, m: Opt, v: Opt, w: Opt, b: Opt) =>
    bn.batchNorm(x, optionalTensor(m), optionalTensor(v), optionalTensor(w), optionalTensor(b)),
  'Tensor, OptionalTensor, OptionalTensor, OptionalTensor, OptionalTensor, Object': (x: Tensor, m: Opt, v: Opt, w: Opt, b: Opt, o: bn.BatchNormOptions) =>
    bn.batchNorm(x, optionalTensor(m), optionalTensor(v), optionalTensor(w), optionalTensor(b), o),
});

/**
 * maxPool2d(batchNorm(x, runningMean, runningVar, weight, bias, options), poolOptions) for x
 * [N, C, H, W], bit for bit, as one op in training and in eval mode: on the CPU batch norm's output
 * is never written (what nn's Sequential runs for a BatchNorm2d followed by a MaxPool2d).
 * poolOptions are maxPool2d's without returnIndices.
 */
export const batchNormMaxPool2d = publicFn<
  (x: TensorLike, runningMean: Opt, runningVar: Opt, weight: Opt, bias: Opt, options: bn.BatchNormOptions, poolOptions: BatchNormMaxPoolOptions) => Tensor
>('batchNormMaxPool2d', ['x', 'runningMean', 'runningVar', 'weight', 'bias', 'options', 'poolOptions'], {
  'Tensor, OptionalTensor, OptionalTensor, OptionalTensor, OptionalTensor, Object, Object': (
    x: Tensor, m: Opt, v: Opt, w: Opt, b: Opt, o: bn.BatchNormOptions, p: BatchNormMaxPoolOptions,
  ) => batchNormMaxPoolInternal(x, optionalTensor(m), optionalTensor(v), optionalTensor(w), optionalTensor(b), o, p),
});

/**
 * Layer normalisation over the trailing `normalizedShape` dims (F.layer_norm), with optional
 * elementwise weight and bias of that shape; eps default 1e-5.
 */
export const layerNorm = publicFn<(x: TensorLike, normalizedShape: number | readonly number[], weight?: Opt, bias?: Opt, eps?: number) => Tensor>(
  'layerNorm', ['x', 'normalizedShape', 'weight', 'bias', 'eps'], {
    'Tensor, number | Array': (x: Tensor, s: number | number[]) => layerNormInternal(x, s),
    'Tensor, number | Array, OptionalTensor, OptionalTensor': (x: Tensor, s: number | number[], w: Opt, b: Opt) =>
      layerNormInternal(x, s, optionalTensor(w), optionalTensor(b)),
    'Tensor, number | Array, OptionalTensor, OptionalTensor, number': (x: Tensor, s: number | number[], w: Opt, b: Opt, eps: number) =>
      layerNormInternal(x, s, optionalTensor(w), optionalTensor(b), eps),
  },
);

/**
 * Group normalisation (F.group_norm): the C channels of x [N, C, ...] in numGroups groups, each
 * (sample, group) normalised over its channels and positions; weight and bias [C] optional.
 */
export const groupNorm = publicFn<(x: TensorLike, numGroups: number, weight?: Opt, bias?: Opt, options?: GroupNormOptions) => Tensor>(
  'groupNorm', ['x', 'numGroups', 'weight', 'bias', 'options'], {
    'Tensor, number': (x: Tensor, g: number) => groupNormInternal(x, g),
    'Tensor, number, OptionalTensor, OptionalTensor': (x: Tensor, g: number, w: Opt, b: Opt) => groupNormInternal(x, g, optionalTensor(w), optionalTensor(b)),
    'Tensor, number, OptionalTensor, OptionalTensor, Object': (x: Tensor, g: number, w: Opt, b: Opt, o: GroupNormOptions) =>
      groupNormInternal(x, g, optionalTensor(w), optionalTensor(b), o),
  },
);

/**
 * Instance normalisation (F.instance_norm): each (sample, channel) of x [N, C, ...] normalised
 * over its positions, or with runningMean/runningVar when useInputStats is false; the running
 * statistics are updated in place when given with the input's statistics. Tensors in options
 * must be Tensors (a converted copy of a running statistic would lose its update).
 */
export const instanceNorm = publicFn<(x: TensorLike, options?: InstanceNormOptions) => Tensor>('instanceNorm', ['x', 'options'], {
  Tensor: (x: Tensor) => instanceNormInternal(x),
  'Tensor, Object': instanceNormInternal,
});

/**
 * Local response normalisation across channels (F.local_response_norm, AlexNet's): x_c / (k +
 * alpha/size · Σ x²)^beta over `size` neighbouring channels.
 */
export const localResponseNorm = publicFn<(x: TensorLike, size: number, options?: LocalResponseNormOptions) => Tensor>(
  'localResponseNorm', ['x', 'size', 'options'], {
    'Tensor, number': (x: Tensor, size: number) => lrnInternal(x, size),
    'Tensor, number, Object': lrnInternal,
  },
);

/**
 * Zeroes each element with probability p (default 0.5) and scales the rest by 1/(1−p) when training
 * (the default), as F.dropout; seeded by the generator or `seed`.
 */
export const dropout = publicFn<(x: TensorLike, p?: number, options?: DropoutOptions) => Tensor>('dropout', ['x', 'p', 'options'], {
  Tensor: (x: Tensor) => dropoutInternal(x),
  'Tensor, number': (x: Tensor, p: number) => dropoutInternal(x, p),
  'Tensor, number, Object': dropoutInternal,
});
