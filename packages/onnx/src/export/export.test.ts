import { expect } from 'chai';
import { type Tensor, add, avgPool2d, batchNorm, concat, manualSeed, mul, pad, permute, rand, randn, reshape, sigmoid } from '@tensorgrad/core';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, ELU, GELU, Hardswish, Hardtanh, LayerNorm, LeakyReLU, Linear, LocalResponseNorm,
  LogSoftmax, MaxPool2d, Mish, Module, Softplus, ReLU6, Sequential, SiLU, Softmax, Tanh, alexnet, fmnistCnn, googlenet, lenet5, resnet18, zfnet,
} from '@tensorgrad/nn';
import { OnnxExportError, decodeModel, exportOnnx } from '../index.js';
import { evalOutput, relativeError, runOrt } from '../test-support/ort.js';

/** Random running statistics and BatchNorm affine values, so eval BatchNorm is not the identity. */
function randomizeNorms(model: Module): void {
  for (const [name, t] of model.stateDict()) {
    if (name.endsWith('running_var')) t.data.set(rand([t.size]).data.map((v) => 0.5 + v));
    else if (name.endsWith('running_mean')) t.data.set(randn([t.size]).data);
  }
  for (const m of model.modules()) {
    if (m instanceof BatchNorm2d && m.weight !== null) {
      m.weight.data.set(rand([m.weight.size]).data.map((v) => 0.5 + v));
      m.bias!.data.set(randn([m.bias!.size]).data);
    }
  }
}

/** Exports with a dynamic batch and checks ONNX Runtime against tensorgrad on each batch size. */
async function checkModel(model: Module<[Tensor], Tensor>, shape: number[], batches: number[], opset = 17): Promise<Uint8Array> {
  const bytes = exportOnnx(model, randn([batches[0]!, ...shape]), { opset, dynamicBatch: true });
  for (const n of batches) {
    const x = randn([n, ...shape]);
    const want = evalOutput(model, x);
    const got = await runOrt(bytes, x);
    expect(got.dims).to.deep.equal(want.shape);
    expect(relativeError(got.data, want.data)).to.be.below(1e-5, `batch ${n}`);
  }
  return bytes;
}

const opTypes = (bytes: Uint8Array): string[] => decodeModel(bytes).graph!.node!.map((n) => n.opType!);

describe('exportOnnx: models in ONNX Runtime give tensorgrad outputs (1e-5 relative), dynamic batch', function () {
  this.timeout(120000);
  before(() => manualSeed(17));

  it('fmnistCnn (the default model): BatchNormalization with state-dict names, dropout left out', async () => {
    const model = fmnistCnn();
    randomizeNorms(model);
    const bytes = await checkModel(model, [1, 28, 28], [2, 5]);
    const graph = decodeModel(bytes).graph!;
    const stateNames = [...model.stateDict().keys()].filter((k) => !k.endsWith('num_batches_tracked'));
    expect(graph.initializer!.map((i) => i.name).filter((n) => !n!.startsWith('shape'))).to.have.members(stateNames);
    expect(opTypes(bytes)).to.include.members(['Conv', 'BatchNormalization', 'MaxPool', 'Relu', 'Gemm']);
    expect(opTypes(bytes)).to.not.include('Dropout');
    expect(graph.input![0]!.type!.tensorType!.shape!.dim![0]).to.deep.equal({ dimParam: 'batch' });
    expect(model.training).to.equal(true); // the export's eval mode was undone
  });

  it('lenet5', async () => {
    await checkModel(lenet5(), [1, 28, 28], [1, 3]);
  });

  it('resnet18 at 32×32 (residual Add, GlobalAveragePool)', async () => {
    const model = resnet18({ numClasses: 10 });
    randomizeNorms(model);
    const bytes = await checkModel(model, [3, 32, 32], [2, 3]);
    expect(opTypes(bytes)).to.include.members(['Add', 'GlobalAveragePool']);
    expect(decodeModel(bytes).graph!.initializer!.map((i) => i.name)).to.include('layer4.1.bn2.running_var');
  });

  it('googlenet at 64×64 (Concat, ceil-mode MaxPool)', async () => {
    const model = googlenet({ numClasses: 10, auxLogits: false });
    randomizeNorms(model);
    const bytes = await checkModel(model, [3, 64, 64], [1, 2]);
    expect(opTypes(bytes)).to.include('Concat');
  });

  it('alexnet at 64×64 (adaptive 1×1 → 6×6 average pooling as MatMuls)', async () => {
    await checkModel(alexnet({ numClasses: 10 }), [3, 64, 64], [1, 2]);
  });

  it('zfnet at 64×64 and alexnet paper variant (LRN)', async () => {
    await checkModel(zfnet({ numClasses: 10 }), [3, 64, 64], [1, 2]);
    const bytes = await checkModel(alexnet({ numClasses: 10, variant: 'paper' }), [3, 64, 64], [1]);
    expect(opTypes(bytes)).to.include('LRN');
  });
});

