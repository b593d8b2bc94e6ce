// Shape and data-movement operators: Concat, Flatten, Reshape, Transpose, Pad, Identity, Constant,
// ConstantOfShape, Shape, Gather, Unsqueeze, Squeeze, Slice, Cast. Each works on host values (the
// shape arithmetic exporters emit, evaluated with numbers) and on tensors (through core's
// differentiable ops).
import { cast, concat, narrow, pad, permute, reshape, slice } from '@tensorgrad/core';
import { DataType } from '../../proto.js';
import { OnnxImportError } from '../errors.js';
import { hostConcat, hostGather, hostSlice, hostTranspose } from '../host-ops.js';
import { HostValue, type Value, asTensor, floatDtypeOf, hostFromProto, kindOfDataType, numbersOf } from '../values.js';
import type { NodeContext, OpHandler } from './types.js';
import { axis, input, intsInput, product, scalarInput, tensorInput } from './util.js';

/** v with a new shape of the same size. */
function reshapeValue(v: Value, shape: number[]): Value {
  return v instanceof HostValue ? new HostValue(v.kind, shape, v.data) : reshape(v, shape);
}

/** ONNX Reshape's target: 0 copies the input's dim (unless allowzero), -1 is inferred. */
function reshapeTarget(from: readonly number[], spec: readonly number[], allowZero: boolean, ctx: NodeContext): number[] {
  const out = spec.map((d, i) => (d === 0 && !allowZero ? from[i]! : d));
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = product(out.filter((_, i) => i !== unknown));
    out[unknown] = known === 0 ? 0 : product(from) / known;
  }
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || product(out) !== product(from)) {
    throw new OnnxImportError(`${ctx.where}: cannot reshape [${from.join(',')}] to [${spec.join(',')}]`);
  }
  return out;
}

/** Axes for Unsqueeze/Squeeze: an attribute before opset 13, an (optional) input from 13. */
function axesOf(inputs: readonly (Value | undefined)[], ctx: NodeContext): number[] | undefined {
  return ctx.opset < 13 ? ctx.attrs.ints('axes') : intsInput(inputs, 1);
}

const unsqueeze: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const axes = axesOf(inputs, ctx);
    if (axes === undefined) throw new OnnxImportError(`${ctx.where}: axes are required`);
    const rank = x.shape.length + axes.length;
    const at = new Set(axes.map((a) => axis(a, rank, ctx, 'axes entry')));
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(at.has(i) ? 1 : x.shape[k++]!);
    return [reshapeValue(x, shape)];
  },
};

const squeeze: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const axes = axesOf(inputs, ctx);
    const drop = new Set(axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => axis(a, x.shape.length, ctx, 'axes entry')));
    for (const d of drop) if (x.shape[d] !== 1) throw new OnnxImportError(`${ctx.where}: cannot squeeze dim ${d} of size ${x.shape[d]}`);
    return [reshapeValue(x, x.shape.filter((_, i) => !drop.has(i)))];
  },
};

const concatOp: OpHandler = {
  trainable: 'all',
  run(inputs, ctx) {
    const xs = inputs.filter((v): v is Value => v !== undefined);
    if (xs.length === 0) throw new OnnxImportError(`${ctx.where}: no inputs`);
    const a = axis(ctx.attrs.int('axis', 0), xs[0]!.shape.length, ctx);
    if (xs.every((v) => v instanceof HostValue)) return [hostConcat(xs as HostValue[], a)];
    const dtype = floatDtypeOf(xs);
    return [concat(xs.map((v) => asTensor(v, dtype)), a)];
  },
};

const flatten: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const a = ctx.attrs.int('axis', 1);
    const at = a < 0 ? a + x.shape.length : a;
    if (at < 0 || at > x.shape.length) throw new OnnxImportError(`${ctx.where}: axis ${a} is out of range for rank ${x.shape.length}`);
    return [reshapeValue(x, [product(x.shape.slice(0, at)), product(x.shape.slice(at))])];
  },
};

const reshapeOp: OpHandler = {
  check: (ctx) => (ctx.opset < 5 ? 'the shape attribute (opset < 5) is not supported' : undefined),
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const spec = intsInput(inputs, 1);
    if (spec === undefined) throw new OnnxImportError(`${ctx.where}: the shape input is required`);
    return [reshapeValue(x, reshapeTarget(x.shape, spec, ctx.attrs.int('allowzero', 0) !== 0, ctx))];
  },
};

