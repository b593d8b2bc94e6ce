import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { type ConvAttrs, conv2d, conv2dFilterGradOp, conv2dOp, convTranspose2d, convTransposeOp, convWindow } from './conv2d.js';
import { convMatrix } from './conv-matrix.js';
import { window2d } from '../window.js';

// The conv ops' own checks (internal callers included), convTranspose2d's outputPadding rule
// and output size, and convMatrix's input forms. Values from PyTorch 1.13 where noted.
const f64 = (shape: number[]) => zeros(shape, { dtype: 'float64' });
const attrs = (extra: Partial<ConvAttrs> = {}): ConvAttrs => ({ stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, ...extra });

describe('conv geometry checks', () => {
  it('convWindow accepts an output size up to the natural one, per dim', () => {
    expect(convWindow('t', 5, 5, 3, 3, attrs({ outputSize: [2, 3] })).outH).to.equal(2);
    expect(() => convWindow('t', 5, 5, 3, 3, attrs({ outputSize: [4, 3] }))).to.throw(ShapeError, "t: output size [4,3] exceeds the convolution's output size [3,3]");
    expect(() => convWindow('t', 5, 5, 3, 3, attrs({ outputSize: [3, 4] }))).to.throw(ShapeError, "t: output size [3,4] exceeds the convolution's output size [3,3]");
  });

  it('convTranspose2d allows outputPadding below the dilation (PyTorch values), not at both stride and dilation', () => {
    const x = tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64' });
    const w = tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64' });
    const y = convTranspose2d(x, w, null, { stride: 1, dilation: 2, outputPadding: 1 });
    expect(y.shape).to.deep.equal([1, 1, 5, 5]);
    expect((y.toArray() as number[][][][]).flat(3)).to.deep.equal([1, 2, 2, 4, 0, 3, 4, 6, 8, 0, 3, 6, 4, 8, 0, 9, 12, 12, 16, 0, 0, 0, 0, 0, 0]);
    expect(() => convTranspose2d(x, w, null, { stride: 2, dilation: 2, outputPadding: 2 })).to.throw(
      ArgumentError,
      'convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding [2,2], stride [2,2], dilation [2,2]',
    );
  });

  it('convTranspose2d refuses a non-positive output size and weights without channels', () => {
    expect(() => convTranspose2d(f64([1, 1, 1, 1]), f64([1, 1, 1, 1]), null, { padding: 1 })).to.throw(
      ShapeError,
      'convTranspose2d: output size [-1,-1] is not positive (x [1,1,1,1], weight [1,1,1,1], padding [1,1])',
    );
    expect(() => convTranspose2d(f64([1, 1, 1, 3]), f64([1, 1, 1, 1]), null, { padding: [1, 0] })).to.throw(
      ShapeError,
      'convTranspose2d: output size [-1,3] is not positive (x [1,1,1,3], weight [1,1,1,1], padding [1,0])',
    );
    expect(() => convTranspose2d(f64([1, 1, 2, 2]), f64([1, 1, 1]))).to.throw(ShapeError, 'convTranspose2d: weight must be 4-D [inChannels, outChannels/groups, kH, kW], got shape [1,1,1]');
    for (const name of ['stride', 'padding', 'outputPadding', 'dilation']) {
      expect(() => convTranspose2d(f64([1, 1, 2, 2]), f64([1, 1, 1, 1]), null, { [name]: -1 }), name).to.throw(ArgumentError, new RegExp(`^convTranspose2d: ${name} must be an integer >= `));
    }
    expect(() => convTranspose2d(f64([1, 1, 2, 2]), f64([0, 1, 1, 1]))).to.throw(ShapeError, /^convTranspose2d: weight \[0,1,1,1\] has no input or output channels/);
  });

  it('conv2d checks the bias shape and dtype', () => {
    expect(() => conv2d(f64([1, 1, 2, 2]), f64([2, 1, 1, 1]), f64([2, 1]))).to.throw(ShapeError, 'conv2d: bias must have shape [2] (one value per output channel), got [2,1]');
    expect(() => conv2d(f64([1, 1, 2, 2]), f64([2, 1, 1, 1]), zeros([2], { dtype: 'float32' }))).to.throw(DTypeError, 'conv2d: bias dtype float32 does not match input x dtype float64');
  });
});

