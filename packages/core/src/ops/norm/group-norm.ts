// groupNorm (PyTorch's group_norm): the C channels of x [N, C, *] form G groups of C/G; each
// (sample, group) is normalised over its channels and positions, then scaled and shifted per
// channel:  y = x̂·w[c] + b[c],  x̂ = normalize(x viewed as [N, G, C/G·S]) (groups = dims 0..2).
// VJP, with g = dy·w[c] and sums over every dim but 1:
//   dx = normalize's input gradient for g (normalizeSums, normalizeBackward),  dw = Σ dy·x̂,  db = Σ dy.
// instanceNorm with the input's statistics is groupNorm with G = C.
import { isGradEnabled } from '../../autograd/mode.js';
import { defineOp } from '../../autograd/registry.js';
import { DTypeError, ShapeError, formatShape } from '../../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { type NormalizeAttrs, normalize, normalizeBackward, normalizeSums, statsOf } from './normalize.js';
import { groupNormCases } from './cases.js';

export interface GroupNormAttrs {
  groups: number;
  eps: number;
}

/** Options of `groupNorm` (F.group_norm's). */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}
const GROUP_NORM_OPTIONS = optionKeys<GroupNormOptions>()(['eps']);

/** x as normalize sees it: [N, G, C/G·S], one normalize group per (sample, group). */
const groupView = (x: Tensor, groups: number): number[] => [x.shape[0]!, groups, sizeOf(x.shape) / (x.shape[0]! * groups) || 0];
const VIEW_GROUPS = { groupStart: 0, groupEnd: 2 } as const;
const normalizeAttrs = (eps: number): NormalizeAttrs => ({ ...VIEW_GROUPS, eps });
/** [1, C, 1, ...]: a per-channel tensor broadcast against x. */
const perChannel = (x: Tensor): number[] => x.shape.map((d, i) => (i === 1 ? d : 1));
/** Every dim of x but the channel dim (the sums of the per-channel gradients). */
const allButChannel = (x: Tensor): number[] => x.shape.flatMap((_, i) => (i === 1 ? [] : [i]));

function affine(xhat: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  const scaled = weight === null ? xhat : mul(xhat, reshape(weight, perChannel(xhat)));
  return bias === null ? scaled : add(scaled, reshape(bias, perChannel(xhat)));
}

interface Saved {
  /** The view of x that forward normalised (normalize keeps its statistics for that tensor). */
  view: Tensor;
  /** x̂, shaped as x. */
  xhat: Tensor;
}

const groupNormOp = defineOp({
  name: 'groupNorm',
  inputs: ['x', 'weight?', 'bias?'],
  forward: ({ x, weight, bias }, { groups, eps }: GroupNormAttrs, ctx: { save(v: Saved): void }) => {
    const view = reshape(x, groupView(x, groups));
    const xhat3 = normalize(view, normalizeAttrs(eps));
    const xhat = reshape(xhat3, x.shape);
    const y = affine(xhat, weight, bias);
    ctx.save({ view, xhat });
    // The per-(sample, group) statistics, for instanceNorm's running averages.
    statsOf.set(y, statsOf.get(xhat3)!);
    return y;
  },
  vjp: ({ dy, x, weight, saved }, { groups, eps }) => {
    const { view: forwardView, xhat: forwardXhat } = saved;
    // Under createGraph the gradients must be functions of x, so the view and x̂ are taken again
    // with ops; otherwise forward's serve (no second pass over x for the statistics or x̂).
    const graph = isGradEnabled();
    const view = graph ? reshape(x, groupView(x, groups)) : forwardView;
    const attrs = normalizeAttrs(eps);
    return {
      x: () => {
        const g = reshape(weight === null ? dy : mul(dy, reshape(weight, perChannel(x))), view.shape);
        return reshape(normalizeBackward(g, view, normalizeSums(g, view, attrs), null, attrs), x.shape);
      },
      weight: () => sum(mul(dy, graph ? reshape(normalize(view, attrs), x.shape) : forwardXhat), allButChannel(x)),
      bias: () => sum(dy, allButChannel(x)),
    };
  },
  cases: groupNormCases,
});

/** Checks a per-channel argument of a normalisation: a float tensor [C] of x's dtype. */
export function checkPerChannel(fn: string, name: string, t: Tensor | null, x: Tensor): void {
  if (t === null) return;
  const c = x.shape[1]!;
  assertFloat(fn, name, t.dtype);
  if (t.ndim !== 1 || t.shape[0] !== c) {
    throw new ShapeError(`${fn}: ${name} must have shape [${c}] (one per channel of x ${formatShape(x.shape)}), got ${formatShape(t.shape)}`);
  }
  if (t.dtype !== x.dtype) throw new DTypeError(`${fn}: ${name} must have x's dtype ${x.dtype}, got ${t.dtype}`);
}

/** x [N, C, ...] must be a float tensor of rank ≥ 2. */
export function checkChannelsInput(fn: string, x: Tensor): void {
  assertFloat(fn, 'x', x.dtype);
  if (x.ndim < 2) throw new ShapeError(`${fn}: x must be at least 2-D [N, C, ...], got ${formatShape(x.shape)}`);
}

/** groupNorm without argument checks (instanceNorm's path; the caller checked). */
export function groupNormUnchecked(x: Tensor, groups: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  return groupNormOp({ x, weight, bias }, { groups, eps });
}

/**
 * Group normalisation (PyTorch's group_norm): x [N, C, *] with C divisible by numGroups;
 * weight and bias [C] (optional) scale and shift each channel after normalising.
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, options: GroupNormOptions = {}): Tensor {
  checkOptions('groupNorm', options, GROUP_NORM_OPTIONS);
  const { eps = 1e-5 } = options;
  checkNumber('groupNorm', 'eps', eps, { min: 0, minExclusive: true });
  checkChannelsInput('groupNorm', x);
  checkNumber('groupNorm', 'numGroups', numGroups, { min: 1, integer: true });
  const c = x.shape[1]!;
  if (c % numGroups !== 0) {
    throw new ShapeError(`groupNorm: the ${c} channels of x ${formatShape(x.shape)} must split evenly into numGroups = ${numGroups} groups`);
  }
  checkPerChannel('groupNorm', 'weight', weight, x);
  checkPerChannel('groupNorm', 'bias', bias, x);
  // PyTorch's check (_verify_batch_size on x viewed as [N·C/G, G, *]): a single value per group in all.
  if ((x.shape[0]! * c) / numGroups * sizeOf(x.shape.slice(2)) === 1) {
    throw new ShapeError(`groupNorm: expected more than 1 value per group, got x ${formatShape(x.shape)} with numGroups = ${numGroups}`);
  }
  return groupNormUnchecked(x, numGroups, weight, bias, eps);
}
