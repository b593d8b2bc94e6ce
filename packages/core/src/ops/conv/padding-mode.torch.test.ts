// conv2d's paddingMode against nn.Conv2d's padding_mode in PyTorch 1.13
// (fixtures/make_padding_mode_fixtures.py): outputs, the gradients of ⟨y, dy⟩ with respect to x,
// w and b, and second order through the pad: the gradients in x and w of
// ⟨∂⟨y,dy⟩/∂x, vx⟩ + ⟨∂⟨y,dy⟩/∂w, vw⟩.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { type Conv2dOptions, add, conv2d, grad, mul, sum, tensor } from '../../index.js';
import type { Tensor } from '../../tensor/tensor.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Fixture {
  paddingMode: NonNullable<Conv2dOptions['paddingMode']>;
  options: Conv2dOptions;
  x: Fixed;
  w: Fixed;
  b: Fixed | null;
  y: Fixed;
  dy: Fixed;
  dx: Fixed;
  dw: Fixed;
  db: Fixed | null;
  vx: Fixed;
  vw: Fixed;
  ggx: Fixed;
  ggw: Fixed;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/padding_mode.json', import.meta.url), 'utf8')) as { cases: Fixture[] };
const load = (f: Fixed): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64' });

function expectClose(actual: Tensor, expected: Fixed): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => {
    if (!(Math.abs(v - expected.data[i]!) <= 1e-10 * (1 + Math.abs(expected.data[i]!)))) expect.fail(`element ${i}: ${v} vs PyTorch ${expected.data[i]}`);
  });
}

describe('conv2d paddingMode matches nn.Conv2d padding_mode (PyTorch 1.13)', () => {
  for (const f of fixtures.cases) {
    it(`${f.paddingMode} ${JSON.stringify(f.options)} on ${JSON.stringify(f.x.shape)}: values, gradients, second order`, () => {
      const [x, w, dy] = [load(f.x), load(f.w), load(f.dy)];
      const b = f.b === null ? null : load(f.b);
      const options: Conv2dOptions = { ...f.options, paddingMode: f.paddingMode };
      expectClose(conv2d(x, w, b, options), f.y);
      const inner = (xx: Tensor, ww: Tensor, bb: Tensor | null): Tensor => sum(mul(conv2d(xx, ww, bb, options), dy));
      if (b === null) {
        const [dx, dw] = grad((xx: Tensor, ww: Tensor) => inner(xx, ww, null), { argnums: [0, 1] })(x, w);
        expectClose(dx!, f.dx);
        expectClose(dw!, f.dw);
      } else {
        const [dx, dw, db] = grad(inner, { argnums: [0, 1, 2] })(x, w, b);
        expectClose(dx!, f.dx);
        expectClose(dw!, f.dw);
        expectClose(db!, f.db!);
      }
      const [vx, vw] = [load(f.vx), load(f.vw)];
      const second = (xx: Tensor, ww: Tensor): Tensor => {
        const [gx, gw] = grad((x2: Tensor, w2: Tensor) => inner(x2, w2, b), { argnums: [0, 1] })(xx, ww);
        return add(sum(mul(gx!, vx)), sum(mul(gw!, vw)));
      };
      const [ggx, ggw] = grad(second, { argnums: [0, 1] })(x, w);
      expectClose(ggx!, f.ggx);
      expectClose(ggw!, f.ggw);
    });
  }
});
