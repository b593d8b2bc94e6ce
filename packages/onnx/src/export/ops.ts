// The tape's ops as ONNX nodes. Each emitter gets the recorded node (op name, attributes, input
// tensors with their shapes) and the ONNX names of its inputs, emits one or more nodes, and returns
// the name of the value equal to the op's output. Opset 13 and later: Reshape/Pad/Clip/Slice/
// ReduceSum take their shapes, pads, bounds and axes as inputs, Softmax's axis is one axis.
import type { Tensor } from '@tensorgrad/core';
import type { GraphBuilder } from './builder.js';
import { type AxisGeometry, type AxisTaps, slidingAxis, tapCounts, tapMatrix } from './pool.js';

/** What an emitter sees of the export in progress. */
export interface EmitContext {
  readonly b: GraphBuilder;
  readonly opset: number;
  /** True when the batch dim (dim 0 of the graph input) is symbolic. */
  readonly dynamicBatch: boolean;
}

/** The recorded op application, as an emitter reads it. */
export interface RecordedOp {
  readonly name: string;
  readonly attrs: unknown;
  readonly inputs: readonly (Tensor | null)[];
  readonly output: Tensor;
}

type Emitter = (op: RecordedOp, inputs: string[], ctx: EmitContext) => string;

interface PoolWindows {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  rows: AxisTaps;
  cols: AxisTaps;
}

const attrsOf = <T>(op: RecordedOp): T => op.attrs as T;
const dtypeOf = (op: RecordedOp): string => op.output.dtype;
const scalar = (ctx: EmitContext, op: RecordedOp, value: number, hint = 'const'): string => ctx.b.floatConstant(hint, [value], [], dtypeOf(op));

const simple = (opType: string): Emitter => (_op, [x], ctx) => ctx.b.node(opType, [x!]);
const binary = (opType: string): Emitter => (_op, [a, c], ctx) => ctx.b.node(opType, [a!, c!]);

function clip(ctx: EmitContext, op: RecordedOp, x: string, min: number | null, max: number | null): string {
  const lo = min === null ? '' : scalar(ctx, op, min, 'clip_min');
  const hi = max === null ? '' : scalar(ctx, op, max, 'clip_max');
  return ctx.b.node('Clip', hi === '' ? [x, lo] : [x, lo, hi]);
}

/** x·Φ(x) with Φ from erf (exact GELU), or Gelu itself from opset 20. */
function gelu(op: RecordedOp, x: string, ctx: EmitContext, approximate: 'none' | 'tanh'): string {
  if (ctx.opset >= 20) return ctx.b.node('Gelu', [x], { approximate });
  const half = scalar(ctx, op, 0.5);
  const one = scalar(ctx, op, 1);
  let inner: string;
  if (approximate === 'none') {
    inner = ctx.b.node('Erf', [ctx.b.node('Mul', [x, scalar(ctx, op, Math.SQRT1_2)])]);
  } else {
    // tanh(√(2/π)·(x + 0.044715·x³))
    const cube = ctx.b.node('Mul', [x, ctx.b.node('Mul', [x, x])]);
    const poly = ctx.b.node('Add', [x, ctx.b.node('Mul', [cube, scalar(ctx, op, 0.044715)])]);
    inner = ctx.b.node('Tanh', [ctx.b.node('Mul', [poly, scalar(ctx, op, Math.sqrt(2 / Math.PI))])]);
  }
  return ctx.b.node('Mul', [x, ctx.b.node('Mul', [half, ctx.b.node('Add', [one, inner])])]);
}

/** The shape input of a Reshape: dim 0 copied from the input (0) where the batch dim is kept, else -1 when dynamic. */
function reshapeTarget(op: RecordedOp, ctx: EmitContext): number[] {
  const shape = [...attrsOf<{ shape: number[] }>(op).shape];
  const x = op.inputs[0]!;
  if (!ctx.dynamicBatch || shape.length === 0 || x.ndim === 0) return shape;
  if (shape[0] === x.shape[0]) shape[0] = 0;
  else if (shape.includes(-1)) {
    throw new Error(`exportOnnx: reshape ${JSON.stringify(x.shape)} -> ${JSON.stringify(shape)} changes the batch dim; export it without dynamicBatch`);
  } else shape[0] = -1;
  return shape;
}

