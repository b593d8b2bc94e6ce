// Each operator form importOnnx reads (attribute vs input forms across opsets 7-21, asymmetric and
// auto pads, ceil mode, count_include_pad, even LRN sizes, coerced Softmax before opset 13...) on a
// one-node or few-node graph built here, checked against ONNX Runtime on the same bytes.
import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { Generator, type Tensor, noGrad, randn } from '@tensorgrad/core';
import { AttributeType, DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, encodeModel } from '../proto.js';
import { OnnxImportError } from './errors.js';
import { importOnnx } from './import.js';

const IR_VERSION: Record<number, number> = { 7: 3, 8: 3, 9: 4, 10: 5, 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

const int = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
const float = (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f });
const ints = (name: string, values: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: values });
const str = (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) });

/** A tensor constant: int64 (shapes, axes, pads) or float. */
function constant(name: string, values: number[], dims: number[] = [values.length], dataType: number = DataType.INT64): TensorProto {
  return dataType === DataType.INT64 ? { name, dims, dataType, int64Data: values } : { name, dims, dataType, floatData: values };
}

function node(opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto {
  return { opType, name: `${opType}:${output[0]}`, input, output, attribute };
}

interface Case {
  opset: number;
  nodes: NodeProto[];
  inputs: Record<string, number[]>;
  initializers?: TensorProto[];
  outputs?: string[];
}

function modelOf(c: Case): ModelProto {
  return {
    irVersion: IR_VERSION[c.opset],
    opsetImport: [{ domain: '', version: c.opset }],
    graph: {
      name: 'case',
      node: c.nodes,
      initializer: c.initializers ?? [],
      input: Object.entries(c.inputs).map(([name, shape]) => ({
        name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
      })),
      output: (c.outputs ?? ['y']).map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } })),
    },
  };
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Runs the case in ONNX Runtime and through importOnnx on the same random inputs; outputs must agree. */
async function agree(c: Case): Promise<Tensor[]> {
  const bytes = encodeModel(modelOf(c));
  const generator = new Generator(7);
  const xs = Object.values(c.inputs).map((shape) => randn(shape, { generator }));
  const session = await ort.InferenceSession.create(bytes);
  const feeds = Object.fromEntries(Object.keys(c.inputs).map((name, k) => [name, new ort.Tensor('float32', Float32Array.from(xs[k]!.data as Float32Array), xs[k]!.shape)]));
  const expected = await session.run(feeds);
  await session.release();
  const model = importOnnx(bytes);
  const ys = noGrad(() => model.forwardAll(...xs));
  (c.outputs ?? ['y']).forEach((name, k) => {
    const want = expected[name]!;
    expect(ys[k]!.shape, name).to.deep.equal(want.dims);
    expect(relativeError(Array.from(ys[k]!.data as Float32Array), want.data as Float32Array), name).to.be.below(1e-5);
  });
  return ys;
}

const X = { x: [2, 3, 7, 6] };

