// pow's gradients at the edges of its derivative (base 0, exponent 0, negative bases) against
// PyTorch 1.13 (fixtures/make_pow_fixtures.py): 0 where PyTorch has 0, and NaN/±∞ exactly where
// PyTorch has them, for a tensor exponent, a number exponent, and second order.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { grad, vjp } from '../../autograd/grad.js';
import { add, pow } from './arithmetic.js';
import { sum } from '../reduce/sum.js';
import { pow as publicPow } from '../../dispatch/elementwise.js';

interface Stored { shape: number[]; data: (number | string)[] }
interface PowCase {
  name: string;
  a: Stored;
  b?: Stored;
  exponent?: number;
  dy?: Stored;
  y: Stored;
  da: Stored;
  db?: Stored;
  second: { a: Stored; b?: Stored };
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/pow.json', import.meta.url), 'utf8')) as { cases: PowCase[] };

const decode = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity);
const f64 = (s: Stored): Tensor => tensor(s.data.map(decode), { dtype: 'float64', shape: s.shape });

/** Equal to PyTorch: same non-finite values in the same places, finite ones to 1e-12 relative. */
function expectTorch(got: Tensor, want: Stored, what: string): void {
  const expected = want.data.map(decode);
  expect(got.shape, what).to.deep.equal(want.shape);
  Array.from(got.data).forEach((g, i) => {
    const e = expected[i]!;
    if (Number.isFinite(e)) expect(g, `${what} [${i}]`).to.be.closeTo(e, 1e-12 * Math.max(1, Math.abs(e)));
    else expect(Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e)), `${what} [${i}]: got ${g}, PyTorch ${e}`).to.equal(true);
  });
}

describe('pow gradients at base 0, exponent 0 and negative bases match PyTorch 1.13', () => {
  const tensorCase = fixtures.cases.find((c) => c.b !== undefined)!;

  it('tensor exponent: value, both gradients, and second order', () => {
    const a = f64(tensorCase.a);
    const b = f64(tensorCase.b!);
    const dy = f64(tensorCase.dy!);
    const [y, pullback] = vjp((p: Tensor, q: Tensor) => pow(p, q), a, b);
    expectTorch(y, tensorCase.y, 'y');
    const [da, db] = pullback(dy);
    expectTorch(da!, tensorCase.da, 'da');
    expectTorch(db!, tensorCase.db!, 'db');
    // Second order: gradients of Σ(da + db), through the VJP's own graph.
    const [dda, ddb] = grad((p: Tensor, q: Tensor) => {
      const [g1, g2] = vjp((s: Tensor, t: Tensor) => pow(s, t), p, q)[1](dy);
      return sum(add(g1!, g2!));
    }, { argnums: [0, 1] })(a, b);
    expectTorch(dda!, tensorCase.second.a, 'second order, a');
    expectTorch(ddb!, tensorCase.second.b!, 'second order, b');
  });

  for (const c of fixtures.cases.filter((k) => k.exponent !== undefined)) {
    it(`${c.name}: the base's gradient and its second order (pow(x, 0) gives 0, not NaN at x = 0)`, () => {
      const x = f64(c.a);
      const f = (t: Tensor): Tensor => sum(publicPow(t, c.exponent!));
      expectTorch(publicPow(x, c.exponent!), c.y, 'y');
      expectTorch(grad(f)(x), c.da, 'dx');
      expectTorch(grad((t: Tensor) => sum(grad(f)(t)))(x), c.second.a, 'second order');
    });
  }
});
