import { expect } from 'chai';
import { tensor } from '@tensorgrad/core';
import { proveSoftsign } from './prove-gradient.js';
import { softsign } from './softsign.js';

describe('example: custom op softsign', () => {
  it('computes x / (1 + |x|)', () => {
    expect(Array.from(softsign(tensor([-3, 0, 1], { dtype: 'float64' })).data)).to.deep.equal([-0.75, 0, 0.5]);
  });
  it('passes its property-based gradient proof and catches a wrong VJP', () => {
    const r = proveSoftsign(10);
    expect(r.comparisons).to.be.greaterThan(10);
    expect(r.wrongVjpCaught).to.equal(true);
  });
});
