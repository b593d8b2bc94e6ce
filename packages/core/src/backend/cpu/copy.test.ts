// The class-index kernels and checks of the CPU copy area, on their edge values.
import { expect } from 'chai';
import { classWeightsInto, firstInvalidClass, firstNotInt32 } from './copy.js';

describe('CPU copy kernels: class weights and the checks read back before a copy', () => {
  it('firstInvalidClass finds the first target outside [0, classes) that is not ignoreIndex', () => {
    expect(firstInvalidClass(new Int32Array([0, 2, -100, 1]), 3, -100)).to.equal(-1);
    expect(firstInvalidClass(new Int32Array([0, 3, -1]), 3, -100)).to.equal(1);
    expect(firstInvalidClass(new Int32Array([0, -1, 3]), 3, -100)).to.equal(1);
    expect(firstInvalidClass(new Int32Array([5, 5]), 3, 5)).to.equal(-1); // ignoreIndex may lie outside the classes
    expect(firstInvalidClass(new Int32Array([]), 3, -100)).to.equal(-1);
  });

  it('classWeights picks weight[t] (1 without weights) and 0 where ignored', () => {
    const out = new Float32Array(4);
    classWeightsInto(new Int32Array([2, -100, 0, 1]), new Float32Array([0.5, 0.25, 3]), -100, out);
    expect([...out]).to.deep.equal([3, 0, 0.5, 0.25]);
    classWeightsInto(new Int32Array([2, -100, 0, 1]), null, -100, out);
    expect([...out]).to.deep.equal([1, 0, 1, 1]);
  });

  it('firstNotInt32: NaN, ±∞ and values outside (-2³¹ − 1, 2³¹) are refused, fractions truncate into range', () => {
    expect(firstNotInt32(new Float64Array([1.5, -2147483648.9, 2147483647.9, -0]))).to.equal(-1);
    expect(firstNotInt32(new Float64Array([0, NaN]))).to.equal(1);
    expect(firstNotInt32(new Float64Array([Infinity]))).to.equal(0);
    expect(firstNotInt32(new Float64Array([1, 2, -Infinity]))).to.equal(2);
    expect(firstNotInt32(new Float64Array([2147483648]))).to.equal(0);
    expect(firstNotInt32(new Float64Array([0, -2147483649]))).to.equal(1);
    expect(firstNotInt32(new Float32Array([2147483647]))).to.equal(0); // rounds to 2³¹ in float32
  });
});
