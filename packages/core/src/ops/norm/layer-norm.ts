// layerNorm: y = x̂·w + b with x̂ normalised over the trailing dims `normalizedShape`.
import { ShapeError, formatShape } from '../../errors.js';
import { checkNumber } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../elementwise/arithmetic.js';
import { normalize } from './normalize.js';

export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  assertFloat('layerNorm', 'x', x.dtype);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  if (shape.length === 0 || shape.length > x.ndim || !shapesEqual(x.shape.slice(x.ndim - shape.length), shape)) {
    throw new ShapeError(`layerNorm: normalizedShape ${formatShape(shape)} must be non-empty and match the trailing dims of x ${formatShape(x.shape)}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t !== null && !shapesEqual(t.shape, shape)) {
      throw new ShapeError(`layerNorm: ${name} must have shape normalizedShape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
    }
  }
  checkNumber('layerNorm', 'eps', eps, { min: 0, minExclusive: true });
  const xhat = normalize(x, { groupStart: 0, groupEnd: x.ndim - shape.length, eps });
  const scaled = weight === null ? xhat : mul(xhat, weight);
  return bias === null ? scaled : add(scaled, bias);
}
