// batchNorm: y = x̂·w + b with x̂ normalised per channel (dim 1), fused into one normalize pass. Training uses the batch's
// statistics and updates the running ones in place (biased variance to normalise, unbiased
// for the running average, as PyTorch); eval uses the running statistics, in one pass too.
import { noGrad } from '../../autograd/mode.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, ShapeError, formatShape, DeviceError } from '../../errors.js';
import { checkBoolean, checkNumber, checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, addScalar, mul, pow, scalarLike, sub } from '../elementwise/arithmetic.js';
import { reshape } from '../shape/reshape.js';
import { type GroupStats, normalize, statsOf } from './normalize.js';
import { normalizeWithStats } from './normalize-with-stats.js';

/** Options of `batchNorm` (F.batch_norm's). */
export interface BatchNormOptions {
  /** Batch statistics and running-average updates (true) or running statistics (false). Default false. */
  training?: boolean;
  /** Weight of the new batch statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}
const BATCH_NORM_OPTIONS = optionKeys<BatchNormOptions>()(['training', 'momentum', 'eps']);

function checkPerChannel(fn: string, name: string, t: Tensor | null, c: number, x: Tensor): void {
  if (t === null) return;
  assertFloat(fn, name, t.dtype);
  if (t.device !== x.device) throw new DeviceError(`${fn}: ${name} is on '${t.device}' but x is on '${x.device}'`);
  if (t.ndim !== 1 || t.shape[0] !== c) {
    throw new ShapeError(`${fn}: ${name} must have shape [${c}] (one per channel of x ${formatShape(x.shape)}), got ${formatShape(t.shape)}`);
  }
}

/** batchNorm's arguments checked (errors name fn), its options with their defaults. */
export function checkBatchNorm(
  fn: string, x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, options: BatchNormOptions,
): Required<BatchNormOptions> {
  checkOptions(fn, options, BATCH_NORM_OPTIONS);
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  checkBoolean(fn, 'training', training);
  checkNumber(fn, 'momentum', momentum, { min: 0, max: 1 });
  checkNumber(fn, 'eps', eps, { min: 0, minExclusive: true });
  assertFloat(fn, 'x', x.dtype);
  if (x.ndim < 2) throw new ShapeError(`${fn}: x must be at least 2-D [N, C, ...], got ${formatShape(x.shape)}`);
  const c = x.shape[1]!;
  checkPerChannel(fn, 'runningMean', runningMean, c, x);
  checkPerChannel(fn, 'runningVar', runningVar, c, x);
  checkPerChannel(fn, 'weight', weight, c, x);
  checkPerChannel(fn, 'bias', bias, c, x);
  if ((runningMean === null) !== (runningVar === null)) throw new ArgumentError(`${fn}: give both runningMean and runningVar, or neither`);
  if (training && x.size / c <= 1) {
    throw new ShapeError(`${fn}: expected more than 1 value per channel when training, got x ${formatShape(x.shape)}`);
  }
  return { training, momentum, eps };
}

export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  options: BatchNormOptions = {},
): Tensor {
  const { training, momentum, eps } = checkBatchNorm('batchNorm', x, runningMean, runningVar, weight, bias, options);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  if (training || runningMean === null || runningVar === null) {
    // weight and bias are fused into normalize (one pass) unless a dtype differs from x's.
    const fw = (weight === null || weight.dtype === x.dtype) && (bias === null || bias.dtype === x.dtype);
    const y = normalize(x, { groupStart: 1, groupEnd: 2, eps }, fw ? weight : null, fw ? bias : null);
    if (training && runningMean !== null && runningVar !== null) {
      updateRunning(runningMean, runningVar, statsOf.get(y)!, momentum);
    }
    return fw ? y : affine(y, weight, bias, perChannel);
  }
  // The running statistics in one pass (normalize's formula); the broadcast ops below only when a dtype differs from x's.
  if ([runningMean, runningVar, weight, bias].every((t) => t === null || t.dtype === x.dtype)) {
    return normalizeWithStats(x, runningMean.detach(), runningVar.detach(), weight, bias, { groupStart: 1, groupEnd: 2, eps });
  }
  const invstd = noGrad(() => pow(addScalar(runningVar, eps), scalarLike(runningVar, -0.5)));
  return affine(mul(sub(x, reshape(runningMean.detach(), perChannel)), reshape(invstd, perChannel)), weight, bias, perChannel);
}

function affine(xhat: Tensor, weight: Tensor | null, bias: Tensor | null, perChannel: number[]): Tensor {
  const scaled = weight === null ? xhat : mul(xhat, reshape(weight, perChannel));
  return bias === null ? scaled : add(scaled, reshape(bias, perChannel));
}

/** Folds a batch's statistics into the running ones (in place), as PyTorch: the unbiased variance. */
export function updateRunning(runningMean: Tensor, runningVar: Tensor, stats: GroupStats, momentum: number): void {
  const unbiased = stats.count / (stats.count - 1);
  backendOf(runningMean).norm.updateRunningStats(runningMean.storage, runningVar.storage, stats.mean, stats.variance, momentum, unbiased);
  runningMean.markModified();
  runningVar.markModified();
}
