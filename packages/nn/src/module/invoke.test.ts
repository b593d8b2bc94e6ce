// invoke(): the way to run a module. Its types are checked by `pnpm typecheck`: each line marked
// ts-expect-error fails to compile if the call it marks were accepted.
import { ArgumentError, type Tensor, add, mul, randn, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { Linear } from '../layers/linear.js';
import { ModuleList, Sequential } from './containers.js';
import { Module } from './module.js';

class Gate extends Module<[Tensor, Tensor, number?], { out: Tensor; gate: Tensor }> {
  readonly fc = new Linear(2, 2);
  forward(x: Tensor, g: Tensor, scale = 1): { out: Tensor; gate: Tensor } {
    return { out: mul(this.fc.invoke(x), tensor(scale)), gate: g };
  }
}

describe('Module.invoke', () => {
  it("is typed as forward's arguments and result", () => {
    const gate = new Gate();
    const { out } = gate.invoke(randn([1, 2]), randn([1]), 2);
    expect(out.shape).to.deep.equal([1, 2]);
    const y: Tensor = new Sequential(new Linear(2, 3), new Linear(3, 1)).invoke(randn([4, 2]));
    expect(y.shape).to.deep.equal([4, 1]);
    // Compile-time checks only (never run).
    const typeErrors = (): void => {
      // @ts-expect-error a missing second input
      gate.invoke(randn([1, 2]));
      // @ts-expect-error a string where forward takes a number
      gate.invoke(randn([1, 2]), randn([1]), 'x');
      // @ts-expect-error the result is an object, not a Tensor
      const wrong: Tensor = gate.invoke(randn([1, 2]), randn([1]));
      expect(wrong).to.equal(undefined);
    };
    expect(typeErrors).to.be.a('function');
    // A ModuleList has no forward: it cannot be invoked with arguments.
    // @ts-expect-error
    expect(() => new ModuleList([]).invoke(randn([1]))).to.throw(ArgumentError, /ModuleList has no forward/);
  });

  it('names the module when the input is missing', () => {
    const fc = new Linear(2, 2) as unknown as { invoke(...args: unknown[]): Tensor };
    expect(() => fc.invoke()).to.throw(ArgumentError, /^Linear\.invoke: input \(argument 0\) is missing; forward takes 1 argument\(s\), e.g\. model\.invoke\(x\)/);
    expect(() => fc.invoke(null)).to.throw(ArgumentError, /^Linear\.invoke: input \(argument 0\) is null/);
    expect(() => (fc as unknown as { call(): Tensor }).call()).to.throw(ArgumentError, /^Linear\.call: input \(argument 0\) is missing/);
  });

  it('call(), deprecated, still runs forward', () => {
    const fc = new Linear(2, 2);
    const x = randn([3, 2]);
    expect(Array.from(fc.call(x).data)).to.deep.equal(Array.from(fc.invoke(x).data));
    expect(Array.from(add(fc.invoke(x), 0).data)).to.deep.equal(Array.from(fc.forward(x).data));
  });
});
