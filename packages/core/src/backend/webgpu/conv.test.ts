// webgpuConv on Dawn against the CPU's conv kernels on the same float32 inputs, over a grid of
// small geometries: strides 1 and 2, padding 0, 1, asymmetric ('same' with an even kernel) and
// per-axis, dilation 1 and 2, groups 1, 2, depthwise (with and without a channel multiplier),
// bias or none, kernels 1×1, 3×3, 5×5 and non-square, non-square inputs; and filterGrad with its
// K cut into chunks.
import { expect } from 'chai';
import { DTypeError, DeviceError } from '../../errors.js';
import { type PaddingSpec, type Pair, window2d } from '../../ops/window.js';
import { cpuConv } from '../cpu/conv/index.js';
import { type ConvProblem, convOutputShape } from '../conv.js';
import { filterGradSplits, webgpuConv } from './conv.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { randomFloats } from './gemm.test.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

interface Case {
  n: number;
  cin: number;
  cout: number;
  groups: number;
  inH: number;
  inW: number;
  kernelSize: Pair;
  stride: Pair;
  padding: PaddingSpec;
  dilation: Pair;
  bias: boolean;
}

const CASES: Case[] = [
  { n: 2, cin: 3, cout: 4, groups: 1, inH: 7, inW: 9, kernelSize: 3, stride: 1, padding: 0, dilation: 1, bias: true },
  { n: 2, cin: 3, cout: 4, groups: 1, inH: 7, inW: 9, kernelSize: 3, stride: 2, padding: 1, dilation: 1, bias: false },
  { n: 1, cin: 4, cout: 6, groups: 2, inH: 8, inW: 6, kernelSize: 3, stride: 1, padding: 'same', dilation: 2, bias: true },
  { n: 2, cin: 2, cout: 3, groups: 1, inH: 6, inW: 9, kernelSize: [2, 4], stride: 1, padding: 'same', dilation: 1, bias: true },
  { n: 2, cin: 4, cout: 4, groups: 4, inH: 9, inW: 7, kernelSize: 3, stride: 2, padding: 1, dilation: 1, bias: true },
  { n: 1, cin: 3, cout: 6, groups: 3, inH: 8, inW: 10, kernelSize: 5, stride: 1, padding: 2, dilation: 1, bias: false },
  { n: 3, cin: 5, cout: 7, groups: 1, inH: 5, inW: 4, kernelSize: 1, stride: 1, padding: 0, dilation: 1, bias: true },
  { n: 1, cin: 2, cout: 3, groups: 1, inH: 13, inW: 11, kernelSize: 5, stride: 2, padding: [1, 2], dilation: 2, bias: false },
  { n: 2, cin: 1, cout: 6, groups: 1, inH: 12, inW: 12, kernelSize: 5, stride: 1, padding: 0, dilation: 1, bias: true },
  { n: 1, cin: 4, cout: 2, groups: 2, inH: 7, inW: 8, kernelSize: [3, 2], stride: [2, 1], padding: [0, 1], dilation: [1, 2], bias: true },
  { n: 2, cin: 3, cout: 3, groups: 3, inH: 16, inW: 16, kernelSize: 3, stride: 1, padding: 1, dilation: 1, bias: true },
  { n: 1, cin: 40, cout: 36, groups: 1, inH: 6, inW: 5, kernelSize: 3, stride: 1, padding: 1, dilation: 1, bias: true },
];