describe('conv ops check their own operands', () => {
  it('conv2d op: ranks', () => {
    expect(() => conv2dOp({ x: f64([1, 2, 2]), w: f64([1, 1, 1, 1]), b: null }, attrs())).to.throw(ShapeError, 'conv2d: input x must be 4-D [N, C, H, W], got shape [1,2,2]');
  });

  it('convTranspose2d op: ranks, dtypes, groups and the transposed size', () => {
    const op = (x: number[], w: number[], extra: Partial<ConvAttrs> = {}, inputSize: [number, number] = [3, 3]) => () =>
      convTransposeOp({ x: f64(x), w: f64(w), b: null }, { ...attrs(extra), inputSize });
    expect(op([1, 2, 2], [1, 1, 2, 2])).to.throw(ShapeError, 'convTranspose2d: input x must be 4-D [N, C, H, W], got shape [1,2,2]');
    expect(op([1, 1, 2, 2], [1, 2, 2])).to.throw(ShapeError, 'convTranspose2d: weight must be 4-D [inChannels, outChannels/groups, kH, kW], got shape [1,2,2]');
    expect(() => convTransposeOp({ x: tensor([[[[1]]]], { dtype: 'int32' }), w: f64([1, 1, 1, 1]), b: null }, { ...attrs(), inputSize: [1, 1] })).to.throw(
      DTypeError,
      /^convTranspose2d: input x must be a floating-point tensor/,
    );
    expect(() => convTransposeOp({ x: f64([1, 1, 2, 2]), w: zeros([1, 1, 2, 2], { dtype: 'float32' }), b: null }, { ...attrs(), inputSize: [3, 3] })).to.throw(
      DTypeError,
      'convTranspose2d: weight dtype float32 does not match input x dtype float64',
    );
    expect(op([1, 3, 2, 2], [3, 1, 1, 1], { groups: 2 }, [2, 2])).to.throw(
      ShapeError,
      'convTranspose2d: groups 2 must divide the input channels, but input x has 3 (x [1,3,2,2], weight [3,1,1,1], groups 2)',
    );
    expect(op([1, 1, 2, 2], [1, 1, 2, 2], {}, [4, 4])).to.throw(ShapeError, 'convTranspose2d: input x has spatial size [2,2] but the convolution it transposes produces [3,3]');
    expect(op([1, 1, 2, 2], [1, 1, 2, 2], {}, [4, 3])).to.throw(ShapeError, 'convTranspose2d: input x has spatial size [2,2] but the convolution it transposes produces [3,2]');
    expect(op([1, 1, 2, 2], [1, 1, 2, 2], {}, [3, 4])).to.throw(ShapeError, 'convTranspose2d: input x has spatial size [2,2] but the convolution it transposes produces [2,3]');
    expect(op([1, 1, 2, 2], [1, 1, 2, 2], {}, [3, 3])().shape).to.deep.equal([1, 1, 3, 3]);
  });

  it('filter gradient op: ranks, dtypes, batch and groups, gy size', () => {
    const op = (x: number[], gy: number[], extra: Partial<ConvAttrs> = {}) => () =>
      conv2dFilterGradOp({ x: f64(x), gy: f64(gy) }, { ...attrs(extra), kernelSize: [2, 2] });
    const name = 'conv2dFilterGrad';
    expect(op([2, 2, 2], [1, 1, 1, 1])).to.throw(ShapeError, `${name}: input x must be 4-D [N, C, H, W], got shape [2,2,2]`);
    expect(op([1, 1, 2, 2], [1, 1, 1])).to.throw(ShapeError, `${name}: output gradient gy must be 4-D [N, Cout, outH, outW], got shape [1,1,1]`);
    expect(() => conv2dFilterGradOp({ x: tensor([[[[1]]]], { dtype: 'int32' }), gy: f64([1, 1, 1, 1]) }, { ...attrs(), kernelSize: [1, 1] })).to.throw(
      DTypeError,
      new RegExp(`^${name}: input x must be a floating-point tensor`),
    );
    expect(() => conv2dFilterGradOp({ x: f64([1, 1, 2, 2]), gy: zeros([1, 1, 1, 1], { dtype: 'float32' }) }, { ...attrs(), kernelSize: [2, 2] })).to.throw(
      DTypeError,
      `${name}: output gradient gy dtype float32 does not match input x dtype float64`,
    );
    const fit = (x: string, gy: string, groups: number) => `${name}: input x ${x} and output gradient gy ${gy} do not fit groups ${groups}`;
    expect(op([1, 2, 3, 3], [2, 2, 2, 2])).to.throw(ShapeError, fit('[1,2,3,3]', '[2,2,2,2]', 1));
    expect(op([1, 3, 3, 3], [1, 2, 2, 2], { groups: 2 })).to.throw(ShapeError, fit('[1,3,3,3]', '[1,2,2,2]', 2));
    expect(op([1, 2, 3, 3], [1, 3, 2, 2], { groups: 2 })).to.throw(ShapeError, fit('[1,2,3,3]', '[1,3,2,2]', 2));
    expect(op([1, 1, 3, 3], [1, 1, 3, 2])).to.throw(ShapeError, `${name}: output gradient gy [1,1,3,2] does not match the convolution's output size [2,2]`);
    expect(op([1, 1, 3, 3], [1, 1, 2, 3])).to.throw(ShapeError, `${name}: output gradient gy [1,1,2,3] does not match the convolution's output size [2,2]`);
    expect(op([1, 2, 3, 3], [1, 2, 2, 2], { groups: 2 })().shape).to.deep.equal([2, 1, 2, 2]);
  });
});

