// conv2d as a sparse matrix C: y = C(w)·x, where every (output channel, input channel) block of C
// has the same spatial sparsity pattern S (output pixel p reads input pixel S[t, p] through kernel
// tap t, or padding), fixed by the window. One pattern, three products, three ops:
//   conv2d            y  = C(w)·x + b          = W · gather_S(x)            (+ b per channel)
//   convTranspose2d   dx = C(w)ᵀ·dy (+ b)      = scatterAdd_Sᵀ(Wᵀ · dy)
//   conv2dFilterGrad  dW = ∂⟨dy, C(w)·x⟩/∂w    = dy · gather_S(x)ᵀ
// All three are bilinear, so each one's VJP is one of the others: gradients of any order.
// Each product is a kernel of the backend (backend/conv.ts), which picks the algorithm; the
// explicit C (conv-matrix.ts) is the reference the algorithms are tested against.
import type * as FastCheck from 'fast-check';
import { defineOp, type CaseTools } from '../../autograd/registry.js';
import { ArgumentError, DTypeError, ShapeError, formatShape } from '../../errors.js';
import { checkChoice, checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { uninitialized } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { backendOf } from '../../backend/index.js';
import { type ConvProblem, type ConvProduct, convOutputShape } from '../../backend/conv.js';
import { sum } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { padWithMode } from '../shape/pad-modes.js';
import { type Pair, type PaddingSpec, type Window2d, pair, resolvePadding, window2d } from '../window.js';
import { convWithRunMoments } from './output-moments.js';

/** The geometry of one convolution, shared by the three ops it gives rise to. */
export interface ConvAttrs {
  stride: [number, number];
  padding: PaddingSpec;
  dilation: [number, number];
  groups: number;
  /**
   * Output size when it is smaller than the window's natural one: convTranspose2d with an
   * outputPadding of at least the stride (allowed when below the dilation) drops the last rows.
   */
  outputSize?: [number, number];
}
/** inputSize: spatial size of the conv's input, i.e. of Cᵀ·dy. */
export type ConvTransposeAttrs = ConvAttrs & { inputSize: [number, number] };
export type FilterGradAttrs = ConvAttrs & { kernelSize: [number, number] };

/** The conv's window over an inH×inW plane with a kH×kW kernel (PyTorch's rules, via window2d). */
export function convWindow(op: string, inH: number, inW: number, kH: number, kW: number, attrs: ConvAttrs): Window2d {
  const g = window2d(op, inH, inW, { kernelSize: [kH, kW], stride: attrs.stride, padding: attrs.padding, dilation: attrs.dilation });
  if (attrs.outputSize === undefined) return g;
  const [outH, outW] = attrs.outputSize;
  if (outH > g.outH || outW > g.outW) {
    throw new ShapeError(`${op}: output size [${outH},${outW}] exceeds the convolution's output size [${g.outH},${g.outW}]`);
  }
  return { ...g, outH, outW };
}

const convOnly = (a: ConvAttrs): ConvAttrs => ({
  stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups,
  ...(a.outputSize !== undefined && { outputSize: a.outputSize }),
});

// ---------------------------------------------------------------------------------------
// Argument checks (every op checks its own inputs: internal callers get clear errors too).

function checkGroups(op: string, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`${op}: groups must be a positive integer, got ${groups}`);
}

function checkRank(op: string, name: string, t: Tensor, layout: string): void {
  if (t.ndim !== 4) throw new ShapeError(`${op}: ${name} must be 4-D ${layout}, got shape ${formatShape(t.shape)}`);
}

function checkDType(op: string, ref: Tensor, refName: string, t: Tensor | null, name: string): void {
  if (t !== null && t.dtype !== ref.dtype) throw new DTypeError(`${op}: ${name} dtype ${t.dtype} does not match ${refName} dtype ${ref.dtype}`);
}

