import { expect } from 'chai';
import { fillTensor } from '../../../testing/arbitraries.js';
import { window2d } from '../../../ops/window.js';
import { wasmAvailable } from '../wasm/runtime.js';
import { type ConvShape, convShape } from './types.js';
import { winogradFilterGrad, winogradForward } from './winograd.js';
import { winograd4x4FilterGrad, winograd4x4Forward } from './winograd4x4.js';

/** The float64 conv y (with bias), its filter gradient for `dy`, and Σ|terms| per entry of each, straight from the definition (3×3, stride 1). */
function reference(s: ConvShape, x: Float32Array, w: Float32Array, b: Float32Array, dy?: Float32Array) {
  const g = s.S.window;
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const y = new Float64Array(s.n * s.cout * g.outH * g.outW);
  const abs = new Float64Array(y.length);
  const dw = { y: new Float64Array(w.length), abs: new Float64Array(w.length) };
  for (let i = 0; i < s.n; i++) {
    for (let co = 0; co < s.cout; co++) {
      const gr = Math.floor(co / coutG);
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          let v = b[co]!, a = Math.abs(b[co]!);
          for (let c = 0; c < cinG; c++) {
            for (let kh = 0; kh < 3; kh++) {
              for (let kw = 0; kw < 3; kw++) {
                const [ih, iw] = [oh - g.padTop + kh, ow - g.padLeft + kw];
                if (ih < 0 || iw < 0 || ih >= g.inH || iw >= g.inW) continue;
                const [wi, xv] = [((co * cinG + c) * 3 + kh) * 3 + kw, x[((i * s.cin + gr * cinG + c) * g.inH + ih) * g.inW + iw]!];
                const t = w[wi]! * xv;
                v += t;
                a += Math.abs(t);
                if (dy === undefined) continue;
                const d = dy[((i * s.cout + co) * g.outH + oh) * g.outW + ow]! * xv;
                dw.y[wi]! += d;
                dw.abs[wi]! += Math.abs(d);
              }
            }
          }
          const k = ((i * s.cout + co) * g.outH + oh) * g.outW + ow;
          y[k] = v;
          abs[k] = a;
        }
      }
    }
  }
  return { y, abs, dw };
}

/** max |got - ref| / max Σ|terms| (NaN, an element not written, counts as infinite). */
function relativeError(got: Float32Array, ref: { y: Float64Array; abs: Float64Array }): number {
  let [err, scale] = [0, 0];
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - ref.y[i]!);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, ref.abs[i]!);
  }
  return err / scale;
}

function run(st: typeof winogradForward, s: ConvShape, x: Float32Array, w: Float32Array, b: Float32Array | null): Float32Array {
  const y = new Float32Array(s.n * s.cout * s.S.positions).fill(NaN);
  st.run(s, y, x, w, b);
  return y;
}

function runFilterGrad(st: typeof winogradFilterGrad, s: ConvShape, x: Float32Array, dy: Float32Array): Float32Array {
  const dw = new Float32Array(9 * s.cout * (s.cin / s.groups)).fill(NaN);
  st.run(s, dw, x, dy);
  return dw;
}

describe('winograd F(4×4, 3×3)', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('forward and filter gradient match the float64 conv within 1e-5 of the largest Σ|terms| on ragged tiles: sizes 1–17, paddings 0–2, groups, several tasks and filter chunks with a ragged last one', () => {
    // [n, cin, inH, inW, cout, padding, groups]: outputs of 1 to 17 rows and columns (whole,
    // partial and single tiles; groups of 4 tiles along x cut short; rows of 2 tiles, taken 2 rows
    // at a time, with an odd number of tile rows), batches that split into tasks unevenly.
    const cases = [
      [1, 1, 3, 3, 1, 0, 1], [2, 3, 5, 6, 4, 1, 1], [3, 2, 9, 11, 3, 1, 1], [5, 4, 13, 13, 6, 2, 2], [7, 6, 17, 18, 4, 1, 2], [2, 5, 7, 9, 7, 0, 1],
      [9, 8, 16, 16, 8, 1, 1], [3, 3, 11, 13, 5, 2, 1], [13, 16, 8, 10, 16, 1, 1], [5, 3, 11, 7, 4, 1, 1], [3, 4, 3, 8, 6, 1, 2], [6, 2, 7, 7, 5, 1, 1],
    ];
    for (const [k, [n, cin, inH, inW, cout, padding, groups]] of cases.entries()) {
      const s = convShape({ n: n!, cin: cin!, cout: cout!, groups: groups!, window: window2d('conv2d', inH!, inW!, { kernelSize: 3, stride: 1, padding: padding! }) });
      const g = s.S.window;
      const x = fillTensor([n!, cin!, g.inH, g.inW], 10 * k + 1, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const w = fillTensor([cout!, cin! / groups!, 3, 3], 10 * k + 2, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const b = fillTensor([cout!], 10 * k + 3, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const dy = fillTensor([n!, cout!, g.outH, g.outW], 10 * k + 4, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const ref = reference(s, x, w, b, dy);
      expect(relativeError(run(winograd4x4Forward, s, x, w, b), ref), `case ${k}`).to.be.below(1e-5);
      expect(relativeError(runFilterGrad(winograd4x4FilterGrad, s, x, dy), ref.dw), `case ${k} filter gradient`).to.be.below(1e-5);
      // Without bias: zeros added.
      const zero = reference(s, x, w, new Float32Array(cout!));
      expect(relativeError(run(winograd4x4Forward, s, x, w, null), zero), `case ${k} without bias`).to.be.below(1e-5);
    }
  });

  it('on the training models\' layers its errors (forward, filter gradient) are above F(2×2)\'s and below 1e-5 of the largest Σ|terms|', () => {
    // fmnist-cnn (batch cut to 4) and resnet20 (batch 2) layers: [n, cin, side, cout].
    for (const [k, [n, cin, side, cout]] of [[4, 32, 14, 64], [4, 64, 7, 128], [2, 16, 32, 16], [2, 64, 8, 64]].entries()) {
      const s = convShape({ n: n!, cin: cin!, cout: cout!, groups: 1, window: window2d('conv2d', side!, side!, { kernelSize: 3, stride: 1, padding: 1 }) });
      const x = fillTensor([n!, cin!, side!, side!], 10 * k + 1, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const w = fillTensor([cout!, cin!, 3, 3], 10 * k + 2, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const b = fillTensor([cout!], 10 * k + 3, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const dy = fillTensor([n!, cout!, side!, side!], 10 * k + 4, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;
      const ref = reference(s, x, w, b, dy);
      const [e4, e2] = [run(winograd4x4Forward, s, x, w, b), run(winogradForward, s, x, w, b)].map((y) => relativeError(y, ref));
      expect(e4, `layer ${k}`).to.be.below(1e-5);
      expect(e4, `layer ${k}`).to.be.above(e2!);
      const [d4, d2] = [winograd4x4FilterGrad, winogradFilterGrad].map((st) => relativeError(runFilterGrad(st, s, x, dy), ref.dw));
      expect(d4, `layer ${k} filter gradient`).to.be.below(1e-5);
      expect(d4, `layer ${k} filter gradient`).to.be.above(d2!);
    }
  });
});