function convPads(op: RecordedOp): number[] {
  const a = attrsOf<{ padding: number | readonly [number, number] | 'same' | 'valid'; dilation: [number, number] }>(op);
  const w = op.inputs[1]!;
  if (a.padding === 'valid') return [0, 0, 0, 0];
  if (a.padding === 'same') {
    // PyTorch's 'same': total padding dilation·(k − 1), the odd pixel after.
    const th = a.dilation[0] * (w.shape[2]! - 1);
    const tw = a.dilation[1] * (w.shape[3]! - 1);
    return [th >> 1, tw >> 1, th - (th >> 1), tw - (tw >> 1)];
  }
  const [ph, pw] = typeof a.padding === 'number' ? [a.padding, a.padding] : a.padding;
  return [ph, pw, ph, pw];
}

function conv(op: RecordedOp, [x, w, bias]: string[], ctx: EmitContext): string {
  const a = attrsOf<{ stride: [number, number]; dilation: [number, number]; groups: number; outputSize?: unknown }>(op);
  if (a.outputSize !== undefined) throw new Error('exportOnnx: conv2d with a cropped output size has no ONNX Conv equivalent');
  const wt = op.inputs[1]!;
  return ctx.b.node('Conv', bias ? [x!, w!, bias] : [x!, w!], {
    kernel_shape: [wt.shape[2]!, wt.shape[3]!],
    strides: [...a.stride],
    dilations: [...a.dilation],
    pads: convPads(op),
    group: a.groups,
  });
}

/** Sliding geometry of both axes, or null. */
function sliding(w: PoolWindows): [AxisGeometry, AxisGeometry] | null {
  const r = slidingAxis(w.rows, w.inH, w.outH);
  const c = r === null ? null : slidingAxis(w.cols, w.inW, w.outW);
  return r === null || c === null ? null : [r, c];
}

const coversAll = (t: AxisTaps, inLen: number): boolean => t.offsets.length === 2 && t.offsets[1] === inLen;

function poolAttrs([r, c]: [AxisGeometry, AxisGeometry]): Record<string, number[]> {
  return { kernel_shape: [r.kernel, c.kernel], strides: [r.stride, c.stride], pads: [r.padBegin, c.padBegin, r.padEnd, c.padEnd] };
}

function maxPool(op: RecordedOp, [x]: string[], ctx: EmitContext): string {
  const w = attrsOf<{ windows: PoolWindows }>(op).windows;
  if (op.inputs[0]!.ndim !== 4) throw new Error('exportOnnx: maxPool2d is exported for 4-D [N, C, H, W] inputs only');
  if (coversAll(w.rows, w.inH) && coversAll(w.cols, w.inW)) return ctx.b.node('GlobalMaxPool', [x!]);
  const g = sliding(w);
  if (g === null) throw new Error('maxPool2d with windows no sliding window gives (adaptive max pooling with uneven windows) has no ONNX equivalent');
  const dil = g[0].dilation !== 1 || g[1].dilation !== 1 ? { dilations: [g[0].dilation, g[1].dilation] } : {};
  return ctx.b.node('MaxPool', [x!], { ...poolAttrs(g), ...dil });
}

function avgPool(op: RecordedOp, [x]: string[], ctx: EmitContext): string {
  const { windows: w, divisor } = attrsOf<{ windows: PoolWindows; divisor: Float64Array }>(op);
  if (op.inputs[0]!.ndim !== 4) throw new Error('exportOnnx: avgPool2d is exported for 4-D [N, C, H, W] inputs only');
  const counts = tapCounts(w.rows, w.cols, w.outH, w.outW);
  const ratio = Array.from(counts, (n, i) => n / divisor[i]!);
  const correct = (y: string): string =>
    ratio.every((v) => v === 1) ? y : ctx.b.node('Mul', [y, ctx.b.floatConstant('avgpool_divisor_ratio', ratio, [w.outH, w.outW], dtypeOf(op))]);
  if (coversAll(w.rows, w.inH) && coversAll(w.cols, w.inW)) return correct(ctx.b.node('GlobalAveragePool', [x!]));
  const g = sliding(w);
  if (g !== null && g[0].dilation === 1 && g[1].dilation === 1) {
    return correct(ctx.b.node('AveragePool', [x!], { ...poolAttrs(g), count_include_pad: 0 }));
  }
  // Uneven (adaptive) windows: rows then columns as products with 0/1 tap matrices, then ÷ divisor.
  const dtype = dtypeOf(op);
  const rowM = ctx.b.floatConstant('pool_rows', tapMatrix(w.rows, w.inH, w.outH), [w.outH, w.inH], dtype);
  const colM = tapMatrix(w.cols, w.inW, w.outW);
  const colT = Array.from({ length: w.inW * w.outW }, (_, i) => colM[(i % w.outW) * w.inW + Math.floor(i / w.outW)]!);
  const colName = ctx.b.floatConstant('pool_cols', colT, [w.inW, w.outW], dtype);
  const summed = ctx.b.node('MatMul', [ctx.b.node('MatMul', [rowM, x!]), colName]);
  return ctx.b.node('Mul', [summed, ctx.b.floatConstant('pool_inverse_divisor', Array.from(divisor, (d) => 1 / d), [w.outH, w.outW], dtype)]);
}