function checkBias(op: string, b: Tensor | null, channels: number, ref: Tensor): void {
  if (b === null) return;
  if (b.ndim !== 1 || b.shape[0] !== channels) {
    throw new ShapeError(`${op}: bias must have shape [${channels}] (one value per output channel), got ${formatShape(b.shape)}`);
  }
  checkDType(op, ref, 'input x', b, 'bias');
}

/** Checks conv2d's x [N, C, H, W] against w [Cout, C/groups, kH, kW] and groups. */
function checkConvOperands(op: string, x: Tensor, w: Tensor, groups: number): void {
  checkRank(op, 'input x', x, '[N, C, H, W]');
  checkRank(op, 'weight', w, '[outChannels, inChannels/groups, kH, kW]');
  assertFloat(op, 'input x', x.dtype);
  checkDType(op, x, 'input x', w, 'weight');
  checkGroups(op, groups);
  const c = x.shape[1]!;
  const cout = w.shape[0]!;
  const cw = w.shape[1]!;
  const where = `(x ${formatShape(x.shape)}, weight ${formatShape(w.shape)}, groups ${groups})`;
  // An empty batch is fine (as in PyTorch); no channels would silently give zeros or nothing.
  if (c === 0) throw new ShapeError(`${op}: input x has 0 channels; a convolution needs at least 1 ${where}`);
  if (cout === 0) throw new ShapeError(`${op}: weight has 0 output channels; a convolution needs at least 1 ${where}`);
  if (c % groups !== 0) throw new ShapeError(`${op}: groups ${groups} must divide the input channels, but input x has ${c} channels ${where}`);
  if (cout % groups !== 0) throw new ShapeError(`${op}: groups ${groups} must divide the output channels, but weight has ${cout} ${where}`);
  if (cw * groups !== c) {
    throw new ShapeError(
      groups === 1
        ? `${op}: weight has ${cw} input channels per group but input x has ${c} channels ${where}`
        : `${op}: weight has ${cw} input channels per group, so with groups ${groups} input x needs ${cw * groups} channels, but it has ${c} ${where}`,
    );
  }
}

function conv2dProblem(op: string, x: Tensor, w: Tensor, attrs: ConvAttrs): ConvProblem {
  const [n, cin, inH, inW] = x.shape as [number, number, number, number];
  const [cout, , kH, kW] = w.shape as [number, number, number, number];
  return { n, cin, cout, groups: attrs.groups, window: convWindow(op, inH, inW, kH, kW, attrs) };
}

/** A tensor for `product`'s result (every element is written by the kernel). */
function convOutput(product: ConvProduct, p: ConvProblem, like: Tensor): Tensor {
  return uninitialized(convOutputShape(product, p), like.dtype, like.device);
}

// ---------------------------------------------------------------------------------------
// The three ops and their arbitraries.

// y = C(w)·x + b;  dx = C(w)ᵀ·dy (convTranspose2d), dW = conv2dFilterGrad(x, dy), db = Σ_{n,h,w} dy
const conv2dOp = defineOp({
  name: 'conv2d',
  inputs: ['x', 'w', 'b?'],
  forward: ({ x, w, b }, attrs: ConvAttrs) => {
    checkConvOperands('conv2d', x, w, attrs.groups);
    checkBias('conv2d', b, w.shape[0]!, x);
    const p = conv2dProblem('conv2d', x, w, attrs);
    const y = convOutput('forward', p, x);
    convWithRunMoments(y, w, () => backendOf(x).conv.forward(p, y.storage, x.storage, w.storage, b?.storage ?? null));
    return y;
  },
  vjp: ({ dy, x, w }, attrs) => ({
    x: (): Tensor => convTransposeOp({ x: dy, w, b: null }, { ...convOnly(attrs), inputSize: [x.shape[2]!, x.shape[3]!] }),
    w: (): Tensor => filterGradOp({ x, gy: dy }, { ...convOnly(attrs), kernelSize: [w.shape[2]!, w.shape[3]!] }),
    b: (): Tensor => sum(dy, [0, 2, 3]),
  }),
  cases: (tools) => convCases(tools).map((c) => ({ inputs: { x: c.x, w: c.w, b: c.convBias }, attrs: c.attrs })),
});