const transposeOp: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const perm = ctx.attrs.ints('perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
    return [x instanceof HostValue ? hostTranspose(x, perm) : permute(x, perm)];
  },
};

const PAD_MODES: Record<string, 'constant' | 'reflect' | 'replicate' | 'circular'> = {
  constant: 'constant', reflect: 'reflect', edge: 'replicate', wrap: 'circular',
};

const padOp: OpHandler = {
  check(ctx) {
    const mode = ctx.attrs.string('mode', 'constant');
    if (PAD_MODES[mode] === undefined) return `mode '${mode}' is not one of constant, reflect, edge, wrap`;
    if (ctx.opset < 2) return 'the paddings attribute (opset 1) is not supported';
    return undefined;
  },
  run(inputs, ctx) {
    const x = tensorInput(inputs, 0, ctx);
    const rank = x.ndim;
    const given = ctx.opset < 11 ? ctx.attrs.ints('pads') : intsInput(inputs, 1);
    if (given === undefined) throw new OnnxImportError(`${ctx.where}: pads are required`);
    const value = ctx.opset < 11 ? ctx.attrs.float('value', 0) : (scalarInput(inputs, 2, ctx, 'constant_value') ?? 0);
    const axes = (ctx.opset >= 18 ? intsInput(inputs, 3) : undefined)?.map((a) => axis(a, rank, ctx, 'axes entry')) ?? x.shape.map((_, i) => i);
    if (given.length !== 2 * axes.length) throw new OnnxImportError(`${ctx.where}: pads has ${given.length} entries for ${axes.length} axes`);
    const begin = new Array<number>(rank).fill(0);
    const end = new Array<number>(rank).fill(0);
    axes.forEach((a, i) => {
      begin[a] = given[i]!;
      end[a] = given[i + axes.length]!;
    });
    // core's pad lists [left, right] from the last dim backwards, as far as the first padded dim.
    const first = begin.findIndex((b, i) => b !== 0 || end[i] !== 0);
    if (first < 0) return [x];
    const pads: number[] = [];
    for (let d = rank - 1; d >= first; d--) pads.push(begin[d]!, end[d]!);
    const mode = PAD_MODES[ctx.attrs.string('mode', 'constant')]!;
    return [mode === 'constant' ? pad(x, pads, value) : pad(x, pads, mode)];
  },
};

const constant: OpHandler = {
  check(ctx) {
    const known = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'];
    const present = ctx.attrs.names();
    const other = present.find((n) => !known.includes(n));
    return other === undefined ? undefined : `the ${other} attribute is not supported`;
  },
  run(_, ctx) {
    const { attrs } = ctx;
    const t = attrs.tensor('value');
    if (t !== undefined) return [hostFromProto(t, `${ctx.where}: value`)];
    const f = attrs.float('value_float');
    if (f !== undefined) return [new HostValue('float', [], [f])];
    const fs = attrs.floats('value_floats');
    if (fs !== undefined) return [new HostValue('float', [fs.length], fs)];
    const i = attrs.int('value_int');
    if (i !== undefined) return [new HostValue('int', [], [i])];
    const is = attrs.ints('value_ints');
    if (is !== undefined) return [new HostValue('int', [is.length], is)];
    throw new OnnxImportError(`${ctx.where}: no value attribute`);
  },
};

const constantOfShape: OpHandler = {
  run(inputs, ctx) {
    const shape = intsInput(inputs, 0);
    if (shape === undefined) throw new OnnxImportError(`${ctx.where}: the shape input is required`);
    const t = ctx.attrs.tensor('value');
    const fill = t === undefined ? new HostValue('float', [1], [0]) : hostFromProto(t, `${ctx.where}: value`);
    return [new HostValue(fill.kind, shape, new Array<number>(product(shape)).fill(fill.data[0] ?? 0))];
  },
};

const shapeOp: OpHandler = {
  run(inputs, ctx) {
    const dims = input(inputs, 0, ctx).shape;
    const clampTo = (i: number): number => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
    const start = clampTo(ctx.attrs.int('start', 0));
    const end = clampTo(ctx.attrs.int('end', dims.length));
    const picked = dims.slice(start, Math.max(start, end));
    return [new HostValue('int', [picked.length], picked)];
  },
};

