// localResponseNorm (AlexNet), as PyTorch defines it:
// y_c = x_c / (k + α/size · Σ_{c' = c − ⌊size/2⌋}^{c + ⌊(size−1)/2⌋} x_{c'}²)^β
// built from channelWindowSum, a registered linear op whose VJP is the mirrored window sum.
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addScalar, mul, mulScalar, pow, scalarLike } from '../elementwise/arithmetic.js';

interface WindowAttrs {
  /** Channels summed before and after each channel (clipped at the ends). */
  before: number;
  after: number;
}

// y[n, c] = Σ_{c' ∈ [c − before, c + after]} x[n, c'];  dx = the same sum with before and after swapped
const channelWindowSumOp = defineOp({
  name: 'channelWindowSum',
  inputs: ['x'],
  forward: ({ x }, { before, after }: WindowAttrs) => {
    const channels = x.shape[1]!;
    const inner = sizeOf(x.shape.slice(2));
    const outer = x.shape[0]!;
    const y = zeroFilled(x.shape, x.dtype, x.device);
    backendOf(x).norm.channelWindowSum(x.storage, outer, channels, inner, before, after, y.storage);
    return y;
  },
  vjp: ({ dy }, { before, after }) => ({ x: () => channelWindowSum(dy, { before: after, after: before }) }),
  cases: ({ fc, arb }: CaseTools) =>
    fc.record({
      inputs: fc.record({ x: arb.tensor({ shape: arb.shape({ rank: [2, 4], maxDim: 4 }) }) }),
      attrs: fc.record({ before: fc.integer({ min: 0, max: 3 }), after: fc.integer({ min: 0, max: 3 }) }),
    }),
});

function channelWindowSum(x: Tensor, attrs: WindowAttrs): Tensor {
  return channelWindowSumOp({ x }, attrs);
}

/** Options of `localResponseNorm` (F.local_response_norm's; PyTorch's defaults). */
export interface LocalResponseNormOptions {
  /** Scale of the squared-sum term, divided by size (default 1e-4). */
  alpha?: number;
  /** Exponent of the denominator (default 0.75). */
  beta?: number;
  /** Additive constant of the denominator (default 1). */
  k?: number;
}
const LOCAL_RESPONSE_NORM_OPTIONS = optionKeys<LocalResponseNormOptions>()(['alpha', 'beta', 'k']);

export function localResponseNorm(x: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  checkOptions('localResponseNorm', options, LOCAL_RESPONSE_NORM_OPTIONS);
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
  for (const [name, v] of [['alpha', alpha], ['beta', beta], ['k', k]] as const) checkNumber('localResponseNorm', name, v);
  assertFloat('localResponseNorm', 'x', x.dtype);
  if (x.ndim < 3) throw new ShapeError(`localResponseNorm: x must be at least 3-D [N, C, ...], got ${formatShape(x.shape)}`);
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`localResponseNorm: size must be a positive integer, got ${size}`);
  const sums = channelWindowSum(mul(x, x), { before: size >> 1, after: (size - 1) >> 1 });
  const denom = addScalar(mulScalar(sums, alpha / size), k);
  return mul(x, pow(denom, scalarLike(denom, -beta)));
}