// y = C(w)ᵀ·x + b (C: the conv from inputSize);  dx = C(w)·dy, dW = conv2dFilterGrad(dy, x), db = Σ dy
const convTransposeOp = defineOp({
  name: 'convTranspose2d',
  inputs: ['x', 'w', 'b?'],
  forward: ({ x, w, b }, attrs: ConvTransposeAttrs) => {
    const op = 'convTranspose2d';
    checkRank(op, 'input x', x, '[N, C, H, W]');
    checkRank(op, 'weight', w, '[inChannels, outChannels/groups, kH, kW]');
    assertFloat(op, 'input x', x.dtype);
    checkDType(op, x, 'input x', w, 'weight');
    checkGroups(op, attrs.groups);
    const where = `(x ${formatShape(x.shape)}, weight ${formatShape(w.shape)}, groups ${attrs.groups})`;
    if (w.shape[0] !== x.shape[1]) throw new ShapeError(`${op}: weight has ${w.shape[0]} input channels but input x has ${x.shape[1]} ${where}`);
    if (x.shape[1]! % attrs.groups !== 0) throw new ShapeError(`${op}: groups ${attrs.groups} must divide the input channels, but input x has ${x.shape[1]} ${where}`);
    const cin = w.shape[1]! * attrs.groups;
    checkBias(op, b, cin, x);
    const [inH, inW] = attrs.inputSize;
    const g = convWindow(op, inH, inW, w.shape[2]!, w.shape[3]!, attrs);
    if (g.outH !== x.shape[2] || g.outW !== x.shape[3]) {
      throw new ShapeError(`${op}: input x has spatial size [${x.shape[2]},${x.shape[3]}] but the convolution it transposes produces [${g.outH},${g.outW}]`);
    }
    const p: ConvProblem = { n: x.shape[0]!, cin, cout: x.shape[1]!, groups: attrs.groups, window: g };
    const dx = convOutput('inputGrad', p, x);
    backendOf(x).conv.inputGrad(p, dx.storage, x.storage, w.storage, b?.storage ?? null);
    return dx;
  },
  vjp: ({ dy, x, w }, attrs) => ({
    x: (): Tensor => conv2dOp({ x: dy, w, b: null }, { ...convOnly(attrs), outputSize: [x.shape[2]!, x.shape[3]!] }),
    w: (): Tensor => filterGradOp({ x: dy, gy: x }, { ...convOnly(attrs), outputSize: [x.shape[2]!, x.shape[3]!], kernelSize: [w.shape[2]!, w.shape[3]!] }),
    b: (): Tensor => sum(dy, [0, 2, 3]),
  }),
  cases: (tools) =>
    convCases(tools).map((c) => ({
      inputs: { x: c.y, w: c.w, b: c.transposeBias },
      attrs: { ...c.attrs, inputSize: [c.x.shape[2]!, c.x.shape[3]!] as [number, number], outputSize: [c.y.shape[2]!, c.y.shape[3]!] as [number, number] },
    })),
});

