// klDiv, PyTorch 1.13's torch.nn.functional.kl_div, built as PyTorch builds it (a composite of
// xlogy, exp, sub, mul): pointwise t·(ln t − input), or e^t·(t − input) for a log-target, so
// input and target get PyTorch's gradients (target's is NaN where t = 0 without logTarget, the
// 0/0 of xlogy's gradient, as in PyTorch).
import { defineOp } from '../../autograd/registry.js';
import { ArgumentError } from '../../errors.js';
import { checkBoolean, checkOptions, optionKeys } from '../../options.js';
import type { Tensor } from '../../tensor/tensor.js';
import { div, exp, log, mul, scalarLike, sub, where } from '../elementwise/arithmetic.js';
import { equal, lessEqual } from '../elementwise/compare.js';
import { mean } from '../reduce/mean.js';
import { reduceGradTo, sum } from '../reduce/sum.js';
import { xlogyCases } from './cases.js';
import { checkPair } from './regression.js';

/** a = 0 and b is not NaN: where xlogy is 0 (PyTorch: NaN b gives NaN, then a = 0 gives 0). */
const zeroTerm = (a: Tensor, b: Tensor): Tensor => mul(equal(a, scalarLike(a, 0)), equal(b, b));

// out = a·ln b, 0 where a = 0 (unless b is NaN);  da = xlogy(dy, b), but 0 where a = 0 and
// b ≤ 0;  db = dy·a/b (PyTorch's xlogy and its derivatives). One op, so a ln 0 = −∞ inside stays
// inside (anomaly detection sees the result, not −∞ and 0·−∞ on the way).
const xlogyOp = defineOp({
  name: 'xlogy',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => where(zeroTerm(a, b), scalarLike(a, 0), mul(a, log(b))),
  vjp: ({ dy, a, b }) => ({
    a: () => reduceGradTo(where(mul(equal(a, scalarLike(a, 0)), lessEqual(b, scalarLike(b, 0))), scalarLike(dy, 0), xlogy(dy, b)), a),
    b: () => reduceGradTo(div(mul(dy, a), b), b),
  }),
  cases: xlogyCases,
});

const xlogy = (a: Tensor, b: Tensor): Tensor => xlogyOp({ a, b }, {});

/** How klDiv reduces: PyTorch's four, 'batchmean' included. */
export type KlDivReduction = 'none' | 'sum' | 'mean' | 'batchmean';

/** Options of `klDiv` (F.kl_div's). */
export interface KlDivOptions {
  /**
   * 'mean' (the default, as in PyTorch) divides the sum by the number of elements, not by the
   * batch size; 'batchmean' divides by input's first dim, which is the KL divergence.
   */
  reduction?: KlDivReduction;
  /** target holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}
const KL_DIV_OPTIONS = optionKeys<KlDivOptions>()(['reduction', 'logTarget']);

function checkKlReduction(reduction: unknown): KlDivReduction {
  if (reduction === 'none' || reduction === 'sum' || reduction === 'mean' || reduction === 'batchmean') return reduction;
  throw new ArgumentError(`klDiv: reduction must be 'none', 'sum', 'mean' or 'batchmean', got ${JSON.stringify(reduction)}`);
}

/**
 * The pointwise KL divergence t·(ln t − input) of log-probabilities `input` from the target
 * distribution t (given as log-probabilities with logTarget), reduced. PyTorch 1.13 warns that
 * its 'mean' divides by every element; here 'mean' means the same and is documented instead.
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  checkOptions('klDiv', options, KL_DIV_OPTIONS);
  const reduction = checkKlReduction(options.reduction ?? 'mean');
  checkBoolean('klDiv', 'logTarget', options.logTarget);
  checkPair('klDiv', input, target, ['input', 'target']);
  const losses = options.logTarget === true
    ? mul(exp(target), sub(target, input))
    : sub(xlogy(target, target), mul(target, input));
  switch (reduction) {
    case 'none': return losses;
    case 'sum': return sum(losses);
    case 'mean': return mean(losses);
    case 'batchmean': return input.ndim === 0 ? sum(losses) : div(sum(losses), scalarLike(losses, input.shape[0]!));
  }
}
