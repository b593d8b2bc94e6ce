// Add, Sub, Mul, Div (NumPy broadcasting, opset 7+), Gemm and MatMul.
import { type Tensor, add, div, linear, matmul, mul, sub, transpose } from '@tensorgrad/core';
import { OnnxImportError } from '../errors.js';
import { hostBroadcast } from '../host-ops.js';
import { HostValue } from '../values.js';
import type { OpHandler, RunContext } from './types.js';
import { input, tensorInput } from './util.js';

type Binary = (a: Tensor, b: Tensor) => Tensor;

/** One arithmetic operator: on host values (shape arithmetic) or on tensors (the tape). */
function arithmetic(onTensors: Binary, onNumbers: (x: number, y: number) => number): OpHandler {
  return {
    trainable: 'all',
    run(inputs, ctx) {
      const a = input(inputs, 0, ctx);
      const b = input(inputs, 1, ctx);
      if (a instanceof HostValue && b instanceof HostValue) {
        const integer = a.kind === 'int' && b.kind === 'int';
        const f = integer ? (x: number, y: number) => Math.trunc(onNumbers(x, y)) : (x: number, y: number) => Math.fround(onNumbers(x, y));
        const out = hostBroadcast(a, b, integer ? 'int' : 'float', f);
        if (out === undefined) throw new OnnxImportError(`${ctx.where}: shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast`);
        return [out];
      }
      return [onTensors(tensorInput(inputs, 0, ctx), tensorInput(inputs, 1, ctx))];
    },
  };
}

/** Y = alpha·A'·B' + beta·C, A' and B' optionally transposed (2-D A and B). */
const gemm: OpHandler = {
  trainable: 'all',
  run(inputs, ctx: RunContext) {
    const a = tensorInput(inputs, 0, ctx);
    const b = tensorInput(inputs, 1, ctx);
    const c = inputs[2] === undefined ? undefined : tensorInput(inputs, 2, ctx);
    const alpha = ctx.attrs.float('alpha', 1);
    const beta = ctx.attrs.float('beta', 1);
    const transA = ctx.attrs.int('transA', 0) !== 0;
    const transB = ctx.attrs.int('transB', 0) !== 0;
    if (a.ndim !== 2 || b.ndim !== 2) throw new OnnxImportError(`${ctx.where}: A and B must be 2-D, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`);
    // The form torch.nn.Linear exports: one fused op (and what an exporter maps back to Gemm).
    if (!transA && transB && alpha === 1 && (c === undefined || (beta === 1 && c.ndim === 1 && c.shape[0] === b.shape[0]))) {
      return [linear(a, b, c ?? null)];
    }
    let y = matmul(transA ? transpose(a, 0, 1) : a, transB ? transpose(b, 0, 1) : b);
    if (alpha !== 1) y = mul(y, alpha);
    if (c !== undefined && beta !== 0) y = add(y, beta === 1 ? c : mul(c, beta));
    return [y];
  },
};

const matMul: OpHandler = {
  trainable: 'all',
  run: (inputs, ctx) => [matmul(tensorInput(inputs, 0, ctx), tensorInput(inputs, 1, ctx))],
};

/** The arithmetic operators, by ONNX name. */
export const mathOps: Record<string, OpHandler> = {
  Add: arithmetic(add, (x, y) => x + y),
  Sub: arithmetic(sub, (x, y) => x - y),
  Mul: arithmetic(mul, (x, y) => x * y),
  Div: arithmetic(div, (x, y) => x / y),
  Gemm: gemm,
  MatMul: matMul,
};
