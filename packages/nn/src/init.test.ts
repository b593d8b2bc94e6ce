import { ArgumentError, Generator, ShapeError, type Tensor, zeros } from '@tensorgrad/core';
import { expect } from 'chai';
import * as init from './init.js';

function stats(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const xs = Array.from(t.data);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std, maxAbs: xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
}

describe('init', () => {
  it("computes PyTorch's fans and gains", () => {
    expect(init.calculateFanInAndFanOut(zeros([64, 3, 7, 7]))).to.deep.equal({ fanIn: 147, fanOut: 3136 });
    expect(init.calculateFanInAndFanOut(zeros([10, 20]))).to.deep.equal({ fanIn: 20, fanOut: 10 });
    expect(() => init.calculateFanInAndFanOut(zeros([5]))).to.throw(ShapeError, /at least 2 dims, got shape \[5\]/);
    expect(init.calculateGain('relu')).to.equal(Math.SQRT2);
    expect(init.calculateGain('tanh')).to.equal(5 / 3);
    expect(init.calculateGain('leaky_relu')).to.equal(Math.sqrt(2 / (1 + 0.0001)));
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).to.be.closeTo(Math.sqrt(1 / 3), 1e-15);
  });

  it('kaiming and xavier draw with the documented scale', () => {
    const g = new Generator(0);
    const w = zeros([256, 128, 3, 3]); // fan_in 1152, fan_out 2304
    let s = stats(init.kaimingNormal(w, { mode: 'fan_out', nonlinearity: 'relu', generator: g }));
    expect(s.std).to.be.closeTo(Math.sqrt(2 / 2304), 2e-4);
    expect(s.mean).to.be.closeTo(0, 2e-4);
    s = stats(init.kaimingUniform(w, { generator: g })); // leaky_relu, a = 0: bound √(6/1152)
    expect(s.maxAbs).to.be.within(Math.sqrt(6 / 1152) * 0.999, Math.sqrt(6 / 1152));
    expect(s.std).to.be.closeTo(Math.sqrt(2 / 1152), 2e-4);
    s = stats(init.xavierUniform(w, { gain: 2, generator: g }));
    expect(s.maxAbs).to.be.within(2 * Math.sqrt(6 / 3456) * 0.999, 2 * Math.sqrt(6 / 3456));
    s = stats(init.xavierNormal(w, { generator: g }));
    expect(s.std).to.be.closeTo(Math.sqrt(2 / 3456), 2e-4);
    s = stats(init.truncNormal(w, 0, 1, -0.5, 0.5, { generator: g }));
    expect(s.maxAbs).to.be.at.most(0.5);
    expect(Array.from(init.constant(zeros([3]), 2.5).data)).to.deep.equal([2.5, 2.5, 2.5]);
  });

  it('is reproducible from a seed and bumps the version counter', () => {
    const a = init.normal(zeros([100]), 0, 1, { generator: new Generator(9) });
    const b = init.normal(zeros([100]), 0, 1, { generator: new Generator(9) });
    expect(Array.from(a.data)).to.deep.equal(Array.from(b.data));
    expect(init.ones(a).version.value).to.equal(2);
    expect(() => init.uniform(zeros([1]), 1, 0)).to.throw(ArgumentError, /init.uniform: low must be ≤ high, got 1 and 0/);
  });
});
