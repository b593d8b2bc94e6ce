// The registry-wide gradient check: every registered op, on random valid inputs from its own
// arbitraries, has its VJP (and second-order VJP) compared with central finite differences.
import { expect } from 'chai';
import '../index.js';
import { listOps } from './registry.js';
import { checkRegisteredOp } from '../testing/check-op.js';

describe('registry: every op has a checked gradient', () => {
  const ops = listOps();
  it('registers ops', () => {
    expect(ops.length).to.be.greaterThan(10);
  });
  for (const def of ops) {
    it(`${def.name}: VJP matches finite differences (order ${def.gradCheck.order ?? 2})`, () => {
      checkRegisteredOp(def);
    });
  }
});