// dW = Σ_n gy · gather(x)ᵀ (gy: the conv's output gradient, which the backend's filterGrad calls
// dy; here dy is taken: in this op's VJP it is the gradient G arriving at dW), bilinear in (x, gy):
// for an incoming G shaped like W, dx = C(G)ᵀ·gy and dgy = C(G)·x
const filterGradOp = defineOp({
  name: 'conv2dFilterGrad',
  inputs: ['x', 'gy'],
  forward: ({ x, gy }, attrs: FilterGradAttrs) => {
    const op = 'conv2dFilterGrad';
    checkRank(op, 'input x', x, '[N, C, H, W]');
    checkRank(op, 'output gradient gy', gy, '[N, Cout, outH, outW]');
    assertFloat(op, 'input x', x.dtype);
    checkDType(op, x, 'input x', gy, 'output gradient gy');
    checkGroups(op, attrs.groups);
    const [n, cin, inH, inW] = x.shape as [number, number, number, number];
    const cout = gy.shape[1]!;
    if (gy.shape[0] !== n || cin % attrs.groups !== 0 || cout % attrs.groups !== 0) {
      throw new ShapeError(`${op}: input x ${formatShape(x.shape)} and output gradient gy ${formatShape(gy.shape)} do not fit groups ${attrs.groups}`);
    }
    const g = convWindow(op, inH, inW, attrs.kernelSize[0], attrs.kernelSize[1], attrs);
    if (g.outH !== gy.shape[2] || g.outW !== gy.shape[3]) {
      throw new ShapeError(`${op}: output gradient gy ${formatShape(gy.shape)} does not match the convolution's output size [${g.outH},${g.outW}]`);
    }
    const p: ConvProblem = { n, cin, cout, groups: attrs.groups, window: g };
    const dw = convOutput('filterGrad', p, x);
    backendOf(x).conv.filterGrad(p, dw.storage, x.storage, gy.storage);
    return dw;
  },
  vjp: ({ dy: G, x, gy }, attrs) => ({
    x: (): Tensor => convTransposeOp({ x: gy, w: G, b: null }, { ...convOnly(attrs), inputSize: [x.shape[2]!, x.shape[3]!] }),
    gy: (): Tensor => conv2dOp({ x, w: G, b: null }, convOnly(attrs)),
  }),
  cases: (tools) =>
    convCases(tools).map((c) => ({ inputs: { x: c.x, gy: c.y }, attrs: { ...c.attrs, kernelSize: [c.w.shape[2]!, c.w.shape[3]!] as [number, number] } })),
});

interface ConvCase {
  x: Tensor;
  w: Tensor;
  /** A tensor shaped like conv2d's output. */
  y: Tensor;
  convBias: Tensor | null;
  transposeBias: Tensor | null;
  attrs: ConvAttrs;
}

/**
 * Small random convolutions covering strides, paddings (number, pair, 'same' incl. even
 * kernels, 'valid'), dilations, groups (depthwise included), batch and optional bias.
 */
function convCases({ fc, arb }: CaseTools): FastCheck.Arbitrary<ConvCase> {
  const small = (min: number, max: number) => fc.integer({ min, max });
  return fc
    .record({
      n: small(1, 2), groups: small(1, 2), cinG: small(1, 2), coutG: small(1, 2),
      kH: small(1, 3), kW: small(1, 3), strideH: small(1, 2), strideW: small(1, 2), dilationH: small(1, 2), dilationW: small(1, 2),
      padMode: fc.constantFrom('number', 'pair', 'same', 'valid'), padH: small(0, 2), padW: small(0, 2),
      extraH: small(0, 2), extraW: small(0, 2), bias: fc.boolean(),
    })
    .chain((r) => {
      const same = r.padMode === 'same';
      const stride: [number, number] = same ? [1, 1] : [r.strideH, r.strideW];
      const padding: PaddingSpec = r.padMode === 'number' ? r.padH : r.padMode === 'pair' ? [r.padH, r.padW] : (r.padMode as 'same' | 'valid');
      const attrs: ConvAttrs = { stride, padding, dilation: [r.dilationH, r.dilationW], groups: r.groups };
      const pads = r.padMode === 'number' ? [r.padH, r.padH] : r.padMode === 'pair' ? [r.padH, r.padW] : [0, 0];
      const inH = Math.max(1, r.dilationH * (r.kH - 1) + 1 - 2 * pads[0]! + r.extraH);
      const inW = Math.max(1, r.dilationW * (r.kW - 1) + 1 - 2 * pads[1]! + r.extraW);
      const g = convWindow('conv2d', inH, inW, r.kH, r.kW, attrs);
      const cin = r.groups * r.cinG;
      const cout = r.groups * r.coutG;
      return fc.record({
        x: arb.tensorOfShape([r.n, cin, inH, inW]),
        w: arb.tensorOfShape([cout, r.cinG, r.kH, r.kW]),
        y: arb.tensorOfShape([r.n, cout, g.outH, g.outW]),
        convBias: r.bias ? arb.tensorOfShape([cout]) : fc.constant(null),
        transposeBias: r.bias ? arb.tensorOfShape([cin]) : fc.constant(null),
        attrs: fc.constant(attrs),
      });
    });
}

