// A user-defined op: softsign(x) = x / (1 + |x|);  dx = dy / (1 + |x|)².
// The forward is a plain loop over the typed array; the VJP is written with differentiable
// core ops, so second derivatives come for free.
import { type Tensor, Tensor as TensorClass, abs, add, defineOp, div, mul, tensor } from '@tensorgrad/core';

export const softsignOp = defineOp({
  name: 'example.softsign',
  inputs: ['x'],
  forward: ({ x }) => {
    const out = new (x.data.constructor as Float64ArrayConstructor)(x.size);
    for (let i = 0; i < x.size; i++) out[i] = x.data[i]! / (1 + Math.abs(x.data[i]!));
    return new TensorClass(out, x.shape);
  },
  vjp: ({ dy, x }) => ({
    x: () => {
      const denom = add(abs(x), tensor(1, { dtype: x.dtype }));
      return div(dy, mul(denom, denom));
    },
  }),
  // Random valid inputs for gradient checks (values kept away from the kink of |x| at 0).
  cases: ({ arb }) => arb.tensorCase({ names: ['x'], awayFrom: [0], min: -3, max: 3 }),
});

export function softsign(x: Tensor): Tensor {
  return softsignOp({ x }, {});
}
