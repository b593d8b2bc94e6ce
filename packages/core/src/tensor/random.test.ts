import { createHash } from 'node:crypto';
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

describe('Generator.normal', () => {
  /** 100k draws of seed (every 1000th with mean 2.5, std 0.5): the first 32 hex digits of their bytes' SHA-256. */
  function digest(seed: number): string {
    const g = new Generator(seed);
    const z = Float64Array.from({ length: 100_000 }, (_, i) => (i % 1000 === 999 ? g.normal(2.5, 0.5) : g.normal()));
    return createHash('sha256').update(new Uint8Array(z.buffer)).digest('hex').slice(0, 32);
  }

  it('draws the stream it drew with Math.log, Math.sin and Math.cos in Node 20 (pinned), and calls none of them', () => {
    // Pinned before normal() took portableLog and portableSinCos: a changed bit anywhere fails.
    const pinned = { 0: '9eda141b7e3cc2cbac49ff724dbdef4d', 12345: '9adcc640231ca995ff95f7534e3251c2', [-3]: '1974ed0b8b94cda3ad305ba42a0bc3f2' };
    const first = [0.48854632132701026, 0.03837218016081414, 2.5868475608858597, 0.39985963088890797];
    const saved = [Math.log, Math.sin, Math.cos];
    const refuse = (): never => {
      throw new Error('Math.log / Math.sin / Math.cos called: implementation-defined, not the same bits in every engine');
    };
    try {
      [Math.log, Math.sin, Math.cos] = [refuse, refuse, refuse];
      const g = new Generator(0);
      expect(first.map(() => g.normal())).to.deep.equal(first);
      for (const [seed, hash] of Object.entries(pinned)) expect(digest(Number(seed)), `seed ${seed}`).to.equal(hash);
    } finally {
      [Math.log, Math.sin, Math.cos] = saved as [typeof Math.log, typeof Math.sin, typeof Math.cos];
    }
  });
});
