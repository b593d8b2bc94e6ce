import { expect } from 'chai';
import fc from 'fast-check';
import { conv2d, convMatrix, convTranspose2d, grad, mul, sum, tensor, vjp } from '../../index.js';
import { checkAdjoint, checkGrads } from '../../testing/index.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { ArgumentError, ShapeError } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { type PaddingSpec, window2d } from '../window.js';
import { convPattern, convPatternCacheSize } from '../../backend/cpu/conv/pattern.js';
import { gatherColumns, scatterAddColumns } from '../../backend/cpu/conv/columns.js';
import { patternIndex } from './conv-matrix.js';

// ---- independent references: direct loops over the definitions, nothing shared with the fast path

interface Geometry {
  stride: [number, number];
  padding: number | [number, number] | 'same' | 'valid';
  dilation: [number, number];
  groups: number;
}

/** [top, bottom, left, right] as PyTorch pads ('same': the odd extra goes bottom/right). */
function pads(g: Geometry, kH: number, kW: number): [number, number, number, number] {
  if (g.padding === 'valid') return [0, 0, 0, 0];
  if (g.padding === 'same') {
    const th = g.dilation[0] * (kH - 1);
    const tw = g.dilation[1] * (kW - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  const [ph, pw] = typeof g.padding === 'number' ? [g.padding, g.padding] : g.padding;
  return [ph, ph, pw, pw];
}

const at = (t: Tensor, i: number, j: number, k: number, l: number): number =>
  t.data[((i * t.shape[1]! + j) * t.shape[2]! + k) * t.shape[3]! + l]!;

function naiveConv2d(x: Tensor, w: Tensor, b: Tensor | null, g: Geometry): Tensor {
  const [N, C, H, W] = x.shape as number[] as [number, number, number, number];
  const [Co, Cg, kH, kW] = w.shape as number[] as [number, number, number, number];
  const [pt, pb, pl, pr] = pads(g, kH, kW);
  const oH = Math.floor((H + pt + pb - g.dilation[0] * (kH - 1) - 1) / g.stride[0]) + 1;
  const oW = Math.floor((W + pl + pr - g.dilation[1] * (kW - 1) - 1) / g.stride[1]) + 1;
  const out = new Float64Array(N * Co * oH * oW);
  const coPerGroup = Co / g.groups;
  expect(C).to.equal(Cg * g.groups);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < Co; co++)
      for (let oh = 0; oh < oH; oh++)
        for (let ow = 0; ow < oW; ow++) {
          let s = b === null ? 0 : b.data[co]!;
          const grp = Math.floor(co / coPerGroup);
          for (let ci = 0; ci < Cg; ci++)
            for (let kh = 0; kh < kH; kh++)
              for (let kw = 0; kw < kW; kw++) {
                const ih = oh * g.stride[0] - pt + kh * g.dilation[0];
                const iw = ow * g.stride[1] - pl + kw * g.dilation[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += at(x, n, grp * Cg + ci, ih, iw) * at(w, co, ci, kh, kw);
              }
          out[((n * Co + co) * oH + oh) * oW + ow] = s;
        }
  return new Tensor(out, [N, Co, oH, oW]);
}

/** PyTorch's conv_transpose2d by its definition: every input pixel scatters its weighted kernel. */
function naiveConvTranspose2d(
  x: Tensor, w: Tensor, b: Tensor | null,
  o: { stride: [number, number]; padding: [number, number]; outputPadding: [number, number]; dilation: [number, number]; groups: number },
): Tensor {
  const [N, Ci, H, W] = x.shape as number[] as [number, number, number, number];
  const [, Cog, kH, kW] = w.shape as number[] as [number, number, number, number];
  const Co = Cog * o.groups;
  const oH = (H - 1) * o.stride[0] - 2 * o.padding[0] + o.dilation[0] * (kH - 1) + o.outputPadding[0] + 1;
  const oW = (W - 1) * o.stride[1] - 2 * o.padding[1] + o.dilation[1] * (kW - 1) + o.outputPadding[1] + 1;
  const out = new Float64Array(N * Co * oH * oW);
  const ciPerGroup = Ci / o.groups;
  for (let n = 0; n < N; n++)
    for (let ci = 0; ci < Ci; ci++)
      for (let h = 0; h < H; h++)
        for (let v = 0; v < W; v++)
          for (let co = 0; co < Cog; co++)
            for (let kh = 0; kh < kH; kh++)
              for (let kw = 0; kw < kW; kw++) {
                const oh = h * o.stride[0] - o.padding[0] + kh * o.dilation[0];
                const ow = v * o.stride[1] - o.padding[1] + kw * o.dilation[1];
                if (oh < 0 || oh >= oH || ow < 0 || ow >= oW) continue;
                const c = Math.floor(ci / ciPerGroup) * Cog + co;
                out[((n * Co + c) * oH + oh) * oW + ow]! += at(x, n, ci, h, v) * at(w, ci, co, kh, kw);
              }
  if (b !== null) for (let i = 0; i < out.length; i++) out[i]! += b.data[Math.floor(i / (oH * oW)) % Co]!;
  return new Tensor(out, [N, Co, oH, oW]);
}

function expectClose(actual: Tensor | ArrayLike<number>, expected: Tensor | ArrayLike<number>, tol = 1e-10): void {
  const a = actual instanceof Tensor ? actual.data : actual;
  const e = expected instanceof Tensor ? expected.data : expected;
  if (actual instanceof Tensor && expected instanceof Tensor) expect(actual.shape).to.deep.equal(expected.shape);
  expect(a.length).to.equal(e.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - e[i]!) <= tol * (1 + Math.abs(e[i]!)))) expect.fail(`element ${i}: ${a[i]} vs ${e[i]}`);
  }
}