const gather: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const indicesValue = input(inputs, 1, ctx);
    const a = axis(ctx.attrs.int('axis', 0), x.shape.length, ctx);
    const dim = x.shape[a]!;
    const indices = numbersOf(indicesValue).map((i) => {
      const j = i < 0 ? i + dim : i;
      if (!Number.isInteger(j) || j < 0 || j >= dim) throw new OnnxImportError(`${ctx.where}: index ${i} is out of range for a dim of size ${dim}`);
      return j;
    });
    if (x instanceof HostValue) return [hostGather(x, a, indices, indicesValue.shape)];
    // On a tensor: the picked slices, joined (differentiable; torchvision's transform_input uses it).
    const picked = indices.map((i) => narrow(x, a, i, 1));
    const joined = picked.length === 1 ? picked[0]! : concat(picked, a);
    return [reshape(joined, [...x.shape.slice(0, a), ...indicesValue.shape, ...x.shape.slice(a + 1)])];
  },
};

const sliceOp: OpHandler = {
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const rank = x.shape.length;
    const starts = ctx.opset < 10 ? ctx.attrs.ints('starts') : intsInput(inputs, 1);
    const ends = ctx.opset < 10 ? ctx.attrs.ints('ends') : intsInput(inputs, 2);
    if (starts === undefined || ends === undefined || starts.length !== ends.length) throw new OnnxImportError(`${ctx.where}: starts and ends are required, of one length`);
    const axes = (ctx.opset < 10 ? ctx.attrs.ints('axes') : intsInput(inputs, 3)) ?? starts.map((_, i) => i);
    const steps = (ctx.opset < 10 ? undefined : intsInput(inputs, 4)) ?? starts.map(() => 1);
    let y = x;
    axes.forEach((rawAxis, i) => {
      const a = axis(rawAxis, rank, ctx, 'axes entry');
      const dim = x.shape[a]!;
      const step = steps[i]!;
      if (step === 0) throw new OnnxImportError(`${ctx.where}: a step of 0`);
      // The spec's clamping: [0, dim] for positive steps, [-1, dim - 1] for negative ones.
      const [lo, hi] = step > 0 ? [0, dim] : [-1, dim - 1];
      const fix = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
      const start = fix(starts[i]!);
      const end = fix(ends[i]!);
      if (y instanceof HostValue) y = hostSlice(y, a, start, end, step);
      else if (step > 0) y = slice(y, a, start, Math.max(start, end), step);
      else throw new OnnxImportError(`${ctx.where}: negative steps on tensors are not supported`);
    });
    return [y];
  },
};

const castOp: OpHandler = {
  check(ctx) {
    const to = ctx.attrs.int('to');
    return to === undefined || kindOfDataType(to) === undefined ? `target type ${to} is not supported` : undefined;
  },
  run(inputs, ctx) {
    const x = input(inputs, 0, ctx);
    const to = ctx.attrs.int('to')!;
    const kind = kindOfDataType(to)!;
    if (x instanceof HostValue) {
      const data = x.data.map((v) => (kind === 'int' ? Math.trunc(v) : kind === 'bool' ? Number(v !== 0) : to === DataType.FLOAT ? Math.fround(v) : v));
      return [new HostValue(kind, x.shape, data)];
    }
    if (to === DataType.FLOAT) return [x.dtype === 'float32' ? x : cast(x, 'float32')];
    if (to === DataType.DOUBLE) return [x.dtype === 'float64' ? x : cast(x, 'float64')];
    if (kind === 'int') return [x.dtype === 'int32' ? x : cast(x, 'int32')];
    throw new OnnxImportError(`${ctx.where}: casting a tensor to type ${to} is not supported`);
  },
};

/** The shape operators, by ONNX name. */
export const shapeOps: Record<string, OpHandler> = {
  Concat: concatOp,
  Flatten: flatten,
  Reshape: reshapeOp,
  Transpose: transposeOp,
  Pad: padOp,
  Identity: { run: (inputs, ctx) => [input(inputs, 0, ctx)] },
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Shape: shapeOp,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Slice: sliceOp,
  Cast: castOp,
};
