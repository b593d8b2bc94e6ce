// oneHot (F.one_hot): int32 class indices of any shape → int32 [..., numClasses] with a 1 at each
// index. Not differentiable (integer in, integer out). The range check reads back the smallest and
// largest index (two reductions), then one kernel writes the ones.
import { backendOf } from '../../backend/index.js';
import { ArgumentError, DTypeError, DeviceError, formatShape } from '../../errors.js';
import { checkNumber } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** An ignoreIndex no valid class equals (the GPU range check has no 'none'). */
const INT32_MIN = -2147483648;

/** The smallest and largest value of a non-empty int32 tensor. */
function extremes(x: Tensor): { lo: number; hi: number } {
  const lo = zeroFilled([], 'int32', 'cpu');
  const hi = zeroFilled([], 'int32', 'cpu');
  const all = x.shape.map((_, i) => i);
  backendOf(x).reduce.min(x.data, x.shape, all, lo.data);
  backendOf(x).reduce.max(x.data, x.shape, all, hi.data);
  return { lo: lo.data[0]!, hi: hi.data[0]! };
}

/**
 * One-hot encoding of int32 class indices: shape [...indices.shape, numClasses], int32, with
 * out[..., c] = 1 where c = indices[...]. numClasses -1 (the default) means the largest index + 1.
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be an int32 tensor of class indices, got ${indices.dtype}`);
  checkNumber('oneHot', 'numClasses', numClasses, { integer: true, min: -1 });
  let classes = numClasses;
  if (indices.size === 0) {
    if (classes === -1) throw new ArgumentError(`oneHot: cannot infer numClasses from empty indices (shape ${formatShape(indices.shape)}); pass numClasses`);
  } else if (indices.device !== 'cpu') {
    // The range check would read the indices back: on a GPU it is deferred to the next readback
    // (copy.firstInvalidClass), and numClasses cannot be inferred.
    if (classes === -1) throw new DeviceError(`oneHot: pass numClasses for indices on '${indices.device}' (inferring it would read the indices back)`);
    backendOf(indices).copy.firstInvalidClass(indices.storage, classes, INT32_MIN);
  } else {
    const { lo, hi } = extremes(indices);
    if (lo < 0) throw new ArgumentError(`oneHot: indices must be non-negative, got ${lo}`);
    if (classes === -1) classes = hi + 1;
    else if (hi >= classes) throw new ArgumentError(`oneHot: indices must be smaller than numClasses ${classes}, got ${hi}`);
  }
  const out = zeroFilled([...indices.shape, classes], 'int32', indices.device);
  backendOf(indices).copy.oneHot(indices.storage, classes, out.storage);
  return out;
}
