// batchNormMaxPool2d = maxPool2d(batchNorm(x, ...)), bit for bit, as one op: the backend may then
// pool each chunk of normalized planes while it is in cache and never write batch norm's output (a
// [128,32,28,28] layer of the default Fashion-MNIST model: 12.8 MB written and read again per step,
// on the calling thread). normalizeMaxPool2d with the batch's statistics (training),
// normalizeWithStatsMaxPool2d with the running ones (eval); where a dtype differs from x's, the two ops.
// VJP of the fused op normalizeMaxPool2d: g = max pooling's gradient (a scatter to the argmax),
// then normalize's, from the same sums S = [Σg; Σg·x̂]: dx = normalizeBackward(g, x, S),
// dw = S₁, db = S₀. All are registered ops, so the second order works too.
import { vjp as pullbackOf } from '../../autograd/grad.js';
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { passingOffer, reusesGradientStorage } from '../../autograd/gradient-reuse.js';
import { backendOf } from '../../backend/index.js';
import { type PoolWindows, isPairWindows, slidingWindows } from '../../backend/window.js';
import { ShapeError, formatShape } from '../../errors.js';
import { checkOptions, optionKeys } from '../../options.js';
import { uninitialized } from '../../tensor/creation.js';
import type { KernelArray } from '../../tensor/device.js';
import type { Tensor } from '../../tensor/tensor.js';
import { normalizedWithGivenStats, runMomentsOf } from '../conv/output-moments.js';
import { poolCases } from '../pool/cases.js';
import { maxPool2d, maxPoolOver } from '../pool/max-pool.js';
import { planeScatterAdd } from '../pool/plane-index.js';
import { type SlidingPoolAttrs, planesOf, pooledShape, slidingGeometry } from '../pool/windows.js';
import { reshape } from '../shape/reshape.js';
import { sliceBox } from '../shape/slice.js';
import { type BatchNormOptions, batchNorm, checkBatchNorm, updateRunning } from './batch-norm.js';
import { type NormalizeAttrs, emptyStats, layout, normalizeBackward, normalizeSums, rememberStats, statsOf } from './normalize.js';
import { normalizeWithStats } from './normalize-with-stats.js';

const OP = 'batchNormMaxPool2d';

interface NormalizeMaxPoolAttrs extends NormalizeAttrs {
  windows: PoolWindows;
}

const normalizeMaxPoolOp = defineOp({
  name: 'normalizeMaxPool2d',
  inputs: ['x', 'weight?', 'bias?'],
  forward: ({ x, weight, bias }, attrs: NormalizeMaxPoolAttrs, ctx: { save(v: KernelArray): void }) => {
    const [outer, groups, inner] = layout(x, attrs);
    const backend = backendOf(x);
    const y = uninitialized(pooledShape(x, attrs.windows), x.dtype, x.device);
    const argmax = backend.storage.allocate('int32', y.size, false);
    const stats = emptyStats(x, groups, outer * inner);
    const norm = [x.storage, outer, groups, inner, weight?.storage ?? null, bias?.storage ?? null, attrs.eps] as const;
    const runMoments = runMomentsOf(x, outer * groups);
    if (!backend.norm.normalizeMaxPool?.(...norm, stats.mean, stats.variance, attrs.windows, y.storage, argmax, runMoments)) {
      const normalized = uninitialized(x.shape, x.dtype, x.device);
      backend.norm.normalize(...norm, normalized.storage, stats.mean, stats.variance, runMoments);
      backend.pool.maxPool(normalized.storage, outer * groups, attrs.windows, y.storage, argmax);
    }
    rememberStats(x, y, stats, attrs);
    ctx.save(argmax);
    return y;
  },
  vjp: ({ dy, x, weight, saved }, attrs) => {
    let g: Tensor | null = null;
    let sums: Tensor | null = null;
    const G = (): Tensor => (g ??= planeScatterAdd(dy, { index: saved, inShape: [...x.shape], outShape: [...dy.shape], pairs: isPairWindows(attrs.windows) }));
    const S = (): Tensor => (sums ??= normalizeSums(G(), x, attrs));
    const row = (r: number): Tensor => reshape(sliceBox(S(), [r, 0], [1, S().shape[1]!]), [S().shape[1]!]);
    return {
      // g is this VJP's own: normalize's backward may write dx over it, as it does over its dy unfused.
      x: () => passingOffer(G(), () => normalizeBackward(G(), x, S(), weight, attrs)),
      weight: () => row(1),
      bias: () => row(0),
    };
  },
  cases: (tools) => fusedCases(tools),
});

// Registered for reuse, so that the walk tells the VJP whether it reuses storage (passingOffer).
reusesGradientStorage(normalizeMaxPoolOp);