// ---------------------------------------------------------------------------------------
// Internal entry points (the public, typed wrappers are in dispatch/conv.ts).

/** The options that fix a convolution's geometry (conv2d's, and convMatrix's). */
export interface ConvGeometryOptions {
  /** Step between windows, one number or [h, w] (default 1). */
  stride?: Pair;
  /**
   * Padding on each side, one number or [h, w] (default 0), or 'same' (output size = input size;
   * stride 1 only) or 'valid' (none).
   */
  padding?: PaddingSpec;
  /** Spacing between kernel taps, one number or [h, w] (default 1). */
  dilation?: Pair;
  /** Split the channels into this many independent groups (default 1; channel counts divide by it). */
  groups?: number;
}
const CONV_GEOMETRY_OPTIONS = optionKeys<ConvGeometryOptions>()(['stride', 'padding', 'dilation', 'groups']);

/** nn.Conv2d's padding_mode: what the padding holds (zeros, or x reflected, replicated, wrapped around). */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** Options of `conv2d` (F.conv2d's, plus nn.Conv2d's padding_mode). */
export interface Conv2dOptions extends ConvGeometryOptions {
  /**
   * 'zeros' (default), 'reflect', 'replicate' or 'circular': the input is padded in that mode
   * (pad's rules, e.g. reflect padding less than the input size) and convolved unpadded, as
   * nn.Conv2d does.
   */
  paddingMode?: PaddingMode;
}
const CONV2D_OPTIONS = optionKeys<Conv2dOptions>()(['stride', 'padding', 'dilation', 'groups', 'paddingMode']);

/** Options of `convTranspose2d` (F.conv_transpose2d's, PyTorch's defaults). */
export interface ConvTranspose2dOptions {
  /** Stride of the forward convolution this transposes (default 1). */
  stride?: Pair;
  /**
   * Padding of the forward convolution this transposes (default 0): the output is that much
   * smaller on each side, (in−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1 in all.
   */
  padding?: Pair;
  /**
   * Extra rows/columns added on one side of the output to pick among the input sizes a strided convolution
   * maps to the same size (default 0; less than stride or dilation).
   */
  outputPadding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Number of independent channel groups (default 1). */
  groups?: number;
}
const CONV_TRANSPOSE2D_OPTIONS = optionKeys<ConvTranspose2dOptions>()(['stride', 'padding', 'outputPadding', 'dilation', 'groups']);

/** conv2d's attributes from user options (PyTorch defaults: stride 1, padding 0, dilation 1, groups 1). */
export function convAttrs(op: string, options: ConvGeometryOptions): ConvAttrs {
  checkOptions(op, options, CONV_GEOMETRY_OPTIONS);
  const padding = options.padding ?? 0;
  if (typeof padding !== 'string') pair(op, 'padding', padding, 0);
  else if (padding !== 'same' && padding !== 'valid') {
    throw new ArgumentError(`${op}: padding must be a number, a pair [h, w], 'same' or 'valid', got ${JSON.stringify(padding)}`);
  }
  const groups = options.groups ?? 1;
  checkGroups(op, groups);
  return { stride: pair(op, 'stride', options.stride ?? 1), padding, dilation: pair(op, 'dilation', options.dilation ?? 1), groups };
}