class Branches extends Module<[Tensor], Tensor> {
  readonly grouped = new Conv2d(4, 8, 3, { groups: 2, dilation: 2, padding: 2 });
  readonly same = new Conv2d(8, 8, 4, { padding: 'same' }); // asymmetric: 1 before, 2 after
  readonly reflect = new Conv2d(8, 4, 3, { padding: 1, paddingMode: 'reflect' });
  readonly circular = new Conv2d(8, 4, 3, { padding: 1, paddingMode: 'circular', bias: false });
  readonly replicate = new Conv2d(8, 4, 3, { padding: 1, paddingMode: 'replicate' });
  readonly ceilPool = new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true });
  readonly avgIncl = new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: true });
  readonly avgExcl = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
  readonly adaptive = new AdaptiveAvgPool2d([3, 2]);
  readonly acts = new Sequential(new LeakyReLU(0.1), new ELU(0.7), new GELU(), new GELU({ approximate: 'tanh' }), new SiLU(), new Hardswish(), new Tanh(), new Hardtanh(-0.5, 0.8), new ReLU6(), new Mish(), new Softplus());
  readonly lrn = new LocalResponseNorm(3, { alpha: 0.01, beta: 0.6, k: 1.5 });
  readonly fc = new Linear(72, 6);
  readonly softmax = new Softmax(1);
  readonly logSoftmax = new LogSoftmax(1);

  forward(x: Tensor): Tensor {
    const a = this.same.invoke(this.grouped.invoke(x)); // [N, 8, 9, 9]
    const b = add(add(this.reflect.invoke(a), this.circular.invoke(a)), this.replicate.invoke(a));
    const c = concat([this.ceilPool.invoke(b), this.avgIncl.invoke(b), this.avgExcl.invoke(b)], 1); // [N, 12, 5, 5]
    const d = this.lrn.invoke(this.acts.invoke(mul(c, sigmoid(c))));
    const e = this.adaptive.invoke(avgPool2d(pad(d, [1, 0, 0, 1], 'constant', 0.25), { kernelSize: 2, divisorOverride: 3 })); // [N, 12, 3, 2]
    const f = permute(e, [0, 2, 3, 1]); // [N, 3, 2, 12]
    const y = this.fc.invoke(reshape(f, [f.shape[0]!, 72]));
    return add(this.softmax.invoke(y), this.logSoftmax.invoke(y));
  }
}

describe('exportOnnx: operators', function () {
  this.timeout(60000);
  before(() => manualSeed(5));

  for (const opset of [13, 17, 20, 21]) {
    it(`conv (groups, dilation, asymmetric 'same', reflect/circular/replicate), pooling (ceil, count_include_pad, divisor override, adaptive), activations, LRN, concat, pad, permute, softmax: opset ${opset}`, async () => {
      const model = new Branches();
      const bytes = await checkModel(model, [4, 13, 13], [2, 3], opset);
      const ops = opTypes(bytes);
      expect(ops).to.include.members(['Conv', 'Gather', 'MaxPool', 'AveragePool', 'LRN', 'Concat', 'Pad', 'Transpose', 'Softmax', 'LogSoftmax', 'LeakyRelu', 'Elu', 'Clip']);
      expect(ops.includes('Gelu')).to.equal(opset >= 20);
      const conv = decodeModel(bytes).graph!.node!.filter((n) => n.opType === 'Conv');
      const pads = conv.map((n) => n.attribute!.find((a) => a.name === 'pads')!.ints);
      expect(pads).to.deep.include([1, 1, 2, 2]); // 'same' with a 4×4 kernel
      expect(conv[0]!.attribute!.find((a) => a.name === 'group')!.i).to.equal(2);
    });
  }

  it('the functional batchNorm in eval mode (no affine) is one BatchNormalization, and ONNX Runtime agrees', async () => {
    class FunctionalNorm extends Module<[Tensor], Tensor> {
      readonly mean = this.buffer(randn([3]));
      readonly variance = this.buffer(add(rand([3]), 0.5));
      forward(x: Tensor): Tensor {
        return batchNorm(x, this.mean, this.variance, null, null, { eps: 1e-3 });
      }
    }
    const bytes = await checkModel(new FunctionalNorm(), [3, 5, 4], [2]);
    expect(opTypes(bytes)).to.deep.equal(['BatchNormalization']);
  });

  it('names the op and the module for an op with no ONNX equivalent', () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new LayerNorm([2, 2, 2]));
    const x = randn([1, 1, 4, 4]);
    expect(() => exportOnnx(model, x)).to.throw(OnnxExportError, /op 'normalize' \(applied by module '1'\)/);
    expect(model.training).to.equal(true);
  });

  it('checks its options', () => {
    const model = lenet5();
    const x = randn([1, 1, 28, 28]);
    expect(() => exportOnnx(model, x, { opset: 12 })).to.throw(/opset must be an integer from 13 to 21, got 12/);
    expect(() => exportOnnx(model, x, { dynamic_batch: true } as never)).to.throw(/dynamic_batch/);
    expect(() => exportOnnx(model, x, { inputNames: ['a', 'b'] })).to.throw(/inputNames/);
  });

  it('uses the given input and output names', async () => {
    const model = lenet5();
    const x = randn([1, 1, 28, 28]);
    const bytes = exportOnnx(model, x, { inputNames: ['image'], outputNames: ['logits'], opset: 15 });
    const got = await runOrt(bytes, x, 'image', 'logits');
    expect(relativeError(got.data, evalOutput(model, x).data)).to.be.below(1e-5);
    expect(decodeModel(bytes).opsetImport).to.deep.equal([{ domain: '', version: 15 }]);
  });
});
