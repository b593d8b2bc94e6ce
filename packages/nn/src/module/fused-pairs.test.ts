// Sequential runs a module and the next as one op where the module has a fused form for it
// (Module.invokeWithNext): BatchNorm2d then MaxPool2d as core's batchNormMaxPool2d. It must give
// what invoking the two in turn gives, bit for bit (values, gradients, running statistics, the
// batch count), in training and eval mode, and step aside where a forward is replaced.
import { Generator, type Tensor, randn, sum, mul } from '@tensorgrad/core';
import { expect } from 'chai';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { MaxPool2d } from '../layers/pooling.js';
import { Sequential } from './containers.js';
import { Module } from './module.js';

const bitsOf = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64');

/** Two steps of training and one of eval through `run`, on a fresh BatchNorm2d(8) with its weight and bias moved off 1 and 0. */
function steps(run: (bn: BatchNorm2d, pool: MaxPool2d, x: Tensor) => Tensor): string[] {
  const bn = new BatchNorm2d(8);
  bn.weight!.data.set(randn([8], { generator: new Generator(3) }).data);
  bn.bias!.data.set(randn([8], { generator: new Generator(4) }).data);
  const pool = new MaxPool2d(2);
  const out: string[] = [];
  for (const [i, training] of [[0, true], [1, true], [2, false]] as const) {
    bn.train(training);
    const x = randn([6, 8, 14, 15], { generator: new Generator(10 + i) }).requiresGrad_();
    const y = run(bn, pool, x);
    sum(mul(y, randn(y.shape, { generator: new Generator(20 + i) }))).backward();
    out.push(...[y, x.grad!, bn.weight!.grad!, bn.bias!.grad!, bn.runningMean!, bn.runningVar!, bn.numBatchesTracked!].map(bitsOf));
    bn.zeroGrad();
  }
  return out;
}

const inTurn = (bn: BatchNorm2d, pool: MaxPool2d, x: Tensor): Tensor => pool.invoke(bn.invoke(x));

describe('Sequential: fused pairs of modules', () => {
  it('BatchNorm2d then MaxPool2d: fused, the same bits as invoking the two in turn', () => {
    // Counts the steps Sequential ran fused.
    const own = BatchNorm2d.prototype.invokeWithNext;
    let fusedSteps = 0;
    BatchNorm2d.prototype.invokeWithNext = function (this: BatchNorm2d, next, x) {
      const y = own.call(this, next, x);
      if (y !== undefined) fusedSteps++;
      return y;
    };
    let fused: string[];
    try {
      fused = steps((bn, pool, x) => new Sequential(bn, pool).invoke(x));
    } finally {
      BatchNorm2d.prototype.invokeWithNext = own;
    }
    expect(fusedSteps).to.equal(3);
    expect(fused).to.deep.equal(steps(inTurn));
  });

  it('not where either forward is overridden or replaced', () => {
    class Scaled extends MaxPool2d {
      override forward(x: Tensor): Tensor {
        return mul(super.forward(x), 2);
      }
    }
    const bn = new BatchNorm2d(3);
    const x = randn([2, 3, 4, 4]);
    expect(bn.invokeWithNext(new Scaled(2), x)).to.equal(undefined);
    const replaced = new BatchNorm2d(3);
    replaced.forward = (t: Tensor): Tensor => t;
    expect(replaced.invokeWithNext(new MaxPool2d(2), x)).to.equal(undefined);
    // Sequential then runs the overridden forward.
    const want = mul(new MaxPool2d(2).invoke(x), 2);
    expect(bitsOf(new Sequential(replaced, new Scaled(2)).invoke(x))).to.equal(bitsOf(want));
  });

  it('other modules have no fused form: Sequential invokes them in turn', () => {
    class Twice extends Module {
      calls = 0;
      forward(x: Tensor): Tensor {
        this.calls++;
        return mul(x, 2);
      }
    }
    const a = new Twice(), b = new Twice();
    expect(a.invokeWithNext(b, randn([2]))).to.equal(undefined);
    new Sequential(a, b, new MaxPool2d(1)).invoke(randn([1, 1, 2, 2]));
    expect([a.calls, b.calls]).to.deep.equal([1, 1]);
  });
});