let seed = 1;
const rnd = (shape: number[]): Tensor => fillTensor(shape, seed++);

/** Random geometries: strides, paddings (incl. 'same' with even kernels), dilations, groups, batch. */
const geometryArb = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 3 }), cinG: fc.integer({ min: 1, max: 3 }), coutG: fc.integer({ min: 1, max: 3 }),
    kH: fc.integer({ min: 1, max: 4 }), kW: fc.integer({ min: 1, max: 4 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), fc.constantFrom('same' as const, 'valid' as const)),
    extra: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })),
    bias: fc.boolean(),
  })
  .map((r) => {
    const g: Geometry = { stride: r.padding === 'same' ? [1, 1] : r.stride, padding: r.padding, dilation: r.dilation, groups: r.groups };
    const [pt, pb, pl, pr] = pads(g, r.kH, r.kW);
    const H = Math.max(1, g.dilation[0] * (r.kH - 1) + 1 - pt - pb + r.extra[0]);
    const W = Math.max(1, g.dilation[1] * (r.kW - 1) + 1 - pl - pr + r.extra[1]);
    return { ...r, g, xShape: [r.n, r.groups * r.cinG, H, W], wShape: [r.groups * r.coutG, r.cinG, r.kH, r.kW] };
  });

describe('conv2d', () => {
  it('matches a direct loop convolution over random geometries (float64)', () => {
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 0, max: 1e6 }), (c, s) => {
        const x = fillTensor(c.xShape, s);
        const w = fillTensor(c.wShape, s + 1);
        const b = c.bias ? fillTensor([c.wShape[0]!], s + 2) : null;
        expectClose(conv2d(x, w, b, c.g), naiveConv2d(x, w, b, c.g));
      }),
      { numRuns: 150 },
    );
  });

  it('float32 agrees with float64', () => {
    const x = rnd([2, 4, 7, 6]);
    const w = rnd([6, 2, 3, 2]);
    const y64 = conv2d(x, w, null, { stride: [2, 1], padding: 'valid', groups: 2 });
    const x32 = tensor(x, { dtype: 'float32' });
    const w32 = tensor(w, { dtype: 'float32' });
    const y32 = conv2d(x32, w32, null, { stride: [2, 1], padding: 'valid', groups: 2 });
    expect(y32.dtype).to.equal('float32');
    expectClose(y32, y64, 1e-5);
  });

  it('float32 (the WebAssembly GEMM path where available) agrees with float64 in value and gradients over random geometries', () => {
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 0, max: 1e6 }), (c, s) => {
        const x = fillTensor(c.xShape, s);
        const w = fillTensor(c.wShape, s + 1);
        const b = c.bias ? fillTensor([c.wShape[0]!], s + 2) : fillTensor([c.wShape[0]!], s + 3);
        const run = (xx: Tensor, ww: Tensor, bb: Tensor): Tensor[] => {
          const [y, pullback] = vjp((p, q, r) => conv2d(p, q, r, c.g), xx, ww, bb);
          const dy = fillTensor([...y.shape], s + 4, { dtype: xx.dtype });
          return [y, ...pullback(dy)];
        };
        const f64 = run(x, w, b);
        const f32 = run(...([x, w, b].map((t) => tensor(t, { dtype: 'float32' })) as [Tensor, Tensor, Tensor]));
        f32.forEach((t, i) => {
          expect(t.dtype).to.equal('float32');
          expectClose(t, f64[i]!, 1e-4);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('accepts an unbatched [C, H, W] input', () => {
    const x = rnd([2, 5, 5]);
    const w = rnd([3, 2, 3, 3]);
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).to.deep.equal([3, 5, 5]);
    expectClose(y.data, naiveConv2d(new Tensor(x.data, [1, 2, 5, 5]), w, null, { stride: [1, 1], padding: 1, dilation: [1, 1], groups: 1 }).data);
  });

  it("'same' with an even kernel pads one more at the bottom/right (PyTorch)", () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: 'float64' });
    const w = tensor([[[[1, 0], [0, 0]]]], { dtype: 'float64' }); // picks the top-left tap
    expect(conv2d(x, w, null, { padding: 'same' }).toArray()).to.deep.equal(x.toArray());
    const w2 = tensor([[[[0, 0], [0, 1]]]], { dtype: 'float64' }); // bottom-right tap: shifted, zero padded
    expect(conv2d(x, w2, null, { padding: 'same' }).toArray()).to.deep.equal([[[[5, 6, 0], [8, 9, 0], [0, 0, 0]]]]);
  });
});

