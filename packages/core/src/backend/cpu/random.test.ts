// The CPU random kernels draw from the seeded Generator exactly as documented in backend/random.ts.
import { expect } from 'chai';
import { Generator } from '../../tensor/random.js';
import { cpuRandom } from './random.js';

describe('CPU random kernels', () => {
  it('dropoutMask: one fillUint32 draw per element, 0 below p·2³², scale otherwise; the generator ends where the draws leave it', () => {
    for (const [n, p] of [[5000, 0.3], [17, 0.5], [3, 1]] as const) {
      const g = new Generator(4);
      const mask = new Float64Array(n);
      cpuRandom.dropoutMask(g, p, 2.5, mask);
      const reference = new Generator(4);
      const bits = reference.fillUint32(new Uint32Array(n));
      expect([...mask]).to.deep.equal([...bits].map((b) => (b < p * 4294967296 ? 0 : 2.5)));
      expect(g.getState()).to.deep.equal(reference.getState());
    }
  });

  it('dropoutMask after a larger call draws only as many values as the mask has', () => {
    const g = new Generator(1);
    cpuRandom.dropoutMask(g, 0.5, 2, new Float32Array(100));
    const small = new Float32Array(4);
    cpuRandom.dropoutMask(g, 0.5, 2, small);
    const reference = new Generator(1);
    reference.fillUint32(new Uint32Array(100));
    const bits = reference.fillUint32(new Uint32Array(4));
    expect([...small]).to.deep.equal([...bits].map((b) => (b < 0.5 * 4294967296 ? 0 : 2)));
    expect(g.getState()).to.deep.equal(reference.getState());
  });
});
