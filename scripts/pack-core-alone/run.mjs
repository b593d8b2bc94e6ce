// Runs in a project that has @tensorgrad/core but not fast-check: the main entry must load
// and differentiate without the testing entry's optional peer dependency.
import { grad, relu, sum, tensor } from '@tensorgrad/core';

const g = grad((t) => sum(relu(t)))(tensor([-1, 2, 3], { dtype: 'float64' }));
if (g.toArray().join() !== '0,1,1') throw new Error(`wrong gradient ${g.toArray()}`);
console.log('core alone: loads and differentiates without fast-check');
