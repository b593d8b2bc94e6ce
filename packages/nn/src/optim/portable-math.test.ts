import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Tensor, portablePow, sum, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { Adam, AdamW } from './adam.js';
import { clipGradNorm } from './clip.js';
import { MultiStepLR, StepLR } from './lr-scheduler.js';

// Math.pow, **, Math.exp, Math.log... round differently in browsers and in Node: nn takes core's
// portable functions wherever a result depends on them (Adam's β^t, the step schedules' γ^k,
// clipGradNorm's p-norms), so training replays bit for bit in every engine. ** cannot be
// intercepted, so the sources are scanned for it; Math's functions are also made to throw.
const INEXACT = ['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'tanh', 'sinh', 'cosh', 'pow', 'sin', 'cos', 'tan', 'atan', 'atan2', 'asin', 'acos', 'cbrt', 'hypot'] as const;

/** Every non-test .ts file under dir (a file URL ending in '/'). */
function sources(dir: URL): URL[] {
  return readdirSync(dir).flatMap((f) => {
    const url = new URL(f, dir);
    if (statSync(url).isDirectory()) return sources(new URL(`${f}/`, dir));
    return f.endsWith('.ts') && !f.endsWith('.test.ts') ? [url] : [];
  });
}

/** Code lines of a source, comments dropped; `2 ** <integer>` (exact in every engine) dropped too. */
const codeOf = (url: URL): string =>
  readFileSync(url, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n').replace(/\b2 \*\* \d+\b/g, '2');

describe('nn uses portable math (same bits in every engine)', () => {
  it('no nn source calls an inexact Math function or uses ** (except 2 ** integer)', () => {
    const files = sources(new URL('../', import.meta.url));
    expect(files.length).to.be.greaterThan(30);
    const inexact = new RegExp(`Math\\.(${INEXACT.join('|')})\\b`);
    for (const f of files) {
      const code = codeOf(f);
      expect(inexact.exec(code)?.[0], `${f.pathname} calls an inexact Math function`).to.equal(undefined);
      expect(/[^*/\s]\s*\*\*[^*/]/.exec(code)?.[0], `${f.pathname} uses **`).to.equal(undefined);
    }
  });

  it("Adam, AdamW, StepLR, MultiStepLR and clipGradNorm run with Math's inexact functions throwing, with the closed-form β^t and γ^k", () => {
    const math = Math as unknown as Record<string, unknown>;
    const saved = INEXACT.map((name) => [name, math[name]] as const);
    const lrs: number[] = [];
    let w: Tensor;
    let norms: number[];
    try {
      for (const name of INEXACT) {
        math[name] = () => {
          throw new Error(`Math.${name} called`);
        };
      }
      w = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
      const adam = new Adam([w], { lr: 0.1, betas: [0.8, 0.95] });
      const step = new StepLR(adam, 2, 0.7);
      for (let t = 1; t <= 5; t++) {
        adam.zeroGrad();
        sum(w).backward(); // gradient 1 everywhere: the first step moves each weight by exactly lr
        adam.step();
        step.step();
        lrs.push(adam.paramGroups[0]!.lr);
      }
      const v = tensor([0.5], { requiresGrad: true });
      const adamw = new AdamW([v], { lr: 0.1 });
      const multi = new MultiStepLR(adamw, [1, 3], 0.3);
      for (let e = 0; e < 4; e++) multi.step();
      lrs.push(adamw.paramGroups[0]!.lr);
      const g = [tensor([3, 4], { requiresGrad: true }), tensor([12], { requiresGrad: true })];
      g.forEach((p) => (p.grad = tensor(p.data)));
      norms = [clipGradNorm(g, 100, { normType: 3 }), clipGradNorm(g, 100, { normType: 1.5 })];
    } finally {
      for (const [name, f] of saved) math[name] = f;
    }
    expect(lrs).to.deep.equal([0.1, 0.1 * portablePow(0.7, 1), 0.1 * portablePow(0.7, 1), 0.1 * portablePow(0.7, 2), 0.1 * portablePow(0.7, 2), 0.1 * portablePow(0.3, 2)]);
    expect(norms[0]).to.equal(portablePow(27 + 64 + 1728, 1 / 3));
    expect(norms[1]).to.be.closeTo((3 ** 1.5 + 8 + 12 ** 1.5) ** (1 / 1.5), 1e-12);
    // After 5 steps of gradient 1 Adam moves by Σ lr_t · (1 − β1^t)/(1 − β1^t) / (√((1 − β2^t)/(1 − β2^t)) + ε/…) ≈ Σ lr_t.
    expect(w.data[0]).to.be.closeTo(1 - (0.1 + 0.1 + 0.07 + 0.07 + 0.049), 1e-6);
  });
});