function matmul(op: RecordedOp, [a, c]: string[], ctx: EmitContext): string {
  const { transA, transB } = attrsOf<{ transA: boolean; transB: boolean }>(op);
  const [ta, tb] = op.inputs as [Tensor, Tensor];
  if (ta.ndim === 2 && tb.ndim === 2) return ctx.b.node('Gemm', [a!, c!], { transA: transA ? 1 : undefined, transB: transB ? 1 : undefined });
  const t = (name: string, nd: number): string => {
    const perm = Array.from({ length: nd }, (_, i) => i);
    [perm[nd - 2], perm[nd - 1]] = [perm[nd - 1]!, perm[nd - 2]!];
    return ctx.b.node('Transpose', [name], { perm });
  };
  return ctx.b.node('MatMul', [transA ? t(a!, ta.ndim) : a!, transB ? t(c!, tb.ndim) : c!]);
}

function reduce(opType: string): Emitter {
  return (op, [x], ctx) => {
    const { dims, keepdim } = attrsOf<{ dims: number[]; keepdim: boolean }>(op);
    // ReduceSum takes axes as an input from opset 13, the others from opset 18.
    if (opType === 'ReduceSum' || ctx.opset >= 18) return ctx.b.node(opType, [x!, ctx.b.int64Constant('axes', dims)], { keepdims: keepdim ? 1 : 0 });
    return ctx.b.node(opType, [x!], { axes: dims, keepdims: keepdim ? 1 : 0 });
  };
}

/** batchNorm in eval mode (normalize with the running statistics, per channel: dims [1, 2)) as one BatchNormalization. */
function normalizeWithStats(op: RecordedOp, [x, mean, variance, weight, bias]: string[], ctx: EmitContext): string {
  const { groupStart, groupEnd, eps } = attrsOf<{ groupStart: number; groupEnd: number; eps: number }>(op);
  if (groupStart !== 1 || groupEnd !== 2) throw new Error(`exportOnnx: only statistics per channel (dim 1) map to BatchNormalization, got groups over dims [${groupStart}, ${groupEnd})`);
  const c = op.inputs[0]!.shape[1]!;
  const filled = (hint: string, v: number): string => ctx.b.floatConstant(hint, new Array<number>(c).fill(v), [c], dtypeOf(op));
  return ctx.b.node('BatchNormalization', [x!, weight || filled('bn_scale', 1), bias || filled('bn_shift', 0), mean!, variance!], { epsilon: { float: eps } });
}

