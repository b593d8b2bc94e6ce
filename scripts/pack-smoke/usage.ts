import { type Tensor, tensor, valueAndGrad, matmul, sum } from '@tensorgrad/core';
import { checkGrads, arb } from '@tensorgrad/core/testing';

const w: Tensor = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
const [value, g] = valueAndGrad((a: Tensor) => sum(matmul(a, a)))(w);
const n: number = value.item() + g.shape[0]!;
checkGrads((a) => matmul(a, a), [w], { order: 2 });
void arb.shape({ rank: 2 });
void n;