describe('conv2d as the sparse matrix C', () => {
  it('the fast path equals the explicit C·x and Cᵀ·dy (convMatrix), image by image', () => {
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 0, max: 1e6 }), (c, s) => {
        const x = fillTensor(c.xShape, s);
        const w = fillTensor(c.wShape, s + 1);
        const C = convMatrix(c.xShape.slice(1), w, c.g);
        const y = conv2d(x, w, null, c.g);
        const dy = fillTensor([...y.shape], s + 2);
        const [, pullback] = vjp((xx) => conv2d(xx, w, null, c.g), x);
        const dx = pullback(dy)[0]!;
        const [n] = c.xShape as [number];
        const xs = x.size / n;
        const ys = y.size / n;
        expect(C.rows).to.equal(ys);
        expect(C.cols).to.equal(xs);
        for (let i = 0; i < n; i++) {
          expectClose(y.data.subarray(i * ys, (i + 1) * ys), C.matvec(x.data.subarray(i * xs, (i + 1) * xs)));
          expectClose(dx.data.subarray(i * xs, (i + 1) * xs), C.rmatvec(dy.data.subarray(i * ys, (i + 1) * ys)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('C has the block structure: each output pixel reads at most kH·kW pixels per input channel of its group', () => {
    const w = rnd([4, 3, 3, 3]);
    const C = convMatrix([6, 5, 5], w, { padding: 1, groups: 2 });
    expect(C.rows).to.equal(4 * 25);
    expect(C.cols).to.equal(6 * 25);
    const corner = C.rowPtr[1]! - C.rowPtr[0]!; // output (0,0,0): 2×2 taps inside, 3 channels
    expect(corner).to.equal(3 * 4);
    const centre = C.rowPtr[13]! - C.rowPtr[12]!;
    expect(centre).to.equal(3 * 9);
    // output channel 3 is in group 1: it reads only input channels 3..5
    for (let e = C.rowPtr[3 * 25]!; e < C.rowPtr[4 * 25]!; e++) expect(C.colIndex[e]!).to.be.at.least(3 * 25);
    // the dense form for a tiny 1-D-like case, written out: x [1,1,1,4], w [1,1,1,2], valid
    const tiny = convMatrix([1, 1, 4], tensor([[[[2, 3]]]], { dtype: 'float64' }));
    expect(tiny.toDense()).to.deep.equal([[2, 3, 0, 0], [0, 2, 3, 0], [0, 0, 2, 3]]);
  });

  it('⟨C·x, y⟩ = ⟨x, Cᵀ·y⟩ for conv2d and its VJP, and for convTranspose2d and conv2d', () => {
    const cases: [number[], number[], Geometry][] = [
      [[2, 4, 7, 6], [6, 2, 3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }],
      [[1, 3, 5, 5], [3, 1, 2, 2], { stride: [1, 1], padding: 'same', dilation: [2, 1], groups: 3 }],
      [[3, 2, 6, 6], [4, 2, 3, 3], { stride: [3, 3], padding: 2, dilation: [1, 1], groups: 1 }],
    ];
    for (const [xShape, wShape, g] of cases) {
      const w = rnd(wShape);
      const yShape = conv2d(rnd(xShape), w, null, g).shape;
      checkAdjoint((x) => conv2d(x, w, null, g), (dy) => vjp((x) => conv2d(x, w, null, g), rnd(xShape))[1](dy)[0]!, xShape);
      // convTranspose2d with the same stride/padding/dilation is Cᵀ when the sizes line up
      if (typeof g.padding !== 'number') continue;
      const H = xShape[2]!;
      const s = g.stride[0];
      const op: [number, number] = [(H + 2 * g.padding - g.dilation[0] * (wShape[2]! - 1) - 1) % s, (xShape[3]! + 2 * g.padding - g.dilation[1] * (wShape[3]! - 1) - 1) % g.stride[1]];
      const t = { stride: g.stride, padding: g.padding, dilation: g.dilation, groups: g.groups, outputPadding: op };
      checkAdjoint((x) => conv2d(x, w, null, g), (dy) => convTranspose2d(dy, w, null, t), xShape);
      expect(convTranspose2d(rnd([...yShape]), w, null, t).shape).to.deep.equal(xShape);
    }
  });
});

describe('conv2d gradients: the textbook identities', () => {
  /** w [Co, Ci, kH, kW] → [Ci, Co, kH, kW] flipped in both spatial dims. */
  function flipAndSwap(w: Tensor): Tensor {
    const [Co, Ci, kH, kW] = w.shape as [number, number, number, number];
    const out = new Float64Array(w.size);
    for (let co = 0; co < Co; co++)
      for (let ci = 0; ci < Ci; ci++)
        for (let kh = 0; kh < kH; kh++)
          for (let kw = 0; kw < kW; kw++) out[((ci * Co + co) * kH + kh) * kW + kw] = at(w, co, ci, kH - 1 - kh, kW - 1 - kw);
    return new Tensor(out, [Ci, Co, kH, kW]);
  }
  /** Swaps dims 0 and 1. */
  function swap01(t: Tensor): Tensor {
    const [A, B, H, W] = t.shape as [number, number, number, number];
    const out = new Float64Array(t.size);
    for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) out.set(t.data.subarray(((a * B + b) * H) * W, ((a * B + b) * H + H) * W), ((b * A + a) * H) * W);
    return new Tensor(out, [B, A, H, W]);
  }
  const gradsOf = (x: Tensor, w: Tensor, dy: Tensor, padding: number): Tensor[] =>
    grad((xx: Tensor, ww: Tensor) => sum(mul(conv2d(xx, ww, null, { padding }), dy)), { argnums: [0, 1] })(x, w);

  for (const padding of [0, 1]) {
    it(`stride 1, padding ${padding}: dx is the full-padded convolution of dy with the filter flipped both ways`, () => {
      const x = rnd([2, 3, 6, 5]);
      const w = rnd([4, 3, 3, 3]);
      const dy = rnd([2, 4, 6 - 2 + 2 * padding, 5 - 2 + 2 * padding]);
      const [dx] = gradsOf(x, w, dy, padding);
      // full padding is k-1; the forward's own padding p takes p of it back
      expectClose(dx!, naiveConv2d(dy, flipAndSwap(w), null, { stride: [1, 1], padding: 2 - padding, dilation: [1, 1], groups: 1 }));
    });
  }

  it('stride 1: dW is the valid convolution of the input with dy', () => {
    const x = rnd([3, 2, 6, 5]);
    const w = rnd([4, 2, 3, 2]);
    const dy = rnd([3, 4, 4, 4]);
    const [, dw] = gradsOf(x, w, dy, 0);
    // dW[co, ci] = Σ_n x[n, ci] ⋆ dy[n, co]: channels ↔ batch swapped, dy as the filter
    const viaConv = swap01(naiveConv2d(swap01(x), swap01(dy), null, { stride: [1, 1], padding: 'valid', dilation: [1, 1], groups: 1 }));
    expectClose(dw!, viaConv);
  });

  it('the 1-D worked example: p0..p5, w0..w2, stride 1, valid — outputs and ∂/∂w, ∂/∂p term by term', () => {
    const p = [3, -1, 4, 1, -5, 9];
    const wv = [2, 7, -3];
    const d = [1, -2, 5, 3]; // upstream gradient ∂L/∂y_i
    const P = tensor([[[p]]], { dtype: 'float64' });
    const Wt = tensor([[[wv]]], { dtype: 'float64' });
    const D = tensor([[[d]]], { dtype: 'float64' });
    const [p0, p1, p2, p3, p4, p5] = p as [number, number, number, number, number, number];
    const [w0, w1, w2] = wv as [number, number, number];
    const [d0, d1, d2, d3] = d as [number, number, number, number];
    // y_i = w0·p_i + w1·p_{i+1} + w2·p_{i+2}: four outputs
    const y = conv2d(P, Wt);
    expect(y.toArray()).to.deep.equal([[[[
      w0 * p0 + w1 * p1 + w2 * p2,
      w0 * p1 + w1 * p2 + w2 * p3,
      w0 * p2 + w1 * p3 + w2 * p4,
      w0 * p3 + w1 * p4 + w2 * p5,
    ]]]]);
    const [dp, dw] = grad((a: Tensor, b: Tensor) => sum(mul(conv2d(a, b), D)), { argnums: [0, 1] })(P, Wt);
    // ∂L/∂w_k = Σ_i d_i·p_{i+k}
    expect(dw!.toArray()).to.deep.equal([[[[
      d0 * p0 + d1 * p1 + d2 * p2 + d3 * p3,
      d0 * p1 + d1 * p2 + d2 * p3 + d3 * p4,
      d0 * p2 + d1 * p3 + d2 * p4 + d3 * p5,
    ]]]]);
    // ∂L/∂p_j = Σ_{i+k=j} d_i·w_k: the edges see fewer terms
    expect(dp!.toArray()).to.deep.equal([[[[
      d0 * w0,
      d0 * w1 + d1 * w0,
      d0 * w2 + d1 * w1 + d2 * w0,
      d1 * w2 + d2 * w1 + d3 * w0,
      d2 * w2 + d3 * w1,
      d3 * w2,
    ]]]]);
  });
});

describe('conv2d second order', () => {
  it('checks the Hessian-vector products of conv2d against finite differences (strides, groups, dilation, bias)', () => {
    const geometries: Geometry[] = [
      { stride: [2, 1], padding: [1, 2], dilation: [1, 1], groups: 2 },
      { stride: [1, 1], padding: 'same', dilation: [2, 1], groups: 1 },
    ];
    for (const g of geometries) {
      const x = rnd([2, 4, 5, 4]);
      const w = rnd([2, 4 / g.groups, 2, 3]);
      const b = rnd([2]);
      // y² makes the second derivative non-trivial in x, w and b jointly
      checkGrads((xx, ww, bb) => mul(conv2d(xx, ww, bb, g), conv2d(xx, ww, bb, g)), [x, w, b], { order: 2 });
    }
  });
});

describe('convTranspose2d', () => {
  it('matches its definition (each input pixel scatters the weighted kernel) over random geometries', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 3 }), ciG: fc.integer({ min: 1, max: 2 }), coG: fc.integer({ min: 1, max: 3 }),
          H: fc.integer({ min: 1, max: 5 }), W: fc.integer({ min: 1, max: 5 }), kH: fc.integer({ min: 1, max: 3 }), kW: fc.integer({ min: 1, max: 3 }),
          stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          padding: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
          op: fc.tuple(fc.nat(2), fc.nat(2)), bias: fc.boolean(), s: fc.nat(1e6),
        }),
        (r) => {
          const outputPadding = [0, 1].map((i) => r.op[i]! % Math.max(r.stride[i]!, r.dilation[i]!)) as [number, number];
          const size = [0, 1].map((i) => ([r.H, r.W][i]! - 1) * r.stride[i]! - 2 * r.padding[i]! + r.dilation[i]! * ([r.kH, r.kW][i]! - 1) + outputPadding[i]! + 1);
          fc.pre(size.every((v) => v >= 1));
          const x = fillTensor([r.n, r.groups * r.ciG, r.H, r.W], r.s);
          const w = fillTensor([r.groups * r.ciG, r.coG, r.kH, r.kW], r.s + 1);
          const b = r.bias ? fillTensor([r.groups * r.coG], r.s + 2) : null;
          const o = { stride: r.stride, padding: r.padding, outputPadding, dilation: r.dilation, groups: r.groups };
          expectClose(convTranspose2d(x, w, b, o), naiveConvTranspose2d(x, w, b, o));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('output size (H-1)·s - 2p + d·(k-1) + outputPadding + 1', () => {
    const y = convTranspose2d(rnd([1, 2, 4, 5]), rnd([2, 3, 3, 2]), null, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], dilation: [1, 2] });
    expect(y.shape).to.deep.equal([1, 3, 3 * 2 - 2 + 2 + 1 + 1, 4 * 3 + 2 + 2 + 1]);
  });

  it('has first and second order gradients (outputPadding ≥ stride with dilation included)', () => {
    const o = { stride: [1, 2] as [number, number], padding: [1, 0] as [number, number], outputPadding: [1, 1] as [number, number], dilation: [2, 1] as [number, number], groups: 2 };
    const x = rnd([1, 4, 3, 3]);
    const w = rnd([4, 1, 2, 2]);
    const b = rnd([2]);
    checkGrads((xx, ww, bb) => mul(convTranspose2d(xx, ww, bb, o), convTranspose2d(xx, ww, bb, o)), [x, w, b], { order: 2 });
  });
});

