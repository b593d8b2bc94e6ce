import { ArgumentError, AutogradError, Generator, type Tensor, cast, mul, noGrad, randn, sum } from '@tensorgrad/core';
import { checkGrads } from '@tensorgrad/core/testing';
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Linear } from '../layers/linear.js';
import { fmnistCnn } from '../models/fmnist-cnn.js';
import { resnet20 } from '../models/cifar-resnet.js';
import { googlenet } from '../models/googlenet.js';
import { lenet5 } from '../models/lenet.js';
import { resnet18 } from '../models/resnet.js';
import { SGD } from '../optim/sgd.js';
import { Sequential } from './containers.js';

// The builders too large to instantiate in a unit test (alexnet, zfnet) convert like the others.
const grep = (re: RegExp): string[] =>
  readdirSync(new URL('../models/', import.meta.url)).filter((f) => !f.includes('test') && re.test(readFileSync(new URL(`../models/${f}`, import.meta.url), 'utf8'))).sort();

const maxAbsDiff = (a: Tensor, b: Tensor): number => Math.max(...Array.from(a.data, (v, i) => Math.abs(v - b.data[i]!)));

describe('Module.to(dtype), double(), float()', () => {
  it('a float64 lenet5 computes the float32 one to float32 tolerance, from the same initial values', () => {
    const m32 = lenet5({ generator: new Generator(1) });
    const m64 = lenet5({ generator: new Generator(1), dtype: 'float64' });
    for (const [[name, p32], [, p64]] of [...m32.namedParameters()].map((e, i) => [e, [...m64.namedParameters()][i]!] as const)) {
      expect(p64.dtype, name).to.equal('float64');
      expect(Array.from(p64.data), name).to.deep.equal(Array.from(p32.data)); // widened exactly
    }
    const x = randn([2, 1, 28, 28], { generator: new Generator(2) });
    const y32 = m32.invoke(x);
    const y64 = m64.invoke(cast(x, 'float64'));
    expect(y64.dtype).to.equal('float64');
    expect(maxAbsDiff(y32, y64)).to.be.below(1e-5).and.above(0);
  });

  it('a float64 lenet5 passes checkGrads (input and parameter gradients); a float32 one cannot be checked', () => {
    const model = lenet5({ generator: new Generator(3), dtype: 'float64' });
    const x = randn([1, 1, 28, 28], { generator: new Generator(4), dtype: 'float64' });
    const report = checkGrads((input) => model.invoke(input), [x], { order: 1, directions: 2 });
    expect(report.castToFloat64).to.deep.equal([]);
    // Parameter gradients along a random direction v: ⟨∇_w L, v⟩ against (L(w + εv) − L(w − εv)) / 2ε.
    const loss = (): Tensor => sum(mul(model.invoke(x), randn([1, 10], { generator: new Generator(5), dtype: 'float64' })));
    model.zeroGrad();
    loss().backward();
    for (const p of [model.conv1.weight, model.fc2.bias!]) {
      const v = randn(p.shape, { generator: new Generator(6), dtype: 'float64' }).data;
      const analytic = Array.from(p.grad!.data).reduce((s, g, i) => s + g * v[i]!, 0);
      const eps = 1e-6;
      const at = (sign: number): number => noGrad(() => {
        p.data.forEach((w, i) => (p.data[i] = w + sign * eps * v[i]!));
        const value = loss().item();
        p.data.forEach((w, i) => (p.data[i] = w - sign * eps * v[i]!));
        return value;
      });
      const numeric = (at(1) - at(-1)) / (2 * eps);
      expect(Math.abs(analytic - numeric)).to.be.below(1e-6 * Math.max(1, Math.abs(analytic)));
    }
    expect(() => checkGrads((input) => lenet5().invoke(input), [randn([1, 1, 28, 28])], { order: 1 })).to.throw(ArgumentError, /float32/);
  });

  it('every model builder takes dtype', () => {
    for (const model of [fmnistCnn({ dtype: 'float64' }), resnet20({ dtype: 'float64' }), resnet18({ dtype: 'float64', skipInit: true, numClasses: 2 }), googlenet({ dtype: 'float64', skipInit: true, numClasses: 2 })]) {
      expect(new Set([...model.parameters(), ...model.buffers()].map((t) => t.dtype)), model.constructor.name).to.deep.equal(new Set(['float64', 'int32']));
    }
    expect(grep(/this\.to\(dtype\)/)).to.deep.equal(['alexnet.ts', 'cifar-resnet.ts', 'googlenet.ts', 'lenet.ts', 'resnet.ts', 'zfnet.ts']);
  });

  it('converts parameters, float buffers and gradients in place; int32 buffers, identity and ties are kept', () => {
    const fc = new Linear(3, 2);
    const model = new Sequential(fc, new BatchNorm2d(2));
    const tied = new Sequential(model, fc); // fc twice: one set of tensors
    const weight = fc.weight;
    sum(fc.invoke(randn([4, 3]))).backward();
    const grad = Array.from(fc.weight.grad!.data);
    const values = Array.from(weight.data);
    expect(tied.double()).to.equal(tied);
    expect(fc.weight).to.equal(weight);
    expect(weight.dtype).to.equal('float64');
    expect(Array.from(weight.data)).to.deep.equal(values);
    expect(weight.grad!.dtype).to.equal('float64');
    expect(Array.from(weight.grad!.data)).to.deep.equal(grad);
    expect(Object.fromEntries([...model.namedBuffers()].map(([k, t]) => [k, t.dtype]))).to.deep.equal({
      '1.running_mean': 'float64', '1.running_var': 'float64', '1.num_batches_tracked': 'int32',
    });
    expect(weight.requiresGrad).to.equal(true);
    tied.float();
    expect([...tied.parameters(), ...tied.buffers()].map((t) => t.dtype)).to.deep.equal(['float32', 'float32', 'float32', 'float32', 'float32', 'float32', 'int32']);
    expect(Array.from(weight.data)).to.deep.equal(values);
  });

  it('an optimizer built before the conversion still steps the same tensors (without state, as in PyTorch)', () => {
    const model = fmnistCnn({ generator: new Generator(8) });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    model.to('float64');
    const w = model.at(14).parameters()[0]!;
    const before = Array.from(w.data);
    sum(model.invoke(randn([2, 1, 28, 28], { dtype: 'float64', generator: new Generator(9) }))).backward();
    optimizer.step();
    expect(w.dtype).to.equal('float64');
    expect(Array.from(w.data)).to.not.deep.equal(before);
  });

  it('a graph recorded before the conversion cannot be backpropagated; bad dtypes are named', () => {
    const fc = new Linear(2, 2);
    const y = sum(fc.invoke(randn([1, 2])));
    fc.double();
    // The bias add comes first in backward: its gradient keeps the dtype the graph was recorded
    // in (add saves its inputs' shapes and dtypes, not their values), which the converted bias no
    // longer has.
    expect(() => y.backward()).to.throw(AutogradError, /VJP of op 'add' returned a gradient for 'b' of shape \[2\] float32, but the input is \[2\] float64/);
    expect(() => fc.to('int32' as 'float32')).to.throw(ArgumentError, /^Linear\.to: dtype must be 'float32' or 'float64', got 'int32'$/);
    expect(() => lenet5({ dtype: 'float16' as 'float32' })).to.throw(ArgumentError, /lenet5.*dtype/);
  });
});
