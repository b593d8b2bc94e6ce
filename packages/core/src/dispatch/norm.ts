import * as bn from '../ops/norm/batch-norm.js';
import { dropout as dropoutInternal, type DropoutOptions } from '../ops/norm/dropout.js';
import { layerNorm as layerNormInternal } from '../ops/norm/layer-norm.js';
import { localResponseNorm as lrnInternal, type LocalResponseNormOptions } from '../ops/norm/local-response-norm.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

export type { BatchNormOptions } from '../ops/norm/batch-norm.js';
export type { DropoutOptions } from '../ops/norm/dropout.js';
export type { LocalResponseNormOptions } from '../ops/norm/local-response-norm.js';

type Opt = TensorLike | null | undefined;

export const batchNorm = publicFn<
  (x: TensorLike, runningMean: Opt, runningVar: Opt, weight?: Opt, bias?: Opt, options?: bn.BatchNormOptions) => Tensor
>('batchNorm', ['x', 'runningMean', 'runningVar', 'weight', 'bias', 'options'], {
  'Tensor, Tensor | null, Tensor | null': (x: Tensor, m: Tensor | null, v: Tensor | null) => bn.batchNorm(x, m, v),
  'Tensor, Tensor | null, Tensor | null, Tensor | null | undefined, Tensor | null | undefined': (x: Tensor, m: Tensor | null, v: Tensor | null, w?: Tensor | null, b?: Tensor | null) =>
    bn.batchNorm(x, m, v, w ?? null, b ?? null),
  'Tensor, Tensor | null, Tensor | null, Tensor | null | undefined, Tensor | null | undefined, Object': (
    x: Tensor, m: Tensor | null, v: Tensor | null, w: Tensor | null | undefined, b: Tensor | null | undefined, o: bn.BatchNormOptions,
  ) => bn.batchNorm(x, m, v, w ?? null, b ?? null, o),
});

export const layerNorm = publicFn<(x: TensorLike, normalizedShape: number | readonly number[], weight?: Opt, bias?: Opt, eps?: number) => Tensor>(
  'layerNorm', ['x', 'normalizedShape', 'weight', 'bias', 'eps'], {
    'Tensor, number | Array': (x: Tensor, s: number | number[]) => layerNormInternal(x, s),
    'Tensor, number | Array, Tensor | null | undefined, Tensor | null | undefined': (x: Tensor, s: number | number[], w?: Tensor | null, b?: Tensor | null) =>
      layerNormInternal(x, s, w ?? null, b ?? null),
    'Tensor, number | Array, Tensor | null | undefined, Tensor | null | undefined, number': (x: Tensor, s: number | number[], w: Tensor | null | undefined, b: Tensor | null | undefined, eps: number) =>
      layerNormInternal(x, s, w ?? null, b ?? null, eps),
  },
);

export const localResponseNorm = publicFn<(x: TensorLike, size: number, options?: LocalResponseNormOptions) => Tensor>(
  'localResponseNorm', ['x', 'size', 'options'], {
    'Tensor, number': (x: Tensor, size: number) => lrnInternal(x, size),
    'Tensor, number, Object': lrnInternal,
  },
);

export const dropout = publicFn<(x: TensorLike, p?: number, options?: DropoutOptions) => Tensor>('dropout', ['x', 'p', 'options'], {
  Tensor: (x: Tensor) => dropoutInternal(x),
  'Tensor, number': (x: Tensor, p: number) => dropoutInternal(x, p),
  'Tensor, number, Object': dropoutInternal,
});