describe('importOnnx: operators against ONNX Runtime', () => {
  describe('Softmax / LogSoftmax axis semantics', () => {
    for (const opset of [11, 13]) {
      for (const op of ['Softmax', 'LogSoftmax']) {
        it(`${op} opset ${opset}: axis 1 (${opset < 13 ? 'coerced to 2-D' : 'one axis'}) and the default axis`, async () => {
          await agree({ opset, inputs: X, nodes: [node(op, ['x'], ['a'], [int('axis', 1)]), node(op, ['a'], ['y'])] });
        });
      }
    }
  });

  describe('Clip', () => {
    it('opset 7: min and max attributes', () => agree({ opset: 7, inputs: X, nodes: [node('Clip', ['x'], ['y'], [float('min', -0.5), float('max', 0.7)])] }));
    it('opset 11: min input only (max omitted)', () =>
      agree({ opset: 11, inputs: X, initializers: [constant('lo', [-0.25], [], DataType.FLOAT)], nodes: [node('Clip', ['x', 'lo'], ['y'])] }));
    it('opset 13: both bounds from Constant nodes', () =>
      agree({
        opset: 13, inputs: X,
        nodes: [
          { ...node('Constant', [], ['lo']), attribute: [{ name: 'value', type: AttributeType.TENSOR, t: constant('', [-1], [], DataType.FLOAT) }] },
          { ...node('Constant', [], ['hi']), attribute: [float('value_float', 0.5)] },
          node('Clip', ['x', 'lo', 'hi'], ['y']),
        ],
      }));
  });

  describe('Pad', () => {
    it('opset 7: pads and value attributes, constant mode', () =>
      agree({ opset: 7, inputs: X, nodes: [node('Pad', ['x'], ['y'], [ints('pads', [0, 0, 1, 2, 0, 0, 3, 0]), float('value', 1.5)])] }));
    it('opset 10: reflect mode', () => agree({ opset: 10, inputs: X, nodes: [node('Pad', ['x'], ['y'], [str('mode', 'reflect'), ints('pads', [0, 0, 2, 1, 0, 0, 1, 2])])] }));
    it('opset 11: pads and constant_value inputs, negative pads crop', () =>
      agree({
        opset: 11, inputs: X,
        initializers: [constant('pads', [0, 0, -1, 2, 0, 1, 0, -2]), constant('value', [0.25], [], DataType.FLOAT)],
        nodes: [node('Pad', ['x', 'pads', 'value'], ['y'])],
      }));
    it('opset 13: edge mode', () =>
      agree({ opset: 13, inputs: X, initializers: [constant('pads', [0, 0, 2, 0, 0, 0, 1, 3])], nodes: [node('Pad', ['x', 'pads'], ['y'], [str('mode', 'edge')])] }));
    it('opset 18: axes input', () =>
      agree({ opset: 18, inputs: X, initializers: [constant('pads', [1, 2, 3, 0]), constant('axes', [-1, 2])], nodes: [node('Pad', ['x', 'pads', '', 'axes'], ['y'])] }));
    it('opset 19: wrap mode', () =>
      agree({ opset: 19, inputs: X, initializers: [constant('pads', [0, 0, 1, 2, 0, 0, 2, 1])], nodes: [node('Pad', ['x', 'pads'], ['y'], [str('mode', 'wrap')])] }));
  });

  describe('Reshape, Flatten, Transpose, Unsqueeze, Squeeze', () => {
    it('Reshape opset 13: 0 copies a dim, -1 is inferred', () =>
      agree({ opset: 13, inputs: X, initializers: [constant('s', [0, -1, 6])], nodes: [node('Reshape', ['x', 's'], ['y'])] }));
    it('Reshape opset 14 with allowzero = 0', () =>
      agree({ opset: 14, inputs: X, initializers: [constant('s', [2, 0, 0, -1])], nodes: [node('Reshape', ['x', 's'], ['y'], [int('allowzero', 0)])] }));
    it('Flatten: default axis, axis 2 (opset 9) and axis -1 (opset 13)', async () => {
      await agree({ opset: 9, inputs: X, nodes: [node('Flatten', ['x'], ['y'])] });
      await agree({ opset: 9, inputs: X, nodes: [node('Flatten', ['x'], ['y'], [int('axis', 2)])] });
      await agree({ opset: 13, inputs: X, nodes: [node('Flatten', ['x'], ['y'], [int('axis', -1)])] });
    });
    it('Transpose: perm and the default (reversed) order', () =>
      agree({ opset: 13, inputs: X, nodes: [node('Transpose', ['x'], ['a'], [ints('perm', [0, 2, 3, 1])]), node('Transpose', ['a'], ['y'])] }));
    it('Unsqueeze and Squeeze with axes attributes (opset 11, negative axes)', () =>
      agree({ opset: 11, inputs: X, nodes: [node('Unsqueeze', ['x'], ['a'], [ints('axes', [0, -1])]), node('Squeeze', ['a'], ['y'], [ints('axes', [-1])])] }));
    it('Unsqueeze and Squeeze with axes inputs (opset 13), Squeeze without axes', () =>
      agree({
        opset: 13, inputs: X, initializers: [constant('ax', [1, 3])],
        nodes: [node('Unsqueeze', ['x', 'ax'], ['a']), node('Squeeze', ['a'], ['y'])],
      }));
  });

  describe('the Shape/Gather/Unsqueeze/Concat patterns exporters emit for flatten', () => {
    for (const opset of [9, 13]) {
      it(`x.view(x.size(0), -1) at opset ${opset}`, () =>
        agree({
          opset, inputs: X,
          initializers: [constant('zero', [0], []), constant('minus1', [-1]), ...(opset < 13 ? [] : [constant('axes0', [0])])],
          nodes: [
            node('Shape', ['x'], ['s']),
            node('Gather', ['s', 'zero'], ['n'], [int('axis', 0)]),
            opset < 13 ? node('Unsqueeze', ['n'], ['n1'], [ints('axes', [0])]) : node('Unsqueeze', ['n', 'axes0'], ['n1']),
            node('Concat', ['n1', 'minus1'], ['shape'], [int('axis', 0)]),
            node('Reshape', ['x', 'shape'], ['y']),
          ],
        }));
    }
    it('Shape with start and end (opset 15), Slice, Concat and ConstantOfShape on host values, used as a tensor', () =>
      agree({
        opset: 15, inputs: X,
        initializers: [constant('st', [1]), constant('en', [2])],
        nodes: [
          node('Shape', ['x'], ['s'], [int('start', 1), int('end', -1)]), // [3, 7]
          node('Slice', ['s', 'st', 'en'], ['h']), // [7]
          node('Concat', ['h', 'h'], ['hh'], [int('axis', 0)]), // [7, 7]
          node('ConstantOfShape', ['hh'], ['c'], [{ name: 'value', type: AttributeType.TENSOR, t: constant('', [0.5], [1], DataType.FLOAT) }]),
          node('MatMul', ['c', 'x'], ['y']),
        ],
      }));
  });

  describe('Conv and ConvTranspose', () => {
    const W = { w: [4, 3, 3, 2] };
    it('Conv: asymmetric pads, strides, dilations, bias', () =>
      agree({ opset: 11, inputs: { ...X, ...W, b: [4] }, nodes: [node('Conv', ['x', 'w', 'b'], ['y'], [ints('pads', [1, 0, 2, 1]), ints('strides', [2, 1]), ints('dilations', [1, 2])])] }));
    for (const autoPad of ['SAME_UPPER', 'SAME_LOWER', 'VALID']) {
      it(`Conv: auto_pad ${autoPad}, stride 2`, () =>
        agree({ opset: 13, inputs: { ...X, ...W }, nodes: [node('Conv', ['x', 'w'], ['y'], [str('auto_pad', autoPad), ints('strides', [2, 2]), ints('kernel_shape', [3, 2])])] }));
    }
    it('Conv: groups', () => agree({ opset: 9, inputs: { x: [1, 4, 6, 6], w: [6, 2, 3, 3] }, nodes: [node('Conv', ['x', 'w'], ['y'], [int('group', 2), ints('pads', [1, 1, 1, 1])])] }));
    it('Conv: 1-D (an [N, C, L] input)', () => agree({ opset: 17, inputs: { x: [2, 3, 9], w: [5, 3, 3] }, nodes: [node('Conv', ['x', 'w'], ['y'], [ints('pads', [2, 1]), ints('strides', [2])])] }));
    it('ConvTranspose: symmetric pads, output_padding, bias (PyTorch form)', () =>
      agree({ opset: 11, inputs: { x: [2, 3, 5, 4], w: [3, 4, 3, 3], b: [4] }, nodes: [node('ConvTranspose', ['x', 'w', 'b'], ['y'], [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('output_padding', [1, 0])])] }));
    it('ConvTranspose: asymmetric pads, groups, dilations', () =>
      agree({ opset: 13, inputs: { x: [1, 4, 5, 4], w: [4, 3, 3, 2], b: [6] }, nodes: [node('ConvTranspose', ['x', 'w', 'b'], ['y'], [int('group', 2), ints('pads', [0, 1, 2, 0]), ints('dilations', [2, 1]), ints('strides', [1, 2])])] }));
    it('ConvTranspose: output_shape', () =>
      agree({ opset: 13, inputs: { x: [1, 3, 4, 4], w: [3, 2, 3, 3] }, nodes: [node('ConvTranspose', ['x', 'w'], ['y'], [ints('strides', [2, 2]), ints('output_shape', [8, 9])])] }));
  });

  describe('MaxPool, AveragePool, global pools', () => {
    it('MaxPool: symmetric pads, strides, ceil_mode (opset 10)', () =>
      agree({ opset: 10, inputs: X, nodes: [node('MaxPool', ['x'], ['y'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), int('ceil_mode', 1)])] }));
    it('MaxPool: asymmetric pads and dilations (opset 12)', () =>
      agree({ opset: 12, inputs: X, nodes: [node('MaxPool', ['x'], ['y'], [ints('kernel_shape', [2, 3]), ints('pads', [0, 1, 1, 0]), ints('dilations', [2, 1])])] }));
    it('MaxPool: auto_pad SAME_UPPER, and 1-D', async () => {
      await agree({ opset: 8, inputs: X, nodes: [node('MaxPool', ['x'], ['y'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), str('auto_pad', 'SAME_UPPER')])] });
      await agree({ opset: 13, inputs: { x: [2, 3, 9] }, nodes: [node('MaxPool', ['x'], ['y'], [ints('kernel_shape', [3]), ints('strides', [2])])] });
    });
    for (const countIncludePad of [0, 1]) {
      it(`AveragePool: count_include_pad ${countIncludePad}, symmetric pads and ceil mode`, () =>
        agree({ opset: 11, inputs: X, nodes: [node('AveragePool', ['x'], ['y'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), int('count_include_pad', countIncludePad), int('ceil_mode', 1)])] }));
      it(`AveragePool: count_include_pad ${countIncludePad}, asymmetric pads`, () =>
        agree({ opset: 7, inputs: X, nodes: [node('AveragePool', ['x'], ['y'], [ints('kernel_shape', [3, 2]), ints('pads', [2, 0, 1, 1]), int('count_include_pad', countIncludePad)])] }));
    }
    it('GlobalAveragePool and GlobalMaxPool', async () => {
      await agree({ opset: 13, inputs: X, nodes: [node('GlobalAveragePool', ['x'], ['y'])] });
      await agree({ opset: 13, inputs: X, nodes: [node('GlobalMaxPool', ['x'], ['y'])] });
    });
  });

  describe('BatchNormalization, LRN, Dropout (inference)', () => {
    const stats = (c: number): TensorProto[] => [
      constant('scale', Array.from({ length: c }, (_, i) => 0.5 + i / 4), [c], DataType.FLOAT),
      constant('bias', Array.from({ length: c }, (_, i) => i / 10 - 0.1), [c], DataType.FLOAT),
      constant('mean', Array.from({ length: c }, (_, i) => 0.3 - i / 5), [c], DataType.FLOAT),
      constant('var', Array.from({ length: c }, (_, i) => 0.5 + i), [c], DataType.FLOAT),
    ];
    for (const opset of [7, 9, 14, 15]) {
      it(`BatchNormalization opset ${opset}`, () =>
        agree({ opset, inputs: X, initializers: stats(3), nodes: [node('BatchNormalization', ['x', 'scale', 'bias', 'mean', 'var'], ['y'], [float('epsilon', 1e-3)])] }));
    }
    const lrnCase = (size: number): Case => ({
      opset: 13, inputs: { x: [2, 7, 4, 3] }, nodes: [node('LRN', ['x'], ['y'], [int('size', size), float('alpha', 0.3), float('beta', 0.6), float('bias', 1.5)])],
    });
    /** The spec's formula: the square sum over channels c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉. */
    function lrnReference(x: Tensor, size: number): number[] {
      const [n, c, hw] = [x.shape[0]!, x.shape[1]!, x.shape[2]! * x.shape[3]!];
      const d = x.data as Float32Array;
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let ch = 0; ch < c; ch++) {
          for (let p = 0; p < hw; p++) {
            let sum = 0;
            for (let k = ch - Math.floor((size - 1) / 2); k <= ch + Math.ceil((size - 1) / 2); k++) if (k >= 0 && k < c) sum += d[(i * c + k) * hw + p]! ** 2;
            out.push(d[(i * c + ch) * hw + p]! / (1.5 + (0.3 / size) * sum) ** 0.6);
          }
        }
      }
      return out;
    }
    it('LRN size 3: ONNX Runtime and the formula', async () => {
      const [y] = await agree(lrnCase(3));
      expect(relativeError(Array.from(y!.data as Float32Array), lrnReference(randn([2, 7, 4, 3], { generator: new Generator(7) }), 3))).to.be.below(1e-6);
    });
    it('LRN size 4 (even: the window leans the other way from PyTorch; ONNX Runtime refuses even sizes): the formula', () => {
      const x = randn([2, 7, 4, 3], { generator: new Generator(7) });
      const y = importOnnx(encodeModel(modelOf(lrnCase(4)))).invoke(x);
      expect(relativeError(Array.from(y.data as Float32Array), lrnReference(x, 4))).to.be.below(1e-6);
    });
    it('Dropout opset 10 (ratio attribute) and opset 13 (ratio input) are identities in eval mode', async () => {
      await agree({ opset: 10, inputs: X, nodes: [node('Dropout', ['x'], ['y'], [float('ratio', 0.3)])] });
      await agree({ opset: 13, inputs: X, initializers: [constant('r', [0.3], [], DataType.FLOAT)], nodes: [node('Dropout', ['x', 'r'], ['y'])] });
    });
  });

  describe('Gemm, MatMul, arithmetic, activations', () => {
    it('Gemm: transA, transB, alpha, beta, C broadcast as a row', () =>
      agree({ opset: 9, inputs: { a: [4, 3], b: [5, 4], c: [1, 5] }, nodes: [node('Gemm', ['a', 'b', 'c'], ['y'], [int('transA', 1), int('transB', 1), float('alpha', 0.5), float('beta', 2)])] }));
    it('Gemm: the Linear form (transB = 1) and without C', async () => {
      await agree({ opset: 13, inputs: { a: [3, 4], b: [5, 4], c: [5] }, nodes: [node('Gemm', ['a', 'b', 'c'], ['y'], [int('transB', 1)])] });
      await agree({ opset: 13, inputs: { a: [3, 4], b: [4, 5] }, nodes: [node('Gemm', ['a', 'b'], ['y'])] });
    });
    it('MatMul: batched and broadcast', () => agree({ opset: 13, inputs: { a: [2, 1, 3, 4], b: [3, 4, 5] }, nodes: [node('MatMul', ['a', 'b'], ['y'])] }));
    it('Add, Sub, Mul, Div with broadcasting and constants', () =>
      agree({
        opset: 13, inputs: { ...X, r: [3, 1, 1] }, initializers: [constant('k', [2.5], [], DataType.FLOAT)],
        nodes: [node('Add', ['x', 'r'], ['a']), node('Sub', ['a', 'k'], ['s']), node('Mul', ['s', 'x'], ['m']), node('Div', ['m', 'r'], ['y'])],
      }));
    it('Relu, LeakyRelu (default and given alpha), Sigmoid, Tanh, Identity', () =>
      agree({
        opset: 13, inputs: X,
        nodes: [
          node('Relu', ['x'], ['r']), node('LeakyRelu', ['x'], ['l']), node('LeakyRelu', ['x'], ['l2'], [float('alpha', 0.3)]),
          node('Sigmoid', ['x'], ['s']), node('Tanh', ['x'], ['t']), node('Identity', ['t'], ['y']),
        ],
        outputs: ['r', 'l', 'l2', 's', 'y'],
      }));
  });

  describe('Gather, Slice, Concat, Cast on tensors', () => {
    it('Gather: a scalar index and a list with a negative index, along dim 1', () =>
      agree({
        opset: 13, inputs: X, initializers: [constant('i', [2], []), constant('j', [0, -1, 1], [3])],
        nodes: [node('Gather', ['x', 'i'], ['g'], [int('axis', 1)]), node('Gather', ['x', 'j'], ['y'], [int('axis', 1)])],
        outputs: ['g', 'y'],
      }));
    it('Slice opset 9 (attributes) and opset 13 (inputs, steps, clamped ends)', async () => {
      await agree({ opset: 9, inputs: X, nodes: [node('Slice', ['x'], ['y'], [ints('starts', [1, -3]), ints('ends', [100, -1]), ints('axes', [1, 3])])] });
      await agree({
        opset: 13, inputs: X, initializers: [constant('st', [0, 1]), constant('en', [9223372036854775807, 7]), constant('ax', [2, 3]), constant('sp', [2, 3])],
        nodes: [node('Slice', ['x', 'st', 'en', 'ax', 'sp'], ['y'])],
      });
    });
    it('Concat of tensors and Cast to float', () =>
      agree({ opset: 13, inputs: { ...X, z: [2, 1, 7, 6] }, nodes: [node('Concat', ['x', 'z'], ['c'], [int('axis', 1)]), node('Cast', ['c'], ['y'], [int('to', DataType.FLOAT)])] }));
  });

  describe('what importOnnx refuses', () => {
    it('lists every unsupported node, with its name, in one error', () => {
      const model = modelOf({
        opset: 13, inputs: X,
        nodes: [
          node('Relu', ['x'], ['r']),
          node('Equal', ['r', 'x'], ['e']),
          { ...node('FusedConv', ['r'], ['f']), domain: 'com.microsoft' },
          node('MaxPool', ['x'], ['m', 'idx'], [ints('kernel_shape', [2, 2])]),
          node('Resize', ['r'], ['z']),
          node('Concat', ['e', 'f', 'm', 'idx', 'z'], ['y'], [int('axis', 1)]),
        ],
      });
      let error: unknown;
      try {
        importOnnx(model);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(OnnxImportError);
      const e = error as OnnxImportError;
      expect(e.problems).to.deep.equal([
        "node 'Equal:e' (Equal): operator not supported",
        "node 'FusedConv:f' (FusedConv): operator of domain 'com.microsoft' not supported",
        "node 'MaxPool:m' (MaxPool): the Indices output (argmax positions) is not supported",
        "node 'Resize:z' (Resize): operator not supported",
      ]);
      expect(e.message).to.contain('4 unsupported node(s)');
    });
    it('refuses opsets outside 7-21, stripped weights, and inputs of the wrong shape', () => {
      expect(() => importOnnx(modelOf({ opset: 6, inputs: X, nodes: [node('Relu', ['x'], ['y'])] }))).to.throw(OnnxImportError, 'opsets 7 to 21');
      const stripped = modelOf({ opset: 13, inputs: X, initializers: [{ name: 'w', dims: [4, 3, 3, 3], dataType: DataType.FLOAT }], nodes: [node('Conv', ['x', 'w'], ['y'])] });
      expect(() => importOnnx(stripped)).to.throw(OnnxImportError, "initializer 'w' has no data");
      const model = importOnnx(modelOf({ opset: 13, inputs: X, nodes: [node('Relu', ['x'], ['y'])] }));
      expect(() => model.invoke(randn([2, 3, 7, 5]))).to.throw(OnnxImportError, "input 'x' must have shape [batch,3,7,6], got [2,3,7,5]");
      expect(model.invoke(randn([5, 3, 7, 6])).shape).to.deep.equal([5, 3, 7, 6]); // any batch size
    });
  });
});