describe('convMatrix input forms', () => {
  const w = () => tensor([[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]]], { dtype: 'float64' });

  it('[C, H, W], [1, C, H, W] and a window geometry give the same matrix', () => {
    const a = convMatrix([1, 2, 3], w());
    expect(a.rows).to.equal(4);
    expect(a.cols).to.equal(6);
    expect(a.nnz).to.equal(16);
    expect(a.toDense()).to.deep.equal([
      [1, 2, 0, 3, 4, 0],
      [0, 1, 2, 0, 3, 4],
      [5, 6, 0, 7, 8, 0],
      [0, 5, 6, 0, 7, 8],
    ]);
    expect(convMatrix([1, 1, 2, 3], w()).toDense()).to.deep.equal(a.toDense());
    const g = convWindow('t', 2, 3, 2, 2, attrs());
    expect(convMatrix(g, w()).toDense()).to.deep.equal(a.toDense());
    expect(Array.from(a.matvec([1, 0, 0, 0, 0, 1]))).to.deep.equal([1, 4, 5, 8]);
    expect(Array.from(a.rmatvec([1, 0, 0, 0]))).to.deep.equal([1, 2, 0, 3, 4, 0]);
  });

  it('checks the input form, weight, geometry and vector lengths', () => {
    const op = 'convMatrix';
    expect(() => convMatrix([2, 1, 2, 3], w())).to.throw(ShapeError, `${op}: input shape must be [C, H, W] or [1, C, H, W], got [2,1,2,3]`);
    expect(() => convMatrix([2, 3], w())).to.throw(ShapeError, `${op}: input shape must be [C, H, W] or [1, C, H, W], got [2,3]`);
    expect(() => convMatrix([1, 2, 3], f64([2, 2, 2]))).to.throw(ShapeError, `${op}: weight must be 4-D [outChannels, inChannels/groups, kH, kW], got shape [2,2,2]`);
    const g = convWindow('t', 3, 3, 2, 2, attrs());
    expect(() => convMatrix(g, f64([1, 1, 3, 2]))).to.throw(ShapeError, `${op}: geometry has a 2×2 kernel but weight [1,1,3,2] is 3×2`);
    expect(() => convMatrix(g, f64([1, 1, 2, 3]))).to.throw(ShapeError, `${op}: geometry has a 2×2 kernel but weight [1,1,2,3] is 2×3`);
    expect(convMatrix(g, f64([2, 1, 2, 2]), { groups: 2 }).cols).to.equal(18);
    expect(() => convMatrix([3, 3, 3], f64([2, 1, 2, 2]), { groups: 2 })).to.throw(ShapeError, `${op}: weight [2,1,2,2] with groups 2 does not fit 3 input channels`);
    expect(() => convMatrix([2, 3, 3], f64([3, 1, 2, 2]), { groups: 2 })).to.throw(ShapeError, `${op}: weight [3,1,2,2] with groups 2 does not fit 2 input channels`);
    expect(() => convMatrix([1, 3, 3], f64([0, 1, 2, 2]))).to.throw(ShapeError, /^convMatrix: a convolution needs at least 1 input and 1 output channel, got 1 and 0/);
    // 683² positions × 9 taps = 4,198,401 > 2²² entries (a product, not a quotient, of the factors).
    expect(() => convMatrix([1, 685, 685], f64([1, 1, 3, 3]))).to.throw(ArgumentError, /^convMatrix: C would have up to 4198401 nonzeros/);
    expect(() => convMatrix([2, 685, 685], f64([1, 2, 3, 3]))).to.throw(ArgumentError, /^convMatrix: C would have up to 8396802 nonzeros/);
    const a = convMatrix([1, 2, 3], w());
    expect(() => a.matvec([1, 2])).to.throw(ShapeError, 'CsrMatrix.matvec: vector has 2 elements, expected 6');
    expect(() => a.rmatvec([1, 2])).to.throw(ShapeError, 'CsrMatrix.rmatvec: vector has 2 elements, expected 4');
  });
});

