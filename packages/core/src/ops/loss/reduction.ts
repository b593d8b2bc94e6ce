import { ArgumentError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';

/** How a loss reduces its per-element values: 'mean', 'sum' or 'none' (PyTorch's `reduction`). */
export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ArgumentError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
  return reduction;
}

/** A tensor-valued loss option (class weights, posWeight): a Tensor, null or left out. */
export function checkTensorOption(op: string, name: string, value: unknown): void {
  if (value === undefined || value === null || value instanceof Tensor) return;
  throw new ArgumentError(`${op}: ${name} must be a Tensor or null, got ${Array.isArray(value) ? 'an Array (wrap it in tensor())' : typeof value}`);
}

/** Per-element losses reduced as asked. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? losses : reduction === 'sum' ? sum(losses) : mean(losses);
}
