import { tensor, grad, mul, sum } from '@tensorgrad/core';
import { checkGrads } from '@tensorgrad/core/testing';

const x = tensor([1, 2, 3], { dtype: 'float64' });
const g = grad((t) => sum(mul(t, t)))(x);
const expected = [2, 4, 6];
if (g.toArray().some((v, i) => v !== expected[i])) throw new Error(`wrong gradient ${g.toArray()}`);
checkGrads((t) => mul(t, t), [x]);
console.log('smoke: d/dx sum(x^2) =', g.toArray());
