import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { portableExp, portableExpm1, portableLog1p, portableTanh } from './portable-exp.js';
import { portableLog2, portableTan } from './portable-math.js';
import { portablePow } from './portable-pow.js';

// Written by fixtures/fdlibm-table-fixture.mjs under Node 20: V8's fdlibm (compiled C) at every
// path of the ports (each threshold of their high-word tests and its neighbours, each range of
// the reduction, subnormal results, pow's special cases) and at random arguments. Checked bit for
// bit here, so the ports can be checked in any engine (packages/web's browser test runs them in
// Chromium, whose Math functions round differently).
const fdlibm = JSON.parse(readFileSync(new URL('./fixtures/fdlibm-table.json', import.meta.url), 'utf8')) as Record<string, number[][]>;

const unary: [string, (x: number) => number][] = [
  ['exp', portableExp], ['expm1', portableExpm1], ['log1p', portableLog1p], ['tanh', portableTanh], ['tan', portableTan], ['log2', portableLog2],
];

/** Whether a and b are the same double (−0 apart from +0) or both NaN. */
const same = (a: number, b: number): boolean => Object.is(a, b);

describe('portableExp, portableExpm1, portableLog1p, portableTanh, portablePow, portableTan, portableLog2 (fdlibm in + − × ÷)', () => {
  for (const [name, f] of unary) {
    it(`${name} equals V8's fdlibm (Node 20's Math.${name}) bit for bit on every path and at random arguments, x and −x`, () => {
      const cases = fdlibm[name]!;
      expect(cases.length).to.be.greaterThan(700);
      for (const [x, y] of cases) expect(f(x!), `${name}(${x})`).to.equal(y);
    });
  }

  it("pow equals V8's fdlibm (Node 20's **) bit for bit on special pairs, optimizer and schedule arguments, huge y, subnormal results", () => {
    expect(fdlibm.pow!.length).to.be.greaterThan(4000);
    for (const [x, y, z] of fdlibm.pow!) expect(portablePow(x!, y!), `${x} ** ${y}`).to.equal(z);
  });

  it('exp, expm1, log1p, tanh: ±0, ±Infinity, NaN, overflow and underflow as ECMAScript has them', () => {
    const cases: [(x: number) => number, number, number][] = [
      [portableExp, 0, 1], [portableExp, -0, 1], [portableExp, Infinity, Infinity], [portableExp, -Infinity, 0], [portableExp, 710, Infinity], [portableExp, -746, 0],
      [portableExp, 1, Math.E], [portableExp, -745, 5e-324],
      [portableExpm1, 0, 0], [portableExpm1, -0, -0], [portableExpm1, Infinity, Infinity], [portableExpm1, -Infinity, -1], [portableExpm1, 710, Infinity], [portableExpm1, -40, -1],
      [portableLog1p, 0, 0], [portableLog1p, -0, -0], [portableLog1p, -1, -Infinity], [portableLog1p, Infinity, Infinity], [portableLog1p, -1.5, NaN], [portableLog1p, -Infinity, NaN],
      [portableTanh, 0, 0], [portableTanh, -0, -0], [portableTanh, Infinity, 1], [portableTanh, -Infinity, -1], [portableTanh, 30, 1], [portableTanh, -30, -1],
      [portableTan, 0, 0], [portableTan, -0, -0], [portableTan, Infinity, NaN], [portableTan, -Infinity, NaN],
      [portableLog2, 0, -Infinity], [portableLog2, -0, -Infinity], [portableLog2, 1, 0], [portableLog2, 8, 3], [portableLog2, 2 ** -1074, -1074], [portableLog2, -1, NaN], [portableLog2, Infinity, Infinity],
    ];
    for (const [f, x, y] of cases) expect(same(f(x), y), `${f.name}(${x}) = ${f(x)}, expected ${y}`).to.equal(true);
    for (const [, f] of unary) expect(f(NaN), `${f.name}(NaN)`).to.be.NaN;
  });

  it("pow: ECMAScript's special values (NaN exponent, ±0, ±Infinity, (±1)^±Infinity, negative bases)", () => {
    const cases: [number, number, number][] = [
      [NaN, 0, 1], [NaN, -0, 1], [1, NaN, NaN], [NaN, 1, NaN], [1, Infinity, NaN], [-1, -Infinity, NaN], [2, Infinity, Infinity], [0.5, Infinity, 0],
      [2, -Infinity, 0], [0.5, -Infinity, Infinity], [0, 3, 0], [-0, 3, -0], [-0, 2, 0], [-0, -3, -Infinity], [-0, -2, Infinity], [0, -1, Infinity],
      [Infinity, -1, 0], [-Infinity, 3, -Infinity], [-Infinity, 2, Infinity], [-Infinity, -3, -0], [-2, 3, -8], [-2, 0.5, NaN], [-8, 1 / 3, NaN],
      [-0, 0.5, 0], [4, 0.5, 2], [3, 2, 9], [2, -1, 0.5], [2, 1024, Infinity], [2, -1075, 0], [-2, 1025, -Infinity], [-2, -1075, -0], [2, -1074, 5e-324],
    ];
    for (const [x, y, z] of cases) expect(same(portablePow(x, y), z), `${x} ** ${y} = ${portablePow(x, y)}, expected ${z}`).to.equal(true);
  });

  it('tan throws a RangeError past 2^20·π/2, as sin and cos', () => {
    expect(() => portableTan(1e7)).to.throw(RangeError, /^portableTan: .* past 2\^20·π\/2.*tangent/);
  });
});
