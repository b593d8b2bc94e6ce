// conv2d and convTranspose2d against PyTorch 1.13 (fixtures/conv_fixtures.py): outputs and the
// gradients of ⟨y, dy⟩ with respect to x, w and b.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { conv2d, convTranspose2d, grad, mul, sum } from '../../index.js';
import { Tensor } from '../../tensor/tensor.js';

interface Fixture {
  kind: 'conv2d' | 'convTranspose2d';
  name: string;
  options: Record<string, unknown>;
  x: { shape: number[]; data: number[] };
  w: { shape: number[]; data: number[] };
  b: number[] | null;
  y: { shape: number[]; data: number[] };
  dy: number[];
  dx: number[];
  dw: number[];
  db: number[] | null;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/conv_fixtures.json', import.meta.url), 'utf8')) as { cases: Fixture[] };

function expectClose(actual: Tensor, expected: number[], shape?: number[]): void {
  if (shape !== undefined) expect(actual.shape).to.deep.equal(shape);
  expect(actual.size).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual.data[i]! - expected[i]!) <= 1e-10 * (1 + Math.abs(expected[i]!)))) expect.fail(`element ${i}: ${actual.data[i]} vs PyTorch ${expected[i]}`);
  }
}

describe('conv2d and convTranspose2d match PyTorch', () => {
  for (const f of fixtures.cases) {
    it(`${f.kind}: ${f.name}`, () => {
      const x = new Tensor(Float64Array.from(f.x.data), f.x.shape);
      const w = new Tensor(Float64Array.from(f.w.data), f.w.shape);
      const b = f.b === null ? null : new Tensor(Float64Array.from(f.b), [f.b.length]);
      const dy = new Tensor(Float64Array.from(f.dy), f.y.shape);
      const op = f.kind === 'conv2d' ? conv2d : convTranspose2d;
      const apply = (xx: Tensor, ww: Tensor, bb: Tensor | null): Tensor => op(xx, ww, bb, f.options);
      expectClose(apply(x, w, b), f.y.data, f.y.shape);
      const loss = (xx: Tensor, ww: Tensor, bb: Tensor): Tensor => sum(mul(apply(xx, ww, bb), dy));
      if (b === null) {
        const [dx, dw] = grad((xx: Tensor, ww: Tensor) => sum(mul(apply(xx, ww, null), dy)), { argnums: [0, 1] })(x, w);
        expectClose(dx!, f.dx);
        expectClose(dw!, f.dw);
      } else {
        const [dx, dw, db] = grad(loss, { argnums: [0, 1, 2] })(x, w, b);
        expectClose(dx!, f.dx);
        expectClose(dw!, f.dw);
        expectClose(db!, f.db!);
      }
    });
  }
});