/** Every tape op the exporter maps, by its registered name. */
export const EMITTERS: Record<string, Emitter> = {
  normalizeWithStats,
  // batchNormMaxPool2d in eval mode (what Sequential runs for BatchNorm2d then MaxPool2d): the two nodes.
  normalizeWithStatsMaxPool2d: (op, inputs, ctx) => maxPool(op, [normalizeWithStats(op, inputs, ctx)], ctx),
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  neg: simple('Neg'),
  exp: simple('Exp'),
  log: simple('Log'),
  sqrt: simple('Sqrt'),
  abs: simple('Abs'),
  erf: simple('Erf'),
  relu: simple('Relu'),
  sigmoid: simple('Sigmoid'),
  tanh: simple('Tanh'),
  softsign: simple('Softsign'),
  selu: simple('Selu'),
  leakyRelu: (op, [x], ctx) => ctx.b.node('LeakyRelu', [x!], { alpha: { float: attrsOf<{ negativeSlope: number }>(op).negativeSlope } }),
  elu: (op, [x], ctx) => ctx.b.node('Elu', [x!], { alpha: { float: attrsOf<{ alpha: number }>(op).alpha } }),
  celu: (op, [x], ctx) => ctx.b.node('Celu', [x!], { alpha: { float: attrsOf<{ alpha: number }>(op).alpha } }),
  relu6: (op, [x], ctx) => clip(ctx, op, x!, 0, 6),
  hardtanh: (op, [x], ctx) => clip(ctx, op, x!, attrsOf<{ minVal: number }>(op).minVal, attrsOf<{ maxVal: number }>(op).maxVal),
  clamp: (op, [x], ctx) => clip(ctx, op, x!, attrsOf<{ min: number | null }>(op).min, attrsOf<{ max: number | null }>(op).max),
  hardsigmoid: (_op, [x], ctx) => ctx.b.node('HardSigmoid', [x!], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  // HardSwish from opset 14; before, x·HardSigmoid(x) with hardswish's slope and offset.
  hardswish: (_op, [x], ctx) =>
    ctx.opset >= 14 ? ctx.b.node('HardSwish', [x!]) : ctx.b.node('Mul', [x!, ctx.b.node('HardSigmoid', [x!], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } })]),
  softplus: (op, [x], ctx) => {
    // ONNX's Softplus is log(1 + eˣ): beta 1 only (the threshold is where both equal x in float).
    if (attrsOf<{ beta: number }>(op).beta !== 1) throw new Error('softplus with beta ≠ 1 is not exported');
    return ctx.b.node('Softplus', [x!]);
  },
  // Mish from opset 18; before, x·tanh(softplus(x)).
  mish: (_op, [x], ctx) =>
    ctx.opset >= 18 ? ctx.b.node('Mish', [x!]) : ctx.b.node('Mul', [x!, ctx.b.node('Tanh', [ctx.b.node('Softplus', [x!])])]),
  silu: (_op, [x], ctx) => ctx.b.node('Mul', [x!, ctx.b.node('Sigmoid', [x!])]),
  gelu: (op, [x], ctx) => gelu(op, x!, ctx, 'none'),
  geluTanh: (op, [x], ctx) => gelu(op, x!, ctx, 'tanh'),
  softmax: (op, [x], ctx) => ctx.b.node('Softmax', [x!], { axis: attrsOf<{ dim: number }>(op).dim }),
  logSoftmax: (op, [x], ctx) => ctx.b.node('LogSoftmax', [x!], { axis: attrsOf<{ dim: number }>(op).dim }),
  reshape: (op, [x], ctx) => ctx.b.node('Reshape', [x!, ctx.b.int64Constant('shape', reshapeTarget(op, ctx))]),
  permute: (op, [x], ctx) => ctx.b.node('Transpose', [x!], { perm: [...attrsOf<{ dims: number[] }>(op).dims] }),
  concat: (op, inputs, ctx) => ctx.b.node('Concat', inputs, { axis: attrsOf<{ dim: number }>(op).dim }),
  slice: (op, [x], ctx) => {
    const { start, size } = attrsOf<{ start: number[]; size: number[] }>(op);
    const shape = op.inputs[0]!.shape;
    const axes = start.map((_, i) => i).filter((i) => start[i] !== 0 || size[i] !== shape[i]);
    if (axes.length === 0) return ctx.b.node('Identity', [x!]);
    return ctx.b.node('Slice', [
      x!,
      ctx.b.int64Constant('starts', axes.map((i) => start[i]!)),
      ctx.b.int64Constant('ends', axes.map((i) => start[i]! + size[i]!)),
      ctx.b.int64Constant('axes', axes),
    ]);
  },
  pad: (op, [x], ctx) => {
    const { before, after, value } = attrsOf<{ before: number[]; after: number[]; value: number }>(op);
    return ctx.b.node('Pad', [x!, ctx.b.int64Constant('pads', [...before, ...after]), scalar(ctx, op, value, 'pad_value')], { mode: 'constant' });
  },
  // Reflect / replicate / circular padding (Conv2d's paddingMode) gathers along a dim.
  dimGather: (op, [x], ctx) => {
    const { dim, index } = attrsOf<{ dim: number; index: Int32Array }>(op);
    return ctx.b.node('Gather', [x!, ctx.b.int64Constant('indices', Array.from(index))], { axis: dim });
  },
  matmul,
  conv2d: conv,
  maxPool2d: maxPool,
  avgPool2d: avgPool,
  sum: reduce('ReduceSum'),
  max: reduce('ReduceMax'),
  min: reduce('ReduceMin'),
  broadcastTo: (op, [x], ctx) => {
    const shape = [...attrsOf<{ shape: number[] }>(op).shape];
    const t = op.inputs[0]!;
    // Expand broadcasts a 1 against the input's own (batch) dim.
    if (ctx.dynamicBatch && t.ndim === shape.length && t.shape[0] === shape[0]) shape[0] = 1;
    return ctx.b.node('Expand', [x!, ctx.b.int64Constant('shape', shape)]);
  },
};
