import { expect } from 'chai';
import fc from 'fast-check';
import { conv2d, setNumThreads, vjp } from '../../../index.js';
import { wasmAvailable } from '../wasm/runtime.js';
import { fillTensor } from '../../../testing/arbitraries.js';
import { zeroFilled } from '../../../tensor/creation.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { type PaddingSpec, window2d } from '../../../ops/window.js';
import { patternIndex } from '../../../ops/conv/conv-matrix.js';
import { convOutputShape } from '../../conv.js';
import { type ConvProduct, type ConvShape, type ConvStrategy, type FloatType, type RuleTable, convShape } from './types.js';
import { RULE_TABLE } from './rule-table.js';
import { ruleChoice } from './rule.js';
import {
  SERIAL, TUNE_MIN_FLOPS, clearConvDecisions, convChoices, convDecisions, convFlops, convRuleChoice, convStrategies, convTuning,
  restoreConvChoices, runStrategy as runChosen, setConvStrategy, setConvTuning,
} from './chooser.js';
import { ArgumentError } from '../../../errors.js';

const products: ConvProduct[] = ['forward', 'inputGrad', 'filterGrad'];

/** The three products straight from C's entries (w[co, ci, t] at row (co, p), column (ci, S[t, p])), with Σ|terms| per entry. */
function reference(s: ConvShape, x: Tensor, w: Tensor, b: Tensor, dy: Tensor) {
  const { n, cin, cout, groups, plane, S } = s;
  const index = patternIndex(S.window);
  const cinG = cin / groups;
  const coutG = cout / groups;
  const P = S.positions;
  const fwd = { v: new Float64Array(n * cout * P), abs: new Float64Array(n * cout * P) };
  const dx = { v: new Float64Array(x.size), abs: new Float64Array(x.size) };
  const dw = { v: new Float64Array(w.size), abs: new Float64Array(w.size) };
  for (let i = 0; i < n; i++) {
    for (let co = 0; co < cout; co++) {
      const grp = Math.floor(co / coutG);
      for (let p = 0; p < P; p++) {
        const yi = (i * cout + co) * P + p;
        fwd.v[yi] = b.data[co]!;
        fwd.abs[yi] = Math.abs(b.data[co]!);
        for (let ci = 0; ci < cinG; ci++) {
          for (let t = 0; t < S.taps; t++) {
            const at = index[t * P + p]!;
            if (at < 0) continue;
            const xi = (i * cin + grp * cinG + ci) * plane + at;
            const wi = (co * cinG + ci) * S.taps + t;
            const [xv, wv, gv] = [x.data[xi]!, w.data[wi]!, dy.data[yi]!];
            fwd.v[yi]! += wv * xv;
            fwd.abs[yi]! += Math.abs(wv * xv);
            dx.v[xi]! += wv * gv;
            dx.abs[xi]! += Math.abs(wv * gv);
            dw.v[wi]! += gv * xv;
            dw.abs[wi]! += Math.abs(gv * xv);
          }
        }
      }
    }
  }
  return { forward: fwd, inputGrad: dx, filterGrad: dw };
}

/**
 * float64: every entry within rel·Σ|terms| of its own. float32: within rel·max Σ|terms| (norm-wise):
 * Winograd's transforms mix a tile's terms, so a small entry carries its tile's rounding.
 */
function expectMatches(what: string, got: Tensor, ref: { v: Float64Array; abs: Float64Array }, rel: number): void {
  expect(got.size, what).to.equal(ref.v.length);
  const scale = got.dtype === 'float32' ? maxAbsDiff(ref.abs) : 0;
  for (let i = 0; i < ref.v.length; i++) {
    const err = Math.abs(got.data[i]! - ref.v[i]!);
    if (!(err <= rel * (Math.max(ref.abs[i]!, scale) + 1e-30))) expect.fail(`${what}: entry ${i} is ${got.data[i]}, expected ${ref.v[i]} (error ${err})`);
  }
}

