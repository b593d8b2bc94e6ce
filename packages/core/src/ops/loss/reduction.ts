import { ArgumentError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';

export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ArgumentError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
  return reduction;
}

/** Per-element losses reduced as asked. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? losses : reduction === 'sum' ? sum(losses) : mean(losses);
}
