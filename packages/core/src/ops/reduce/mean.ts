import { normalizeDims } from '../../tensor/shape.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mulScalar } from '../elementwise/arithmetic.js';
import { sum } from './sum.js';

/** Mean over dims (all when omitted): sum scaled by 1/count, so its VJP is sum's, scaled. */
export function mean(x: Tensor, dims?: number | readonly number[], keepdim = false): Tensor {
  assertFloat('mean', 'x', x.dtype);
  const d = normalizeDims('mean', dims, x.ndim);
  let count = 1;
  for (const i of d) count *= x.shape[i]!;
  return mulScalar(sum(x, d, keepdim), 1 / count);
}
