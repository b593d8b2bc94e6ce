import { expect } from 'chai';
import { Generator } from './random.js';

describe('Generator.fillUint32', () => {
  it('is the stream of repeated nextUint32 and leaves the generator where they would', () => {
    const a = new Generator(123);
    const b = new Generator(123);
    const bulk = a.fillUint32(new Uint32Array(1001));
    const single = Uint32Array.from({ length: 1001 }, () => b.nextUint32());
    expect([...bulk]).to.deep.equal([...single]);
    expect(a.getState()).to.deep.equal(b.getState());
    expect(a.random()).to.equal(b.random());
  });

  it('draws uniform bits (mean and top-bit frequency of 100k draws)', () => {
    const v = new Generator(5).fillUint32(new Uint32Array(100000));
    const mean = v.reduce((s, x) => s + x, 0) / v.length / 4294967296;
    expect(Math.abs(mean - 0.5)).to.be.lessThan(0.005);
    const top = v.reduce((s, x) => s + (x >>> 31), 0) / v.length;
    expect(Math.abs(top - 0.5)).to.be.lessThan(0.01);
  });
});