// maxPool2d(normalizeWithStats(x, mean, variance, weight, bias)): batch norm in eval mode, pooled.
// Its VJP is the pullback of those two ops, recomputed: gradients through eval-mode batch norm are
// rare (frozen statistics), and the forward is what inference and validation run.
const normalizeWithStatsMaxPoolOp = defineOp({
  name: 'normalizeWithStatsMaxPool2d',
  inputs: ['x', 'mean', 'variance', 'weight?', 'bias?'],
  forward: ({ x, mean, variance, weight, bias }, attrs: NormalizeMaxPoolAttrs) => {
    const [outer, groups, inner] = layout(x, attrs);
    const backend = backendOf(x);
    const y = uninitialized(pooledShape(x, attrs.windows), x.dtype, x.device);
    const argmax = backend.storage.allocate('int32', y.size, false);
    const given = [mean.storage, variance.storage, weight?.storage ?? null, bias?.storage ?? null, attrs.eps] as const;
    normalizedWithGivenStats(x);
    if (!backend.norm.normalizeWithStatsMaxPool?.(x.storage, outer, groups, inner, ...given, attrs.windows, y.storage, argmax)) {
      const normalized = uninitialized(x.shape, x.dtype, x.device);
      backend.norm.normalizeWithStats(x.storage, outer, groups, inner, ...given, normalized.storage);
      backend.pool.maxPool(normalized.storage, outer * groups, attrs.windows, y.storage, argmax);
    }
    return y;
  },
  vjp: ({ dy, x, mean, variance, weight, bias }, attrs) => {
    const present = [x, mean, variance, weight, bias].filter((t): t is Tensor => t !== null);
    const composed = (...t: Tensor[]): Tensor => {
      const [x2, m2, v2] = t as [Tensor, Tensor, Tensor];
      let k = 3;
      const w2 = weight ? t[k++]! : null;
      const b2 = bias ? t[k]! : null;
      return maxPoolOver(normalizeWithStats(x2, m2, v2, w2, b2, attrs), attrs.windows);
    };
    let grads: Tensor[] | null = null;
    const pulled = (): Tensor[] => (grads ??= pullbackOf(composed, ...present)[1](dy));
    const at = (t: Tensor | null): (() => Tensor) => () => pulled()[present.indexOf(t!)]!;
    return { x: at(x), mean: at(mean), variance: at(variance), weight: at(weight), bias: at(bias) };
  },
  cases: (tools) =>
    fusedCases(tools).chain(({ inputs, attrs }) => {
      const g = [inputs.x.shape[1]!];
      return tools.fc.record({
        inputs: tools.fc.record({
          x: tools.fc.constant(inputs.x), weight: tools.fc.constant(inputs.weight), bias: tools.fc.constant(inputs.bias),
          mean: tools.arb.tensorOfShape(g),
          // A variance, so positive (as normalizeWithStats's cases).
          variance: tools.arb.tensorOfShape(g, { min: 0.2, max: 2 }),
        }),
        attrs: tools.fc.constant(attrs),
      });
    }),
});

/** x [N, C, H, W] with distinct values (the argmax survives finite-difference steps), pooling windows, weight and bias away from 0. */
function fusedCases(tools: CaseTools) {
  const { fc, arb } = tools;
  return poolCases(tools, { dilation: true })
    .filter(({ x }) => x.ndim === 4 && x.size / x.shape[1]! >= 2)
    .chain(({ x, windows }) => {
      const affine = fc.option(arb.tensorOfShape([x.shape[1]!], { min: 0.5, max: 2 }), { nil: null });
      return fc.record({
        inputs: fc.record({ x: fc.constant(x), weight: affine, bias: fc.option(arb.tensorOfShape([x.shape[1]!]), { nil: null }) }),
        attrs: fc.record({ groupStart: fc.constant(1), groupEnd: fc.constant(2), eps: fc.double({ min: 1e-5, max: 0.1, noNaN: true }), windows: fc.constant(windows) }),
      });
    });
}

/** Options of `batchNormMaxPool2d`'s pooling: maxPool2d's, without returnIndices. */
export type BatchNormMaxPoolOptions = SlidingPoolAttrs;
const POOL_OPTIONS = optionKeys<BatchNormMaxPoolOptions>()(['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode']);

/**
 * maxPool2d(batchNorm(x, runningMean, runningVar, weight, bias, options), poolOptions) for x
 * [N, C, H, W]: the same values, gradients and running statistics bit for bit, as one op in
 * training and in eval mode (two where a tensor's dtype differs from x's).
 */
export function batchNormMaxPool2d(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  options: BatchNormOptions,
  poolOptions: BatchNormMaxPoolOptions,
): Tensor {
  const { training, momentum, eps } = checkBatchNorm(OP, x, runningMean, runningVar, weight, bias, options);
  checkOptions(OP, poolOptions, POOL_OPTIONS);
  if (x.ndim !== 4) throw new ShapeError(`${OP}: x must be 4-D [N, C, H, W], got ${x.ndim}-D ${formatShape(x.shape)}`);
  const { inH, inW } = planesOf(OP, x);
  const windows = slidingWindows(slidingGeometry(OP, inH, inW, poolOptions));
  const attrs = { groupStart: 1, groupEnd: 2, eps, windows };
  const batchStats = training || runningMean === null || runningVar === null;
  if (x.size === 0 || [runningMean, runningVar, weight, bias].some((t) => t !== null && t.dtype !== x.dtype)) {
    return maxPool2d(batchNorm(x, runningMean, runningVar, weight, bias, options), poolOptions);
  }
  if (!batchStats) return normalizeWithStatsMaxPoolOp({ x, mean: runningMean.detach(), variance: runningVar.detach(), weight, bias }, attrs);
  const y = normalizeMaxPoolOp({ x, weight, bias }, attrs);
  if (training && runningMean !== null && runningVar !== null) updateRunning(runningMean, runningVar, statsOf.get(y)!, momentum);
  return y;
}