/** Random geometries, stride 1 most of the time, often 1×1 or 3×3 (where the alternative strategies apply), some with a truncated output (as convTranspose2d's VJP makes). */
const geometryArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cinG: fc.integer({ min: 1, max: 3 }), coutG: fc.integer({ min: 1, max: 6 }),
  kH: fc.integer({ min: 1, max: 3 }), kW: fc.integer({ min: 1, max: 3 }), stride: fc.constantFrom(1, 1, 1, 2), strideW: fc.constantFrom(1, 1, 2),
  dilationH: fc.integer({ min: 1, max: 2 }), dilationW: fc.integer({ min: 1, max: 2 }),
  padding: fc.constantFrom<PaddingSpec>(0, 1, 2, [1, 0], [0, 2], 'same'), extraH: fc.integer({ min: 0, max: 4 }), extraW: fc.integer({ min: 0, max: 5 }),
  cropH: fc.integer({ min: 0, max: 1 }), cropW: fc.integer({ min: 0, max: 1 }),
  // Some cases are 1×1 with stride 1 and no padding (pointwise applies), some 3×3 with stride 1 (winograd).
  kernel: fc.constantFrom('any', 'any', '1x1', '3x3'), dtype: fc.constantFrom<FloatType>('float32', 'float64'), seed: fc.integer({ min: 1, max: 1e6 }),
});

function caseOf(r: typeof geometryArb extends fc.Arbitrary<infer T> ? T : never) {
  const c =
    r.kernel === '1x1' ? { ...r, kH: 1, kW: 1, stride: 1, strideW: 1, padding: 0, cropH: 0, cropW: 0 }
    : r.kernel === '3x3' ? { ...r, kH: 3, kW: 3, stride: 1, strideW: 1, dilationH: 1, dilationW: 1 }
    : r;
  const stride: [number, number] = c.padding === 'same' ? [1, 1] : [c.stride, c.strideW];
  const inH = c.dilationH * (c.kH - 1) + 1 + c.extraH;
  const inW = c.dilationW * (c.kW - 1) + 1 + c.extraW;
  const full = window2d('conv2d', inH, inW, { kernelSize: [c.kH, c.kW], stride, padding: c.padding, dilation: [c.dilationH, c.dilationW] });
  const window = { ...full, outH: Math.max(1, full.outH - c.cropH), outW: Math.max(1, full.outW - c.cropW) };
  const cin = c.groups * c.cinG;
  const cout = c.groups * c.coutG;
  const s = convShape({ n: c.n, cin, cout, groups: c.groups, window });
  const opts = { dtype: c.dtype, min: -1, max: 1 };
  const x = fillTensor([c.n, cin, inH, inW], c.seed, opts);
  const w = fillTensor([cout, c.cinG, c.kH, c.kW], c.seed + 1, opts);
  const b = fillTensor([cout], c.seed + 2, opts);
  const dy = fillTensor([c.n, cout, window.outH, window.outW], c.seed + 3, opts);
  return { s, x, w, b, dy };
}

/** max_i |a[i] - b[i]| (b absent: max |a[i]|). */
function maxAbsDiff(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - (b?.[i] ?? 0)));
  return m;
}

/** Runs one strategy into an output pre-filled with NaN: an element it fails to write shows. */
function runStrategy(product: ConvProduct, st: ConvStrategy<ConvProduct>, s: ConvShape, x: Tensor, w: Tensor, b: Tensor | null, dy: Tensor): Tensor {
  const out = zeroFilled(convOutputShape(product, s), x.dtype, 'cpu');
  out.data.fill(NaN);
  if (product === 'forward') runChosen('forward', st as ConvStrategy<'forward'>, s, out.data, x.data, w.data, b?.data ?? null);
  else if (product === 'inputGrad') runChosen('inputGrad', st as ConvStrategy<'inputGrad'>, s, out.data, dy.data, w.data);
  else runChosen('filterGrad', st as ConvStrategy<'filterGrad'>, s, out.data, x.data, dy.data);
  return out;
}

