// Type-checked (skipLibCheck off) in a project that has @tensorgrad/core but not fast-check:
// the main entry's declarations, the op registry's included, must not need fast-check.
import { type OpDef, type Tensor, conv2d, getOp, grad, listOps, randn, relu, sum, tensor } from '@tensorgrad/core';

const x: Tensor = tensor([[1, -2], [3, 4]], { dtype: 'float64' });
const g: Tensor = grad((t: Tensor) => sum(relu(t)))(x);
const y: Tensor = conv2d(randn([1, 1, 4, 4]), randn([2, 1, 3, 3]), null, { padding: 1 });
const ops: OpDef[] = listOps();
const reluInputs: string[] = getOp('relu').inputs.map((i) => i.name);
void [g, y, ops, reluInputs];