describe('conv2d errors', () => {
  const x = new Tensor(new Float32Array(8 * 3 * 32 * 32), [8, 3, 32, 32]);
  it('channel mismatch names both shapes and groups', () => {
    expect(() => conv2d(x, new Tensor(new Float32Array(16 * 4 * 9), [16, 4, 3, 3]))).to.throw(
      ShapeError,
      'conv2d: weight has 4 input channels per group but input x has 3 channels (x [8,3,32,32], weight [16,4,3,3], groups 1)',
    );
    expect(() => conv2d(rnd([1, 4, 5, 5]), rnd([4, 1, 3, 3]), null, { groups: 2 })).to.throw(ShapeError, 'so with groups 2 input x needs 2 channels, but it has 4');
  });
  it('groups not dividing the channels', () => {
    expect(() => conv2d(rnd([1, 6, 5, 5]), rnd([4, 2, 3, 3]), null, { groups: 4 })).to.throw(ShapeError, 'groups 4 must divide the input channels, but input x has 6 channels');
    expect(() => conv2d(rnd([1, 6, 5, 5]), rnd([4, 2, 3, 3]), null, { groups: 3 })).to.throw(ShapeError, 'groups 3 must divide the output channels, but weight has 4');
    expect(() => conv2d(rnd([1, 6, 5, 5]), rnd([4, 2, 3, 3]), null, { groups: 0 })).to.throw(ArgumentError, 'groups must be a positive integer, got 0');
  });
  it('kernel larger than the padded input', () => {
    expect(() => conv2d(rnd([1, 1, 3, 8]), rnd([1, 1, 5, 3]), null, { padding: [0, 1] })).to.throw(
      ShapeError,
      'conv2d: kernel height extent 5 (kernel 5, dilation 1) is larger than the padded input height 3 (input 3 + padding 0)',
    );
    expect(() => conv2d(rnd([1, 1, 5, 5]), rnd([1, 1, 3, 3]), null, { dilation: 3 })).to.throw(ShapeError, 'kernel height extent 7');
  });
  it('wrong ranks', () => {
    expect(() => conv2d(rnd([3, 32, 32, 1, 1]), rnd([16, 3, 3, 3]))).to.throw(ShapeError, 'conv2d: input x must be 4-D [N, C, H, W] or 3-D [C, H, W], got shape [3,32,32,1,1]');
    expect(() => conv2d(rnd([1, 3, 8, 8]), rnd([16, 3, 3]))).to.throw(ShapeError, 'conv2d: weight must be 4-D [outChannels, inChannels/groups, kH, kW], got shape [16,3,3]');
    expect(() => conv2d(rnd([1, 3, 8, 8]), rnd([16, 3, 3, 3]), rnd([8]))).to.throw(ShapeError, 'conv2d: bias must have shape [16]');
  });
  it('bad stride, padding, dilation values and dtypes', () => {
    const xx = rnd([1, 1, 5, 5]);
    const ww = rnd([1, 1, 3, 3]);
    expect(() => conv2d(xx, ww, null, { stride: 0 })).to.throw(ArgumentError, 'conv2d: stride must be an integer >= 1 or a pair [h, w] of them, got 0');
    expect(() => conv2d(xx, ww, null, { stride: [1, 1.5] })).to.throw(ArgumentError, 'stride must be an integer >= 1');
    expect(() => conv2d(xx, ww, null, { padding: -1 })).to.throw(ArgumentError, 'conv2d: padding must be an integer >= 0');
    expect(() => conv2d(xx, ww, null, { padding: 'full' as 'same' })).to.throw(ArgumentError, "padding must be a number, a pair [h, w], 'same' or 'valid', got \"full\"");
    expect(() => conv2d(xx, ww, null, { padding: 'same', stride: 2 })).to.throw(ArgumentError, "padding 'same' requires stride 1");
    expect(() => conv2d(xx, ww, null, { dilation: [1, 0] })).to.throw(ArgumentError, 'dilation must be an integer >= 1');
    expect(() => conv2d(xx, tensor(ww, { dtype: 'float32' }))).to.throw('conv2d: weight dtype float32 does not match input x dtype float64');
  });
  it('convTranspose2d: outputPadding must be below stride or dilation; channels must match', () => {
    expect(() => convTranspose2d(rnd([1, 2, 3, 3]), rnd([2, 1, 3, 3]), null, { stride: 2, outputPadding: 2 })).to.throw(
      ArgumentError, 'convTranspose2d: outputPadding must be smaller than either stride or dilation',
    );
    expect(() => convTranspose2d(rnd([1, 2, 3, 3]), rnd([3, 1, 3, 3]))).to.throw(ShapeError, 'convTranspose2d: weight has 3 input channels but input x has 2');
  });
});

