import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import * as core from '../../index.js';

// The CPU kernels in TypeScript must give the same bits in Node and in browsers, whose Math.exp,
// log, tanh, pow... round differently: they take core's portable functions. Guarded twice: every
// kernel that needs an elementary function runs here with Math's inexact functions throwing, and
// no kernel source calls them or uses ** (an operator no test can intercept).
const INEXACT = ['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'tanh', 'sinh', 'cosh', 'pow', 'sin', 'cos', 'tan', 'atan', 'atan2', 'asin', 'acos', 'cbrt', 'hypot', 'atanh', 'asinh', 'acosh'] as const;

/** Runs fn with Math's inexact functions replaced by ones that throw. */
function withoutInexactMath<T>(fn: () => T): T {
  const saved = INEXACT.map((name) => [name, Math[name]] as const);
  const math = Math as unknown as Record<string, unknown>;
  try {
    for (const name of INEXACT) {
      math[name] = () => {
        throw new Error(`Math.${name} called: its last bit differs between engines`);
      };
    }
    return fn();
  } finally {
    for (const [name, f] of saved) math[name] = f;
  }
}

describe('CPU kernels use portable math (same bits in every engine)', () => {
  it("every kernel with an elementary function, forward and backward, float32 and float64, runs with Math's inexact functions throwing", () => {
    const values = [-30, -7, -2.5, -1, -0.3, -1e-9, 0, 1e-9, 0.4, 1, 3, 12, 25, 30];
    for (const dtype of ['float32', 'float64'] as const) {
      const sums = withoutInexactMath(() => {
        const x = core.tensor(values, { dtype, requiresGrad: true });
        const p = core.tensor(values.map((v) => Math.abs(v) + 0.5), { dtype, requiresGrad: true });
        const outs = [
          core.exp(x), core.log(p), core.tanh(x), core.sigmoid(x), core.silu(x), core.logSigmoid(x), core.softplus(x), core.softplus(x, 2, 10),
          core.gelu(x), core.gelu(x, { approximate: 'tanh' }), core.erf(x), core.elu(x, 0.5), core.selu(x), core.celu(x, 0.7), core.mish(x),
          core.pow(p, 1.7), core.pow(p, core.mul(x, 0.1)), core.pow(2, x), core.softmax(x, 0), core.logSoftmax(x, 0), core.logsumexp(x, 0),
          core.crossEntropy(core.reshape(x, [2, 7]), core.tensor([3, 5], { dtype: 'int32' })),
          core.binaryCrossEntropyWithLogits(x, core.tensor(values.map((v) => (v > 0 ? 1 : 0)), { dtype })),
        ];
        const total = outs.map((y) => core.sum(y)).reduce((s, y) => core.add(s, y));
        total.backward();
        const conv = core.conv2d(core.ones([2, 3, 9, 9], { dtype }), core.ones([4, 3, 3, 3], { dtype }), undefined, { padding: 1 });
        return [total.item(), core.sum(x.grad!).item(), core.sum(p.grad!).item(), core.sum(conv).item()];
      });
      expect(sums.every(Number.isFinite), `${dtype}: ${sums}`).to.equal(true);
      expect(sums[3]).to.equal(2 * 4 * (27 * 49 + 18 * 4 * 7 + 12 * 4)); // 3x3 windows, padding 1: 49 full, 28 edges, 4 corners
    }
  });

  it('no CPU kernel source calls an inexact Math function or uses **', () => {
    const dir = new URL('./', import.meta.url);
    const files = [...readdirSync(dir).map((f) => f), ...readdirSync(new URL('./conv/', dir)).map((f) => `conv/${f}`)].filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('rule-table.ts'),
    );
    expect(files.length).to.be.greaterThan(20);
    const inexact = new RegExp(`Math\\.(${INEXACT.join('|')})\\b`);
    for (const f of files) {
      const code = readFileSync(new URL(f, dir), 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n');
      expect(inexact.exec(code)?.[0], `${f} calls an inexact Math function`).to.equal(undefined);
      expect(/[^*/\s]\s*\*\*[^*/]/.exec(code)?.[0], `${f} uses **`).to.equal(undefined);
    }
  });
});
