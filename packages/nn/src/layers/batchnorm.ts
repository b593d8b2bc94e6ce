import { ArgumentError, DeviceError, ShapeError, type Tensor, add, batchNorm, batchNormMaxPool2d, checkNumber, checkOptions, ones, optionKeys, zeros } from '@tensorgrad/core';
import { Module } from '../module/module.js';
import { MaxPool2d } from './pooling.js';
import { type ParameterOptions } from './options.js';
import { assertPositiveInt, checkBool, checkFloatDType, checkTensorInput } from '../check.js';

/** Options of `BatchNorm1d` / `BatchNorm2d` (nn.BatchNorm2d's keyword arguments, PyTorch's defaults). */
export interface BatchNormOptions extends Pick<ParameterOptions, 'dtype'> {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running averages; null means a cumulative average (1/numBatchesTracked). */
  momentum?: number | null;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running mean and variance for evaluation (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

const BATCH_NORM_OPTIONS = optionKeys<BatchNormOptions>()(['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);

/**
 * Batch normalisation over dim 1. Training: normalise with the batch's statistics and update
 * the running ones (unbiased variance, as in PyTorch); eval: normalise with the running ones.
 */
abstract class BatchNorm extends Module {
  /** Learnable scale γ [numFeatures] (initialised to 1), or null without affine. */
  readonly weight: Tensor | null;
  /** Learnable shift β [numFeatures] (initialised to 0), or null without affine. */
  readonly bias: Tensor | null;
  /** Running mean [numFeatures] (a buffer), or null without trackRunningStats. */
  readonly runningMean: Tensor | null;
  /** Running unbiased variance [numFeatures] (a buffer), or null without trackRunningStats. */
  readonly runningVar: Tensor | null;
  /**
   * Number of training batches seen (an int32 buffer; PyTorch's int64), or null without
   * trackRunningStats.
   */
  readonly numBatchesTracked: Tensor | null;
  /** As given in the options. */
  readonly eps: number;
  /** As given in the options. */
  readonly momentum: number | null;

  protected abstract readonly ranks: readonly number[];

  constructor(
    /** Channels (dim 1 of the input). */
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    const name = new.target.name;
    checkOptions(name, options, BATCH_NORM_OPTIONS);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    assertPositiveInt(name, 'numFeatures', numFeatures);
    checkNumber(name, 'eps', eps, { min: 0, minExclusive: true });
    checkBool(name, 'affine', affine);
    checkBool(name, 'trackRunningStats', trackRunningStats);
    checkFloatDType(name, dtype);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
      throw new ArgumentError(`${name}: momentum must be in [0, 1] or null, got ${momentum}`);
    }
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.parameter(ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.parameter(zeros([numFeatures], { dtype })) : null;
    this.runningMean = trackRunningStats ? this.buffer(zeros([numFeatures], { dtype })) : null;
    this.runningVar = trackRunningStats ? this.buffer(ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = trackRunningStats ? this.buffer(zeros([], { dtype: 'int32' })) : null;
  }

  forward(x: Tensor): Tensor {
    return this.normalize(x, (options) => batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, options));
  }

  /** Checks x, runs `apply` (batchNorm or a fusion of it) with the options of this step, then counts the batch. */
  protected normalize(x: Tensor, apply: (options: { training: boolean; momentum: number; eps: number }) => Tensor): Tensor {
    const name = this.constructor.name;
    checkTensorInput(name, x);
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      const want = this.ranks.map((r) => `[N, ${this.numFeatures}${', ·'.repeat(r - 2)}]`).join(' or ');
      throw new ShapeError(`${name}: expected input ${want}, got [${x.shape.join(',')}]`);
    }
    const counter = this.training ? this.numBatchesTracked : null;
    // On a GPU the count stays there (reading it would be a synchronous GPU read): fine for a
    // fixed momentum; the cumulative average (momentum null) needs it on the host.
    const onHost = counter === null || counter.device === 'cpu';
    if (!onHost && this.momentum === null) {
      throw new DeviceError(`${name}: momentum null (a cumulative average over numBatchesTracked) needs the batch count on the CPU, but the module is on '${counter!.device}': use a number momentum on a GPU`);
    }
    const batches = counter === null || !onHost ? 0 : counter.data[0]! + 1;
    const momentum = this.momentum ?? (batches > 0 ? 1 / batches : 0);
    const y = apply({ training: this.training || this.runningMean === null, momentum, eps: this.eps });
    // Counted only once the batch was accepted, so a rejected input leaves the module unchanged.
    if (counter !== null && onHost) {
      counter.data[0] = batches;
      counter.markModified();
    } else if (counter !== null) {
      counter.copy_(add(counter, 1));
    }
    return y;
  }
}

/** BatchNorm over [N, C] or [N, C, L] inputs. */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

/** BatchNorm over [N, C, H, W] inputs. */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];

  /**
   * Followed by a MaxPool2d: both as core's batchNormMaxPool2d, which in training never writes batch
   * norm's output (the same bits as the two modules). Not where either module's forward is replaced.
   */
  override invokeWithNext(next: Module<any, any>, x: Tensor): Tensor | undefined {
    if (!(next instanceof MaxPool2d) || next.forward !== MaxPool2d.prototype.forward || this.forward !== BatchNorm.prototype.forward) return undefined;
    return this.normalize(x, (options) => batchNormMaxPool2d(x, this.runningMean, this.runningVar, this.weight, this.bias, options, next.options));
  }
}