function problemOf(c: Case): ConvProblem {
  const window = window2d('test', c.inH, c.inW, { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, dilation: c.dilation });
  return { n: c.n, cin: c.cin, cout: c.cout, groups: c.groups, window };
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

describe('webgpu conv (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  /** Each product of `p` on both backends (inputs from `seed`; outputs start as NaN: every element must be written). */
  async function compareAll(p: ConvProblem, bias: boolean, seed: number): Promise<void> {
    const g = p.window;
    const x = randomFloats(p.n * p.cin * g.inH * g.inW, seed);
    const w = randomFloats(size(convOutputShape('filterGrad', p)), seed + 1);
    const dy = randomFloats(size(convOutputShape('forward', p)), seed + 2);
    const bOut = bias ? randomFloats(p.cout, seed + 3) : null;
    const bIn = bias ? randomFloats(p.cin, seed + 4) : null;
    const gpu = new Map<Float32Array, ReturnType<WebGPURuntime['upload']>>();
    const up = (a: Float32Array): ReturnType<WebGPURuntime['upload']> => gpu.get(a) ?? gpu.set(a, rt.upload(a)).get(a)!;
    const products = [
      {
        name: 'forward', length: dy.length,
        cpu: (out: Float32Array) => cpuConv.forward(p, out, x, w, bOut),
        gpu: (out: ReturnType<typeof up>) => webgpuConv.forward(p, out, up(x), up(w), bOut && up(bOut)),
      },
      {
        name: 'inputGrad', length: x.length,
        cpu: (out: Float32Array) => cpuConv.inputGrad(p, out, dy, w, bIn),
        gpu: (out: ReturnType<typeof up>) => webgpuConv.inputGrad(p, out, up(dy), up(w), bIn && up(bIn)),
      },
      {
        name: 'filterGrad', length: w.length,
        cpu: (out: Float32Array) => cpuConv.filterGrad(p, out, x, dy),
        gpu: (out: ReturnType<typeof up>) => webgpuConv.filterGrad(p, out, up(x), up(dy)),
      },
    ];
    for (const product of products) {
      const want = new Float32Array(product.length).fill(NaN);
      product.cpu(want);
      const out = rt.upload(new Float32Array(product.length).fill(NaN));
      product.gpu(out);
      const got = await rt.readAsync(out);
      rt.release(out);
      const geometry = `${product.name} n${p.n} cin${p.cin} cout${p.cout} groups${p.groups} ${JSON.stringify(g)} bias ${bias}`;
      expect(describeMismatch(got, want, GPU_TOLERANCE), geometry).to.equal(null);
    }
    for (const a of gpu.values()) rt.release(a);
  }

  it('forward, inputGrad and filterGrad match the CPU over a grid of geometries', async () => {
    let seed = 100;
    for (const c of CASES) await compareAll(problemOf(c), c.bias, (seed += 10));
  });

  it('filterGrad sums K chunks computed apart (a long K: many images and positions)', async () => {
    const c: Case = { n: 3, cin: 2, cout: 3, groups: 1, inH: 20, inW: 16, kernelSize: 3, stride: 1, padding: 1, dilation: 1, bias: false };
    expect(filterGradSplits(problemOf(c))).to.equal(3);
    await compareAll(problemOf(c), false, 7);
  });

  it('no images: forward and inputGrad write nothing, filterGrad writes zeros', async () => {
    const p = problemOf({ ...CASES[0]!, n: 0 });
    const dw = rt.upload(new Float32Array(size(convOutputShape('filterGrad', p))).fill(NaN));
    const empty = rt.allocate('float32', 0, false);
    webgpuConv.forward(p, empty, empty, dw, null);
    webgpuConv.filterGrad(p, dw, empty, empty);
    expect(await rt.readAsync(dw)).to.deep.equal(new Float32Array(dw.length));
    rt.release(dw);
    rt.release(empty);
  });

  it('refuses CPU and int32 arrays, naming the kernel and the operand', () => {
    const p = problemOf(CASES[0]!);
    const f = rt.upload(new Float32Array(4));
    const i = rt.upload(new Int32Array(4));
    expect(() => webgpuConv.forward(p, f, new Float32Array(4), f, null)).to.throw(DeviceError, /^conv2d forward: .*CPU Float32Array as x/);
    expect(() => webgpuConv.filterGrad(p, i, f, f)).to.throw(DTypeError, /^conv2d filterGrad: dw must be float32 on WebGPU, got int32/);
    rt.release(f);
    rt.release(i);
  });
});
