// Public pooling ops. kernelSize alone may be given in place of the options object.
import * as avg from '../ops/pool/avg-pool.js';
import * as max from '../ops/pool/max-pool.js';
import type { Pair } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

export type { MaxPool2dOptions } from '../ops/pool/max-pool.js';
export type { AvgPool2dOptions } from '../ops/pool/avg-pool.js';

interface MaxPool2d {
  (x: TensorLike, options: max.MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
  (x: TensorLike, options: max.MaxPool2dOptions | Pair): Tensor;
}
interface AdaptiveMaxPool2d {
  (x: TensorLike, outputSize: Pair, options: { returnIndices: true }): [Tensor, Tensor];
  (x: TensorLike, outputSize: Pair, options?: { returnIndices?: boolean }): Tensor;
}

/**
 * Max pooling over x [N, C, H, W] or [C, H, W] (F.max_pool2d); `kernelSize` alone may replace the
 * options; `returnIndices: true` also returns the argmax indices.
 */
export const maxPool2d = publicFn<MaxPool2d>('maxPool2d', ['x', 'options'], {
  'Tensor, Object': (x: Tensor, o: max.MaxPool2dOptions) => max.maxPool2d(x, o),
  'Tensor, number | Array': (x: Tensor, k: Pair) => max.maxPool2d(x, { kernelSize: k }),
});
/**
 * Average pooling over x [N, C, H, W] or [C, H, W] (F.avg_pool2d); `kernelSize` alone may replace
 * the options.
 */
export const avgPool2d = publicFn<(x: TensorLike, options: avg.AvgPool2dOptions | Pair) => Tensor>('avgPool2d', ['x', 'options'], {
  'Tensor, Object': avg.avgPool2d,
  'Tensor, number | Array': (x: Tensor, k: Pair) => avg.avgPool2d(x, { kernelSize: k }),
});
/**
 * Average pooling to an output of `outputSize` [h, w] (or one number), PyTorch's adaptive windows
 * (F.adaptive_avg_pool2d).
 */
export const adaptiveAvgPool2d = publicFn<(x: TensorLike, outputSize: Pair) => Tensor>('adaptiveAvgPool2d', ['x', 'outputSize'], {
  'Tensor, number | Array': avg.adaptiveAvgPool2d,
});
/**
 * Max pooling to an output of `outputSize` [h, w] (or one number), PyTorch's adaptive windows
 * (F.adaptive_max_pool2d).
 */
export const adaptiveMaxPool2d = publicFn<AdaptiveMaxPool2d>('adaptiveMaxPool2d', ['x', 'outputSize', 'options'], {
  'Tensor, number | Array': (x: Tensor, s: Pair) => max.adaptiveMaxPool2d(x, s),
  'Tensor, number | Array, Object': (x: Tensor, s: Pair, o: { returnIndices?: boolean }) => max.adaptiveMaxPool2d(x, s, o),
});
/** Mean over H and W: [N, C, H, W] → [N, C, 1, 1] (adaptiveAvgPool2d(x, 1)). */
export const globalAvgPool2d = publicFn<(x: TensorLike) => Tensor>('globalAvgPool2d', ['x'], { Tensor: avg.globalAvgPool2d });