describe('window2d arguments', () => {
  it('defaults the stride to the kernel size', () => {
    const g = window2d('t', 4, 6, { kernelSize: 2 });
    expect([g.strideH, g.strideW, g.outH, g.outW]).to.deep.equal([2, 2, 2, 3]);
  });

  it('checks each pair and names it', () => {
    const need = (name: string, min: number, got: string) => `t: ${name} must be an integer >= ${min} or a pair [h, w] of them, got ${got}`;
    expect(() => window2d('t', 4, 4, { kernelSize: null as never })).to.throw(ArgumentError, 't: kernelSize is required: an integer >= 1 or a pair [h, w] of them, got null');
    expect(() => window2d('t', 4, 4, { kernelSize: [2, 2, 2] as never })).to.throw(ArgumentError, need('kernelSize', 1, '[2,2,2]'));
    expect(() => window2d('t', 4, 4, { kernelSize: Int32Array.from([2, 2]) as never })).to.throw(ArgumentError, /^t: kernelSize must be an integer >= 1 or a pair/);
    expect(() => window2d('t', 4, 4, { kernelSize: 2, padding: -1 })).to.throw(ArgumentError, need('padding', 0, '-1'));
    expect(() => window2d('t', 4, 4, { kernelSize: 2, dilation: 0 })).to.throw(ArgumentError, need('dilation', 1, '0'));
  });

  it("refuses padding 'same' with a stride other than 1 in either dim", () => {
    expect(() => window2d('t', 4, 4, { kernelSize: 3, stride: [1, 2], padding: 'same' })).to.throw(ArgumentError, "t: padding 'same' requires stride 1, got stride [1,2]");
    expect(() => window2d('t', 4, 4, { kernelSize: 3, stride: [2, 1], padding: 'same' })).to.throw(ArgumentError, "t: padding 'same' requires stride 1, got stride [2,1]");
  });

  it('reports a kernel larger than the padded input, per axis', () => {
    expect(() => window2d('t', 2, 9, { kernelSize: 5, stride: 1, padding: 1 })).to.throw(
      ShapeError,
      't: kernel height extent 5 (kernel 5, dilation 1) is larger than the padded input height 4 (input 2 + padding 2)',
    );
    expect(() => window2d('t', 9, 2, { kernelSize: 5, stride: 1, padding: 1 })).to.throw(
      ShapeError,
      't: kernel width extent 5 (kernel 5, dilation 1) is larger than the padded input width 4 (input 2 + padding 2)',
    );
  });
});
