import type { Tensor } from '../tensor/tensor.js';
import { defineOp } from './registry.js';

// identity(x) = x;  dx = dy. Gives a tracked tensor a new identity on the tape (functional grad).
const identityOp = defineOp({
  name: 'identity',
  inputs: ['x'],
  forward: ({ x }) => x,
  vjp: ({ dy }) => ({ x: () => dy }),
  cases: ({ arb }) => arb.tensorCase({ names: ['x'] }),
});

export function identity(x: Tensor): Tensor {
  return identityOp({ x }, {});
}