describe('conv pattern cache', () => {
  it('the gather/scatter kernels read and write exactly the entries of the index map S', () => {
    fc.assert(
      fc.property(geometryArb, fc.nat(1e6), (c, s) => {
        const [, cin, H, W] = c.xShape as [number, number, number, number];
        const S = convPattern(window2d('test', H, W, { kernelSize: [c.kH, c.kW], stride: c.g.stride, padding: c.g.padding, dilation: c.g.dilation }));
        const index = patternIndex(S.window);
        const x = fillTensor([cin, H, W], s).data;
        const rows = cin * S.taps;
        const cols = new Float64Array(rows * S.positions).fill(NaN);
        gatherColumns(x, 0, cin, S, cols);
        const dy = fillTensor([rows * S.positions], s + 1).data;
        const dx = new Float64Array(x.length);
        scatterAddColumns(dy, cin, S, dx, 0);
        const expectedDx = new Float64Array(x.length);
        for (let ch = 0; ch < cin; ch++)
          for (let t = 0; t < S.taps; t++)
            for (let p = 0; p < S.positions; p++) {
              const i = index[t * S.positions + p]!;
              const r = (ch * S.taps + t) * S.positions + p;
              expect(cols[r]).to.equal(i < 0 ? 0 : x[ch * H * W + i]);
              if (i >= 0) expectedDx[ch * H * W + i]! += dy[r]!;
            }
        expectClose(dx, expectedDx, 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('the stride-1 same-width path (one shifted copy per tap) equals the index map S, at an offset, in float32', () => {
    const cases: [number, number, number, number, PaddingSpec, [number, number]][] = [
      [28, 28, 3, 3, 1, [1, 1]], [14, 14, 3, 3, 1, [1, 1]], [7, 7, 3, 3, 1, [1, 1]], [1, 9, 3, 3, 1, [1, 1]], [2, 1, 3, 3, 1, [1, 1]],
      [9, 12, 5, 5, 2, [1, 1]], [10, 10, 3, 3, 2, [2, 2]], [8, 8, 2, 2, 'same', [1, 1]], [6, 13, 1, 3, [0, 1], [1, 1]], [5, 5, 4, 4, 'same', [1, 2]],
    ];
    for (const [H, W, kH, kW, padding, dilation] of cases) {
      const S = convPattern(window2d('test', H, W, { kernelSize: [kH, kW], stride: [1, 1], padding, dilation }));
      expect(S.window.outW).to.equal(W);
      const index = patternIndex(S.window);
      const cin = 3;
      const off = 5;
      const x = Float32Array.from({ length: off + cin * H * W + 4 }, (_, i) => Math.sin(i) + 2);
      const rows = cin * S.taps;
      const cols = new Float32Array(rows * S.positions).fill(NaN);
      gatherColumns(x, off, cin, S, cols);
      const dy = Float32Array.from({ length: rows * S.positions }, (_, i) => Math.cos(i));
      const dx = new Float32Array(x.length);
      const expectedDx = new Float32Array(x.length);
      for (let ch = 0; ch < cin; ch++)
        for (let t = 0; t < S.taps; t++)
          for (let p = 0; p < S.positions; p++) {
            const i = index[t * S.positions + p]!;
            const r = (ch * S.taps + t) * S.positions + p;
            expect(cols[r]).to.equal(i < 0 ? 0 : x[off + ch * H * W + i]);
            if (i >= 0) expectedDx[off + ch * H * W + i]! += dy[r]!;
          }
      scatterAddColumns(dy, cin, S, dx, off);
      dx.forEach((v, i) => expect(v).to.be.closeTo(expectedDx[i]!, 1e-5));
    }
  });

  it('returns the same pattern for the same geometry and marks padding taps with -1', () => {
    const g = window2d('test', 3, 3, { kernelSize: 3, stride: 1, padding: 1 });
    const S = convPattern(g);
    expect(convPattern({ ...g })).to.equal(S);
    expect(S.positions).to.equal(9);
    expect(S.taps).to.equal(9);
    // tap (0,0) at output (0,0) reads padding; the centre tap reads the pixel itself
    const index = patternIndex(S.window);
    expect(index[0]).to.equal(-1);
    expect(Array.from(index.subarray(4 * 9, 5 * 9))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(S.identity).to.equal(false);
    expect(convPattern(window2d('test', 4, 4, { kernelSize: 1, stride: 1 })).identity).to.equal(true);
  });

  it('is bounded: least recently used geometries are evicted', () => {
    const first = convPattern(window2d('test', 1000, 1, { kernelSize: 1, stride: 1 }));
    for (let i = 1; i <= 80; i++) convPattern(window2d('test', 1000 + i, 1, { kernelSize: 1, stride: 1 }));
    expect(convPatternCacheSize()).to.be.at.most(64);
    expect(convPattern(window2d('test', 1000, 1, { kernelSize: 1, stride: 1 }))).to.not.equal(first);
  });
});

describe('conv2d public wrappers', () => {
  it('accept nested arrays and (x, w, options) without a bias', () => {
    const y = conv2d([[[[1, 2, 3], [4, 5, 6]]]], [[[[1, -1]]]], { stride: [1, 2] });
    expect(y.dtype).to.equal('float32');
    expect(y.toArray()).to.deep.equal([[[[-1], [-1]]]]);
    expect(conv2d([[[[1, 2], [3, 4]]]], [[[[1]]]], [10]).toArray()).to.deep.equal([[[[11, 12], [13, 14]]]]);
  });
  it('name the argument on a wrong type', () => {
    expect(() => conv2d('x' as unknown as Tensor, rnd([1, 1, 1, 1]))).to.throw(ArgumentError, "conv2d: argument 'x' must be");
  });
});