describe('conv strategies', () => {
  beforeEach(clearConvDecisions);
  afterEach(() => {
    for (const p of products) setConvStrategy(p, 'auto');
    setConvTuning('rule');
    clearConvDecisions();
  });

  it('every applicable strategy of every product writes all of its output and agrees with the explicit C over random geometries (float32 and float64)', () => {
    const ran = new Set<string>();
    fc.assert(
      fc.property(geometryArb, (c) => {
        const { s, x, w, b, dy } = caseOf(c);
        const ref = reference(s, x, w, b, dy);
        for (const product of products) {
          for (const st of convStrategies(product) as readonly ConvStrategy<ConvProduct>[]) {
            if (!st.applies(s, c.dtype)) continue;
            ran.add(`${product}/${st.name}/${c.dtype}`);
            const got = runStrategy(product, st, s, x, w, b, dy);
            expect(got.dtype).to.equal(c.dtype);
            expectMatches(`${product} by ${st.name} (${c.dtype})`, got, ref[product], c.dtype === 'float32' ? 1e-5 : 1e-12);
          }
        }
      }),
      { numRuns: 150 },
    );
    // Each strategy was exercised where it claims to apply.
    for (const product of products) {
      for (const st of convStrategies(product)) {
        if (st.name !== 'direct' || wasmAvailable()) expect([...ran].some((r) => r.startsWith(`${product}/${st.name}/`)), `${product}/${st.name}`).to.equal(true);
      }
    }
  });

  it('every strategy agrees with the gathered default on a batch processed in several chunks', () => {
    // 21 images of 16×28×28 → 16 channels: several chunks for every strategy's staging.
    const s = convShape({ n: 21, cin: 16, cout: 16, groups: 1, window: window2d('conv2d', 28, 28, { kernelSize: 3, stride: 1, padding: 1 }) });
    const x = fillTensor([21, 16, 28, 28], 1, { dtype: 'float32', min: -1, max: 1 });
    const w = fillTensor([16, 16, 3, 3], 2, { dtype: 'float32', min: -1, max: 1 });
    const b = fillTensor([16], 3, { dtype: 'float32', min: -1, max: 1 });
    const dy = fillTensor([21, 16, 28, 28], 4, { dtype: 'float32', min: -1, max: 1 });
    for (const product of products) {
      const [base, ...others] = convStrategies(product) as readonly ConvStrategy<ConvProduct>[];
      const ref = runStrategy(product, base!, s, x, w, b, dy);
      const scale = maxAbsDiff(ref.data);
      for (const st of others.filter((o) => o.applies(s, 'float32'))) {
        const got = runStrategy(product, st, s, x, w, b, dy);
        const err = maxAbsDiff(got.data, ref.data);
        expect(err, `${product} by ${st.name}`).to.be.below(1e-5 * scale);
      }
    }
  });

  it('the alternatives claim only the geometries they are correct for', () => {
    const shape = (stride: number, padding: number, k = 3): ConvShape => {
      const g = window2d('conv2d', 8, 8, { kernelSize: k, stride, padding });
      return convShape({ n: 1, cin: 2, cout: 4, groups: 1, window: g });
    };
    const named = (p: ConvProduct, name: string) => (convStrategies(p) as readonly ConvStrategy<ConvProduct>[]).find((c) => c.name === name)!;
    const [direct, flipped] = [named('forward', 'direct'), named('inputGrad', 'flipped')];
    expect(direct.applies(shape(1, 1), 'float32')).to.equal(wasmAvailable());
    expect(direct.applies(shape(2, 1), 'float32')).to.equal(false);
    expect(direct.applies(shape(1, 1), 'float64')).to.equal(false);
    expect(flipped.applies(shape(1, 2), 'float64')).to.equal(true);
    expect(flipped.applies(shape(2, 1), 'float32')).to.equal(false);
    // Padding 3 with a 3×3 kernel would need a negative padding in the flipped conv.
    expect(flipped.applies(shape(1, 3), 'float32')).to.equal(false);
    // 1×1: pointwise only without stride or padding (then the planes are the columns), for every product.
    for (const p of products) {
      expect(named(p, 'pointwise').applies(shape(1, 0, 1), 'float64'), p).to.equal(true);
      expect(named(p, 'pointwise').applies(shape(2, 0, 1), 'float32'), p).to.equal(false);
      expect(named(p, 'pointwise').applies(shape(1, 1, 1), 'float32'), p).to.equal(false);
    }
  });

  it('benchmark mode times each applicable candidate at the first call of a geometry (float32, enough work) and reuses the winner', () => {
    setConvTuning('benchmark');
    const x = fillTensor([4, 3, 32, 32], 1, { dtype: 'float32' });
    const w = fillTensor([16, 3, 3, 3], 2, { dtype: 'float32' });
    const s = convShape({ n: 4, cin: 3, cout: 16, groups: 1, window: window2d('conv2d', 32, 32, { kernelSize: 3, stride: 1, padding: 1 }) });
    expect(convFlops(s)).to.be.greaterThan(TUNE_MIN_FLOPS);
    const y = conv2d(x, w, null, { padding: 1 });
    const [first, ...others] = convDecisions();
    expect(others).to.have.length(0);
    const applicable = convStrategies('forward').filter((c) => c.applies(s, 'float32')).map((c) => c.name);
    expect(first!.product).to.equal('forward');
    expect(Object.keys(first!.times)).to.deep.equal(applicable);
    // The winner is the fastest, or the default when no alternative is 5% faster.
    const fastest = Math.min(...Object.values(first!.times));
    const winner = first!.times[first!.winner]!;
    if (first!.winner === 'gathered') expect(fastest).to.be.at.least(winner * 0.95);
    else expect(winner).to.equal(fastest).and.to.be.below(first!.times.gathered! * 0.95);
    // Later calls run the winner without timing again: the same result, bit for bit.
    const again = conv2d(x, w, null, { padding: 1 });
    expect(convDecisions()).to.deep.equal([first]);
    expect([...again.data]).to.deep.equal([...y.data]);
    // The input gradient of the same geometry is its own decision; its flipped candidate is a
    // forward conv of dy (16 channels in, 3 out), which makes its own forward decision.
    const [, pullback] = vjp((xx) => conv2d(xx, w, null, { padding: 1 }), x);
    const dx = pullback(again, { retainGraph: true })[0]!; // called twice: keep the graph
    expect([...pullback(again)[0]!.data]).to.deep.equal([...dx.data]);
    const later = convDecisions().filter((d) => d !== first);
    expect(later.filter((d) => d.product === 'inputGrad')).to.have.length(1);
    for (const d of later.filter((e) => e.product === 'forward')) expect(d.key.split(',').slice(3, 6)).to.deep.equal(['4', '16', '3']);
  });

  it('convChoices / restoreConvChoices carry the choices to another process (here: after forgetting them)', () => {
    const x = fillTensor([4, 8, 16, 16], 1, { dtype: 'float32' });
    const w = fillTensor([16, 8, 3, 3], 2, { dtype: 'float32' });
    conv2d(x, w, null, { padding: 1 });
    const choices = convChoices();
    const [key] = Object.keys(choices);
    expect(key).to.match(/^forward,float32,\d+,4,8,16,1,16,16,3,3,/);
    // Force a choice other than the measured one, as a checkpoint from another run might hold.
    const other = convStrategies('forward').map((c) => c.name).find((n) => n !== choices[key!] && n !== 'pointwise' && n !== 'direct') ?? 'gathered';
    clearConvDecisions();
    restoreConvChoices({ [key!]: other });
    const y = conv2d(x, w, null, { padding: 1 });
    expect(convDecisions().map((d) => [d.key, d.winner, d.times])).to.deep.equal([[key, other, {}]]); // no timing ran
    setConvStrategy('forward', other);
    expect([...conv2d(x, w, null, { padding: 1 }).data]).to.deep.equal([...y.data]);
    setConvStrategy('forward', 'auto');
    expect(() => restoreConvChoices({ [key!]: 'fft' })).to.throw(/restoreConvChoices: forward has algorithms gathered, .* not 'fft'/);
    expect(() => restoreConvChoices({ 'sideways,float32': 'gathered' })).to.throw(/not a conv choice key/);
  });

  it('setConvTuning(false) runs the default without timing (bit for bit the gathered result)', () => {
    const x = fillTensor([4, 8, 16, 16], 1, { dtype: 'float32' });
    const w = fillTensor([16, 8, 3, 3], 2, { dtype: 'float32' });
    setConvTuning(false);
    try {
      const y = conv2d(x, w, null, { padding: 1 });
      expect(convDecisions()).to.have.length(0);
      setConvStrategy('forward', 'gathered');
      expect([...conv2d(x, w, null, { padding: 1 }).data]).to.deep.equal([...y.data]);
    } finally {
      setConvTuning('rule');
      setConvStrategy('forward', 'auto');
    }
  });

  it('with 2 GEMM threads benchmark mode also times every strategy with its GEMMs on the calling thread alone (/1t): same results', async () => {
    setConvTuning('benchmark');
    const x = fillTensor([4, 8, 16, 16], 1, { dtype: 'float32' });
    const w = fillTensor([16, 8, 3, 3], 2, { dtype: 'float32' });
    expect(await setNumThreads(2)).to.equal(true);
    try {
      conv2d(x, w, null, { padding: 1 });
      const [d] = convDecisions();
      const names = convStrategies('forward').filter((c) => c.name !== 'pointwise').map((c) => c.name);
      expect(Object.keys(d!.times).sort()).to.deep.equal(names.flatMap((n) => [n, `${n}/1t`]).sort());
      expect(d!.key.split(',')[2]).to.equal('2');
      const results = ['gathered', 'gathered/1t'].map((winner) => {
        restoreConvChoices({ [d!.key]: winner });
        return [...conv2d(x, w, null, { padding: 1 }).data];
      });
      expect(results[1]).to.deep.equal(results[0]); // a GEMM's result does not depend on its threads
    } finally {
      await setNumThreads(1);
    }
  });

  it('small or float64 convs take the default without timing', () => {
    for (let i = 0; i < 3; i++) {
      conv2d(fillTensor([1, 3, 8, 8], 1, { dtype: 'float32' }), fillTensor([4, 3, 3, 3], 2, { dtype: 'float32' }));
      conv2d(fillTensor([4, 3, 32, 32], 1), fillTensor([16, 3, 3, 3], 2), null, { padding: 1 });
    }
    expect(convDecisions()).to.have.length(0);
  });

  it('setConvStrategy forces a strategy where it applies (bit for bit), the default elsewhere, and rejects unknown names', () => {
    const x = fillTensor([2, 3, 9, 9], 1, { dtype: 'float32' });
    const w = fillTensor([5, 3, 3, 3], 2, { dtype: 'float32' });
    const dy = fillTensor([2, 5, 9, 9], 3, { dtype: 'float32' });
    const s = convShape({ n: 2, cin: 3, cout: 5, groups: 1, window: window2d('conv2d', 9, 9, { kernelSize: 3, stride: 1, padding: 1 }) });
    for (const product of products) {
      for (const st of convStrategies(product) as readonly ConvStrategy<ConvProduct>[]) {
        if (!st.applies(s, 'float32')) continue;
        setConvStrategy(product, st.name);
        const [y, pullback] = vjp((xx, ww) => conv2d(xx, ww, null, { padding: 1 }), x, w);
        const [dx, dw] = pullback(dy);
        const got = { forward: y, inputGrad: dx!, filterGrad: dw! }[product];
        expect([...got.data], `${product} forced to ${st.name}`).to.deep.equal([...runStrategy(product, st, s, x, w, null, dy).data]);
      }
    }
    setConvStrategy('forward', 'direct');
    const strided = conv2d(x, w, null, { stride: 2 });
    setConvStrategy('forward', 'gathered');
    expect([...strided.data]).to.deep.equal([...conv2d(x, w, null, { stride: 2 }).data]);
    expect(() => setConvStrategy('forward', 'fft')).to.throw(/forward has strategies gathered, pointwise, direct, winograd, winograd4x4 \(or 'auto'\), not 'fft'/);
    expect(convDecisions()).to.have.length(0);
  });

  it('by default (rule) the algorithms are a function of the conv alone: no timing, the same after forgetting, and the same bits with 1 and 2 threads', async () => {
    expect(convTuning()).to.equal('rule');
    const x = fillTensor([8, 16, 16, 16], 1, { dtype: 'float32', min: -1, max: 1 });
    const w = fillTensor([32, 16, 3, 3], 2, { dtype: 'float32', min: -1, max: 1 });
    const dy = fillTensor([8, 32, 16, 16], 3, { dtype: 'float32', min: -1, max: 1 });
    const step = (): number[][] => {
      const [y, pullback] = vjp((xx, ww) => conv2d(xx, ww, null, { padding: 1 }), x, w);
      return [y, ...pullback(dy)].map((t) => [...t!.data]);
    };
    const first = step();
    const decided = convDecisions();
    // (A flipped dx adds the decision of its inner forward conv.)
    expect([...new Set(decided.map((d) => d.product))].sort()).to.deep.equal(['filterGrad', 'forward', 'inputGrad']);
    for (const d of decided) {
      expect(d.source, d.key).to.equal('rule');
      expect(d.times, d.key).to.deep.equal({});
      expect(d.winner, d.key).to.equal(convRuleChoice(d.key));
    }
    clearConvDecisions(); // as a fresh process would start
    expect(step()).to.deep.equal(first);
    expect(convChoices()).to.deep.equal(Object.fromEntries(decided.map((d) => [d.key, d.winner])));
    expect(await setNumThreads(2)).to.equal(true);
    try {
      expect(step()).to.deep.equal(first);
      const threaded = convDecisions().filter((d) => d.key.split(',')[2] === '2');
      expect(threaded.length).to.be.at.least(3);
      for (const d of threaded) expect(d.winner.replace(SERIAL, ''), d.key).to.equal(convRuleChoice(d.key.replace(/^(\w+,\w+,)2,/, '$11,')));
    } finally {
      await setNumThreads(1);
    }
  });

  it('the rule picks the same algorithm for every thread count: only the /1t variant (the same bits) differs', () => {
    let compared = 0;
    for (const product of products) {
      for (const threads of [1, 2] as const) {
        for (const [signature, rows] of Object.entries(RULE_TABLE[threads][product])) {
          for (const r of rows) {
            const s = { n: r[0]!, cin: r[1]!, cout: r[2]!, groups: 1, plane: 1, S: { positions: r[3]!, taps: r[4]! } } as ConvShape;
            const one = ruleChoice(product, s, signature.split('+'), 1);
            for (const t of [2, 3, 8]) expect(ruleChoice(product, s, signature.split('+'), t).replace(SERIAL, ''), `${product} ${r.join(',')} ${t} threads`).to.equal(one);
            compared++;
          }
        }
      }
    }
    expect(compared).to.be.greaterThan(1000);
  });

  it('the rule weighs the nearest measured points (same applicable algorithms) by closeness, keeps the default unless 5% faster, and picks /1t by the 2-thread rows', () => {
    const at = (n: number, cin = 16): ConvShape => ({ n, cin, cout: 16, groups: 1, plane: 1, S: { positions: 256, taps: 9 } }) as ConvShape;
    const applicable = ['gathered', 'direct', 'winograd'];
    const sig = applicable.join('+');
    const none = { forward: {}, inputGrad: {}, filterGrad: {} };
    // Times in % of gathered's: at 8 images Winograd is far faster, at 64 a little slower.
    const table = (serial: number): RuleTable => ({
      1: { ...none, forward: { [sig]: [[8, 16, 16, 256, 9, 105, 40], [64, 16, 16, 256, 9, 104, 110]] } },
      2: { ...none, forward: { [sig]: [[8, 16, 16, 256, 9, serial], [64, 16, 16, 256, 9, serial]] } },
    });
    const t = table(120);
    expect(ruleChoice('forward', at(8), applicable, 1, t)).to.equal('winograd');
    expect(ruleChoice('forward', at(64), applicable, 1, t)).to.equal('gathered'); // its own point dominates
    // 24 images: nearer 64 (log2 distance 1.42) than 8 (1.58), but weighed together (0.33 and
    // 0.28) the mean of Winograd's times is 69% of gathered's: a nearest-point rule would say gathered.
    expect(ruleChoice('forward', at(24), applicable, 1, t)).to.equal('winograd');
    // Direct at 104-105%: never; and a 4% gain is within the margin, so the default stays.
    const close: RuleTable = { ...t, 1: { ...none, forward: { [sig]: [[8, 16, 16, 256, 9, 96, 97]] } } };
    expect(ruleChoice('forward', at(8), applicable, 1, close)).to.equal('gathered');
    // Threads: the same algorithm, on the calling thread alone where the 2-thread rows say it is faster.
    expect(ruleChoice('forward', at(8), applicable, 2, t)).to.equal('winograd');
    expect(ruleChoice('forward', at(8), applicable, 2, table(80))).to.equal('winograd/1t');
    expect(ruleChoice('forward', at(64), applicable, 4, table(80))).to.equal('gathered/1t');
    // Applicable algorithms no row was measured with, or a product without rows: the default.
    expect(ruleChoice('forward', at(8), ['gathered', 'direct'], 2, t)).to.equal('gathered');
    expect(ruleChoice('inputGrad', at(8), applicable, 1, t)).to.equal('gathered');
  });

  it('setConvTuning takes rule, benchmark or off (true and false: benchmark and off), rejects the rest, and forgets the previous mode\'s choices but not restored ones', () => {
    const x = fillTensor([4, 8, 16, 16], 1, { dtype: 'float32' });
    const w = fillTensor([16, 8, 3, 3], 2, { dtype: 'float32' });
    for (const [mode, now] of [[true, 'benchmark'], ['off', 'off'], [false, 'off'], ['benchmark', 'benchmark'], ['rule', 'rule']] as const) {
      setConvTuning(mode);
      expect(convTuning()).to.equal(now);
    }
    for (const bad of ['fast', 'Rule', '', 1, null, undefined, {}]) {
      expect(() => setConvTuning(bad as never)).to.throw(ArgumentError, /^setConvTuning: mode must be one of 'rule', 'benchmark', 'off' \(or true \/ false for 'benchmark' \/ 'off'\), got /);
    }
    expect(convTuning()).to.equal('rule');
    conv2d(x, w, null, { padding: 1 });
    const [ruled] = convDecisions();
    expect(ruled!.source).to.equal('rule');
    restoreConvChoices({ 'forward,float32,1,9,9,9,1,9,9,3,3,1,1,1,1,1,1,9,9': 'gathered' });
    setConvTuning('benchmark');
    expect(convDecisions().map((d) => d.source)).to.deep.equal(['restored']);
    conv2d(x, w, null, { padding: 1 });
    expect(convDecisions().map((d) => d.source)).to.deep.equal(['restored', 'benchmark']);
    setConvTuning('benchmark'); // the same mode: nothing forgotten
    expect(convDecisions()).to.have.length(2);
    setConvTuning('rule');
    expect(convDecisions().map((d) => d.source)).to.deep.equal(['restored']);
  });

  it('convRuleChoice rejects what is not a key of convChoices', () => {
    for (const bad of ['', 'forward', 'sideways,float32,1,4,8,16,1,16,16,3,3,1,1,1,1,1,1,16,16', 'forward,int32,1,4,8,16,1,16,16,3,3,1,1,1,1,1,1,16,16', 'forward,float32,1,4,8,16,1,16,16,3,3,1,1,1,1,1,1,16', 'forward,float32,1,4,8,16,1,16,16,3,3,1,1,1,1,1,1,16,x', 7]) {
      expect(() => convRuleChoice(bad as string), String(bad)).to.throw(ArgumentError, /^convRuleChoice: key must be a key of convChoices\(\)/);
    }
    // Too little work, or float64: the default, as runConv would run.
    expect(convRuleChoice('forward,float32,1,1,3,4,1,8,8,3,3,1,1,1,1,0,0,6,6')).to.equal('gathered');
    expect(convRuleChoice('forward,float64,1,8,16,32,1,16,16,3,3,1,1,1,1,1,1,16,16')).to.equal('gathered');
  });
});
