// instanceNorm (PyTorch's instance_norm): each (sample, channel) of x [N, C, *] normalised over
// its positions, then scaled and shifted per channel. With the input's statistics it is
// groupNorm with one group per channel; with useInputStats false it normalises with the running
// statistics, as batchNorm in eval mode. Running statistics are updated as PyTorch does: every
// sample updates its own copy (unbiased variance), and the copies are averaged over the batch.
import { noGrad } from '../../autograd/mode.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkBoolean, checkNumber, checkOptions, optionKeys } from '../../options.js';
import { uninitialized } from '../../tensor/creation.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensorOption } from '../loss/reduction.js';
import { mean } from '../reduce/mean.js';
import { batchNorm } from './batch-norm.js';
import { checkChannelsInput, checkPerChannel, groupNormUnchecked } from './group-norm.js';
import { type GroupStats, statsOf } from './normalize.js';

/** Options of `instanceNorm` (F.instance_norm's arguments after x). */
export interface InstanceNormOptions {
  /** Running mean [C], updated in place when useInputStats is true; read when it is false. */
  runningMean?: Tensor | null;
  /** Running (unbiased) variance [C], as runningMean. */
  runningVar?: Tensor | null;
  /** Per-channel scale [C]. */
  weight?: Tensor | null;
  /** Per-channel shift [C]. */
  bias?: Tensor | null;
  /** Normalise with each instance's own statistics (default true) or with the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}
const INSTANCE_NORM_OPTIONS = optionKeys<InstanceNormOptions>()(['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps']);

export function instanceNorm(x: Tensor, options: InstanceNormOptions = {}): Tensor {
  checkOptions('instanceNorm', options, INSTANCE_NORM_OPTIONS);
  for (const name of ['runningMean', 'runningVar', 'weight', 'bias'] as const) checkTensorOption('instanceNorm', name, options[name]);
  const { runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true, momentum = 0.1, eps = 1e-5 } = options;
  checkBoolean('instanceNorm', 'useInputStats', useInputStats);
  checkNumber('instanceNorm', 'momentum', momentum, { min: 0, max: 1 });
  checkNumber('instanceNorm', 'eps', eps, { min: 0, minExclusive: true });
  checkChannelsInput('instanceNorm', x);
  checkPerChannel('instanceNorm', 'runningMean', runningMean, x);
  checkPerChannel('instanceNorm', 'runningVar', runningVar, x);
  checkPerChannel('instanceNorm', 'weight', weight, x);
  checkPerChannel('instanceNorm', 'bias', bias, x);
  if ((runningMean === null) !== (runningVar === null)) throw new ArgumentError('instanceNorm: give both runningMean and runningVar, or neither');
  if (!useInputStats) {
    if (runningMean === null || runningVar === null) {
      throw new ArgumentError('instanceNorm: useInputStats false normalises with runningMean and runningVar, but none were given');
    }
    return batchNorm(x, runningMean, runningVar, weight, bias, { training: false, eps });
  }
  // PyTorch's check (_verify_spatial_size).
  if (sizeOf(x.shape.slice(2)) === 1) {
    throw new ShapeError(`instanceNorm: expected more than 1 spatial element when using the input's statistics, got x ${formatShape(x.shape)}`);
  }
  const y = groupNormUnchecked(x, x.shape[1]!, weight, bias, eps);
  if (runningMean !== null && runningVar !== null) updateRunning(runningMean, runningVar, statsOf.get(y)!, x.shape[0]!, momentum);
  return y;
}

/** running = mean over the batch of (1 − momentum)·running + momentum·(the sample's statistic). */
function updateRunning(runningMean: Tensor, runningVar: Tensor, stats: GroupStats, n: number, momentum: number): void {
  const c = runningMean.size;
  const backend = backendOf(runningMean);
  const [meanCopies, varCopies] = [runningMean, runningVar].map((r) => {
    const copies = uninitialized([n, c], r.dtype, r.device);
    backend.copy.broadcast(r.storage, [1, c], copies.storage, [n, c]);
    return copies;
  }) as [Tensor, Tensor];
  backend.norm.updateRunningStats(meanCopies.storage, varCopies.storage, stats.mean, stats.variance, momentum, stats.count / (stats.count - 1));
  noGrad(() => {
    for (const [running, copies] of [[runningMean, meanCopies], [runningVar, varCopies]] as const) {
      backend.copy.convert(mean(copies, [0]).storage, running.storage);
      running.markModified();
    }
  });
}
