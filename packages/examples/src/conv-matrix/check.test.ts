import { expect } from 'chai';
import { checkConvAgainstMatrix } from './check.js';

describe('example: conv2d as the sparse matrix C', () => {
  for (const c of [
    { n: 2, cin: 4, h: 7, w: 6, cout: 6, k: 3, stride: 2, padding: 1, dilation: 1, groups: 2, seed: 3 },
    { n: 1, cin: 3, h: 9, w: 9, cout: 2, k: 3, stride: 1, padding: 2, dilation: 2, groups: 1, seed: 4 },
  ]) {
    it(`C·x = conv2d and Cᵀ·dy = autodiff dx (stride ${c.stride}, dilation ${c.dilation}, groups ${c.groups})`, () => {
      const r = checkConvAgainstMatrix(c);
      expect(r.forwardError).to.be.lessThan(1e-10);
      expect(r.gradientError).to.be.lessThan(1e-10);
      expect(r.adjointGap).to.be.lessThan(1e-9);
      expect(r.nnz).to.be.greaterThan(0);
    });
  }
});
