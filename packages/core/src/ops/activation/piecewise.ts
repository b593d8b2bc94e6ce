// Piecewise activations. Their derivative factors (masks, slopes) are piecewise constant and
// enter the VJPs as plain tensors; elu's curved side uses its output, so 2nd order works.
import { defineOp } from '../../autograd/registry.js';
import { outputOver, reusesGradientStorage } from '../../autograd/gradient-reuse.js';
import { uninitialized } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { add, addScalar, mul } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { floatUnary, pointwise, unaryForward, writeOver } from '../elementwise/define.js';

// relu(x) = max(x, 0);  dx = reluGrad(dy, x) = dy·[x > 0]. Applied in place (relu_) x is gone, so
// the VJP reads y instead: [y > 0] is the same mask (y > 0 exactly where x > 0; NaN and ±0 give
// false either way). Out of place it keeps reading x: with y there, the WebGPU memory test's
// training loop (webgpu/memory.test.ts) created a few buffers after warm-up in some runs.
const reluOp = defineOp<readonly ['x'], Record<string, never>, boolean>({
  name: 'relu',
  inputs: ['x'],
  inPlace: 'x',
  forward: ({ x }, _attrs, ctx) => {
    ctx.save(ctx.into !== undefined);
    assertFloat('relu', 'x', x.dtype);
    if (ctx.into !== undefined) return writeOver(x, (y) => backendOf(x).elementwise.relu(x.storage, y.storage));
    const y = uninitialized(x.shape, x.dtype, x.device);
    backendOf(x).elementwise.relu(x.storage, y.storage);
    return y;
  },
  vjp: (args) => ({ x: () => reluGrad(args.dy, args.saved ? args.y : args.x) }),
  cases: unaryCases({ awayFrom: [0] }),
});

// One fused pass for relu's hot backward. Linear in g, so its VJP is itself; the mask [x > 0] is
// piecewise constant, so x gets no gradient (declared).
const reluGradOp = defineOp({
  name: 'reluGrad',
  inputs: ['g', 'x'],
  nondifferentiable: ['x'],
  forward: ({ g, x }) => {
    // Over g itself when relu's backward offers it (gradient-reuse.ts): each element is read before it is written.
    const y = outputOver(g, g.shape, g.dtype);
    backendOf(g).elementwise.reluGrad(g.storage, x.storage, y.storage);
    return y;
  },
  vjp: ({ dy, x }) => ({ g: () => reluGrad(dy, x) }),
  cases: ({ fc, arb }) =>
    arb.shape().chain((shape) => fc.record({ inputs: fc.record({ g: arb.tensorOfShape(shape), x: arb.tensorOfShape(shape) }), attrs: fc.constant({}) })),
});

// relu's VJP reads dy once, in reluGrad.
reusesGradientStorage(reluOp);

function reluGrad(g: Tensor, x: Tensor): Tensor {
  return reluGradOp({ g, x }, {});
}

// relu6(x) = min(max(x, 0), 6);  dx = dy·[0 < x < 6]. NaN and -0 pass through (PyTorch's hardtanh).
const relu6Op = defineOp({
  name: 'relu6',
  inputs: ['x'],
  forward: unaryForward('relu6', Unary.relu6),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, pointwise(x, Unary.relu6Pass)) }),
  cases: unaryCases({ min: -2, max: 8, awayFrom: [0, 6] }),
});

interface SlopeAttrs {
  negativeSlope: number;
}

// leakyRelu(x) = x for x > 0, s·x otherwise;  dx = dy·(x > 0 ? 1 : s)
const leakyReluOp = defineOp({
  name: 'leakyRelu',
  inputs: ['x'],
  forward: ({ x }, { negativeSlope }: SlopeAttrs) => floatUnary('leakyRelu', x, Unary.leakyRelu, negativeSlope),
  vjp: ({ dy, x }, { negativeSlope }) => ({ x: () => mul(dy, pointwise(x, Unary.leakyReluSlope, negativeSlope)) }),
  cases: (tools) =>
    tools.fc.record({
      inputs: tools.fc.record({ x: tools.arb.tensor({ awayFrom: [0] }) }),
      attrs: tools.fc.record({ negativeSlope: tools.fc.double({ min: -1, max: 1, noNaN: true }) }),
    }),
});

interface AlphaAttrs {
  alpha: number;
}

// elu(x) = x for x > 0, α(eˣ − 1) otherwise;  dx = dy·(x > 0 ? 1 : y + α)
const eluOp = defineOp({
  name: 'elu',
  inputs: ['x'],
  forward: ({ x }, { alpha }: AlphaAttrs) => floatUnary('elu', x, Unary.elu, alpha),
  vjp: ({ dy, x, y }, { alpha }) => ({
    x: () => mul(dy, add(pointwise(x, Unary.positive), mul(pointwise(x, Unary.notPositive), addScalar(y, alpha)))),
  }),
  cases: (tools) =>
    tools.fc.record({
      inputs: tools.fc.record({ x: tools.arb.tensor({ awayFrom: [0] }) }),
      attrs: tools.fc.record({ alpha: tools.fc.double({ min: 0.1, max: 2, noNaN: true }) }),
    }),
});

export const relu = (x: Tensor): Tensor => reluOp({ x }, {});
/** relu over x's own storage (PyTorch's relu_); returns x (see applyOpInPlace). */
export const relu_ = (x: Tensor): Tensor => reluOp.applyInPlace({ x }, {});
export const relu6 = (x: Tensor): Tensor => relu6Op({ x }, {});
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor => leakyReluOp({ x }, { negativeSlope });
export const elu = (x: Tensor, alpha = 1): Tensor => eluOp({ x }, { alpha });