/** Runs f on a batch of one when x is an unbatched [C, H, W] image (as PyTorch allows). */
function unbatched(op: string, x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (x.ndim === 4) return f(x);
  if (x.ndim !== 3) throw new ShapeError(`${op}: input x must be 4-D [N, C, H, W] or 3-D [C, H, W], got shape ${formatShape(x.shape)}`);
  const y = f(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}

/** 2-D convolution (cross-correlation, as in PyTorch) of x [N, Cin, H, W] with w [Cout, Cin/groups, kH, kW]. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  checkOptions('conv2d', options, CONV2D_OPTIONS);
  const { paddingMode = 'zeros', ...geometry } = options;
  checkChoice('conv2d', 'paddingMode', paddingMode, PADDING_MODES);
  const attrs = convAttrs('conv2d', geometry);
  if (paddingMode === 'zeros') return unbatched('conv2d', x, (x4) => conv2dOp({ x: x4, w, b }, attrs));
  // nn.Conv2d's other modes: pad x in the mode ('same' split as PyTorch: the odd one after), then
  // convolve without padding.
  checkRank('conv2d', 'weight', w, '[outChannels, inChannels/groups, kH, kW]');
  const [top, bottom, left, right] = resolvePadding('conv2d', attrs.padding, [w.shape[2]!, w.shape[3]!], attrs.dilation, attrs.stride);
  const unpadded: ConvAttrs = { ...attrs, padding: 0 };
  return unbatched('conv2d', x, (x4) => conv2dOp({ x: padWithMode('conv2d', x4, [left, right, top, bottom], paddingMode), w, b }, unpadded));
}

/**
 * Transposed convolution (the adjoint Cᵀ of conv2d, plus bias) of x [N, Cin, H, W] with
 * w [Cin, Cout/groups, kH, kW]; output size (H-1)·stride - 2·padding + dilation·(k-1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, w: Tensor, b: Tensor | null = null, options: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  checkOptions(op, options, CONV_TRANSPOSE2D_OPTIONS);
  const stride = pair(op, 'stride', options.stride ?? 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  const outputPadding = pair(op, 'outputPadding', options.outputPadding ?? 0, 0);
  const dilation = pair(op, 'dilation', options.dilation ?? 1);
  const groups = options.groups ?? 1;
  checkGroups(op, groups);
  for (let i = 0; i < 2; i++) {
    if (outputPadding[i]! >= stride[i]! && outputPadding[i]! >= dilation[i]!) {
      throw new ArgumentError(
        `${op}: outputPadding must be smaller than either stride or dilation, got outputPadding [${outputPadding.join(',')}], stride [${stride.join(',')}], dilation [${dilation.join(',')}]`,
      );
    }
  }
  return unbatched(op, x, (x4) => {
    checkRank(op, 'weight', w, '[inChannels, outChannels/groups, kH, kW]');
    if (w.shape[0] === 0 || w.shape[1] === 0) {
      throw new ShapeError(`${op}: weight ${formatShape(w.shape)} has no input or output channels; a convolution needs at least 1 of each (x ${formatShape(x4.shape)})`);
    }
    const size = [2, 3].map((d, i) => (x4.shape[d]! - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (w.shape[d]! - 1) + outputPadding[i]! + 1);
    if (size.some((s) => s < 1)) {
      throw new ShapeError(`${op}: output size [${size.join(',')}] is not positive (x ${formatShape(x4.shape)}, weight ${formatShape(w.shape)}, padding [${padding.join(',')}])`);
    }
    const attrs: ConvTransposeAttrs = {
      stride, padding, dilation, groups,
      inputSize: [size[0]!, size[1]!],
      outputSize: [x4.shape[2]!, x4.shape[3]!],
    };
    return convTransposeOp({ x: x4, w, b }, attrs);
  });
}

export { conv2dOp, convTransposeOp, filterGradOp as conv2dFilterGradOp };
