// variance and std over dims with Bessel's correction (torch.var / torch.std, PyTorch 1.13):
//   var = Σ (x − mean)² / max(0, n − correction);   std = √var
// VJPs as PyTorch's var_backward / std_backward, written with ops (second order works):
//   dvar/dx = dy · (2 / (n − correction)) · (x − mean)   (n − correction itself, as PyTorch)
//   dstd/dx = dvar/dx at dy / (2·std), with 0 where std = 0 (PyTorch masks it: a constant input
//   has a zero gradient, not NaN)
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { Unary } from '../../backend/elementwise.js';
import { ArgumentError } from '../../errors.js';
import { checkBoolean, checkNumber, checkOptions, optionKeys } from '../../options.js';
import { uninitialized, zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { div, mul, mulScalar, scalarLike, sub, where } from '../elementwise/arithmetic.js';
import { equal } from '../elementwise/compare.js';
import { reshape } from '../shape/reshape.js';
import { varianceCases } from './cases.js';
import { statisticDims } from './logsumexp.js';
import { mean } from './mean.js';
import { reducedShape } from './sum.js';

export interface VarianceAttrs {
  /** Normalised, sorted dims reduced. */
  dims: number[];
  keepdim: boolean;
  /** Subtracted from the count in the divisor (1: Bessel's unbiased estimate). */
  correction: number;
}

/** Options of `variance` and `std` (torch.var / torch.std's keyword arguments). */
export interface VarianceOptions {
  /**
   * Subtracted from the number of elements reduced, n, in the divisor: Σ(x − mean)² / (n −
   * correction), divided by 0 (giving ∞ or NaN) when n ≤ correction. An integer; default 1.
   */
  correction?: number;
  /** PyTorch's older spelling: true is correction 1, false is correction 0 (give one or the other). */
  unbiased?: boolean;
  /** Keep the reduced dims as size 1 (default false). */
  keepdim?: boolean;
}
const VARIANCE_OPTIONS = optionKeys<VarianceOptions>()(['correction', 'unbiased', 'keepdim']);

/** Σ (x − mean)² / max(0, n − correction) over dims, into a new tensor of the reduced shape. */
function varianceOf(x: Tensor, { dims, keepdim, correction }: VarianceAttrs): Tensor {
  const out = zeroFilled(reducedShape(x.shape, dims, keepdim), x.dtype, x.device);
  backendOf(x).reduce.variance(x.storage, x.shape, dims, correction, out.storage);
  return out;
}

/** The number of elements each output reduces. */
const countOf = (x: Tensor, dims: readonly number[]): number => dims.reduce((n, d) => n * x.shape[d]!, 1);

/** PyTorch's var_backward: g · (2 / (n − correction)) · (x − mean over dims), g shaped as the output. */
function varianceBackward(g: Tensor, x: Tensor, { dims, correction }: VarianceAttrs): Tensor {
  const scale = 2 / (countOf(x, dims) - correction);
  return mul(mulScalar(reshape(g, reducedShape(x.shape, dims, true)), scale), sub(x, mean(x, dims, true)));
}

const varianceOp = defineOp({
  name: 'variance',
  inputs: ['x'],
  forward: ({ x }, attrs: VarianceAttrs) => varianceOf(x, attrs),
  vjp: ({ dy, x }, attrs) => ({ x: () => varianceBackward(dy, x, attrs) }),
  cases: varianceCases,
});

const stdOp = defineOp({
  name: 'std',
  inputs: ['x'],
  forward: ({ x }, attrs: VarianceAttrs) => {
    const v = varianceOf(x, attrs);
    const out = uninitialized(v.shape, v.dtype, v.device);
    backendOf(x).elementwise.unary(Unary.sqrt, v.storage, out.storage);
    return out;
  },
  vjp: ({ dy, x, y }, attrs) => ({
    x: () => {
      // PyTorch's std_backward: (dy / (2·std)).masked_fill_(std == 0, 0), then var's backward.
      const zero = scalarLike(dy, 0);
      return varianceBackward(where(equal(y.detach(), zero), zero, div(dy, mulScalar(y, 2))), x, attrs);
    },
  }),
  cases: varianceCases,
});

/** The attributes of a variance or std call, after checking its options. */
function attrsOf(fn: string, x: Tensor, dims: number | readonly number[] | null | undefined, options: VarianceOptions): VarianceAttrs {
  checkOptions(fn, options, VARIANCE_OPTIONS);
  assertFloat(fn, 'x', x.dtype);
  const { correction, unbiased, keepdim = false } = options;
  checkBoolean(fn, 'unbiased', unbiased);
  checkBoolean(fn, 'keepdim', keepdim);
  if (correction !== undefined && unbiased !== undefined) {
    throw new ArgumentError(`${fn}: give correction or unbiased, not both (got correction ${String(correction)}, unbiased ${unbiased})`);
  }
  if (correction !== undefined) checkNumber(fn, 'correction', correction, { integer: true });
  return {
    dims: statisticDims(fn, dims ?? undefined, x.ndim),
    keepdim,
    correction: correction ?? (unbiased === false ? 0 : 1),
  };
}

/**
 * The variance over `dims` (one dim or a list; every dim when omitted), Σ (x − mean)² / (n −
 * correction) with correction 1 by default (torch.var).
 */
export function variance(x: Tensor, dims?: number | readonly number[] | null, options: VarianceOptions = {}): Tensor {
  return varianceOp({ x }, attrsOf('variance', x, dims, options));
}

/** The standard deviation over `dims`, √variance (torch.std); options as variance's. */
export function std(x: Tensor, dims?: number | readonly number[] | null, options: VarianceOptions = {}): Tensor {
  return stdOp({ x }, attrsOf('std', x, dims, options));
}
