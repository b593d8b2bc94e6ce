// Imports the models torch.onnx.export wrote (scripts/import-fixtures.py: torchvision resnet18,
// googlenet, alexnet and a small CNN of the remaining operators, at opsets 7 to 21) and checks
// them against PyTorch's outputs. The committed graphs carry no weight data: their initializers
// are refilled here with the fixture formula, the one the script gave PyTorch's model.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Generator, type Tensor, crossEntropy, nllLoss, noGrad, randn, tensor } from '@tensorgrad/core';
import { Adam, SGD } from '@tensorgrad/nn';
import { DataType, decodeModel, type ModelProto } from '../proto.js';
import { exportOnnx } from '../export/export.js';
import { importOnnx } from './import.js';

const DIR = new URL('../../fixtures/import/', import.meta.url);

interface FixtureOutput {
  inputShape: number[];
  files: string[];
  output: number[];
  outputShape: number[];
  runningAfterOneTrainingForward?: Record<string, number[]>;
}
const OUTPUTS = JSON.parse(readFileSync(new URL('outputs.json', DIR), 'utf8')) as Record<string, FixtureOutput>;

function fnv1a(name: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(name)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The fixture formula (scripts/import-fixtures.py's formula_tensor): float32 values of tensor `name`. */
export function formulaTensor(name: string, shape: readonly number[]): Float32Array {
  const size = shape.reduce((n, d) => n * d, 1);
  const h = fnv1a(name);
  const scale = shape.length >= 2 ? Math.sqrt(6 / shape.slice(1).reduce((n, d) => n * d, 1)) : 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let x = (Math.imul(i, 0x9e3779b1) + h) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    const u = x / 4294967296;
    out[i] =
      name === 'input' ? 2 * u - 1
      : name.endsWith('running_var') ? 0.5 + u
      : name.endsWith('running_mean') ? 0.2 * (u - 0.5)
      : shape.length >= 2 ? (2 * u - 1) * scale
      : name.endsWith('weight') ? 0.75 + 0.5 * u
      : 0.2 * (u - 0.5);
  }
  return out;
}

/** A fixture graph with its stripped initializers refilled by the formula. */
export function loadFixture(file: string): ModelProto {
  const model = decodeModel(readFileSync(new URL(file, DIR)));
  for (const init of model.graph!.initializer!) {
    if (init.dataType === DataType.FLOAT && (init.rawData ?? []).length === 0 && (init.floatData ?? []).length === 0) {
      init.rawData = new Uint8Array(formulaTensor(init.name!, init.dims ?? []).buffer);
    }
  }
  return model;
}

/** The fixture input of a model. */
export function fixtureInput(model: string): Tensor {
  const shape = OUTPUTS[model]!.inputShape;
  return tensor(formulaTensor('input', shape), { shape });
}

/** ONNX Runtime's output on x (the graph's input 'input', output 'output'). */
async function runOrt(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const out = (await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data as Float32Array), x.shape) })).output!;
  await session.release();
  return { data: out.data as Float32Array, dims: out.dims };
}

/** max |a − b| / max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe('importOnnx: torch.onnx.export fixtures against PyTorch 1.13', () => {
  for (const [name, fixture] of Object.entries(OUTPUTS)) {
    for (const file of fixture.files) {
      it(`${file}: PyTorch's output`, function () {
        const model = importOnnx(loadFixture(file));
        const y = noGrad(() => model.invoke(fixtureInput(name)));
        expect(y.shape).to.deep.equal(fixture.outputShape);
        // Seen: 1.1e-7 (small), 7.7e-7 (resnet18), 1.1e-6 (googlenet), 1.3e-6 (alexnet).
        expect(relativeError(y.data as Float32Array, fixture.output)).to.be.below(5e-6);
      });
    }
  }

  it("names parameters and buffers as PyTorch's state dict (small CNN)", () => {
    const model = importOnnx(loadFixture('small-opset13.onnx'));
    expect([...model.namedParameters()].map(([n]) => n).sort()).to.deep.equal([
      'bn1.bias', 'bn1.weight', 'bn2.bias', 'bn2.weight', 'branch_a.bias', 'branch_a.weight', 'branch_b.weight', 'conv1.bias',
      'conv1.weight', 'deconv.bias', 'deconv.weight', 'fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight', 'proj',
    ]);
    expect([...model.namedBuffers()].map(([n]) => n).sort()).to.deep.equal(['bn1.running_mean', 'bn1.running_var', 'bn2.running_mean', 'bn2.running_var']);
    expect(model.stateDict().get('layer1.0.conv1.weight')).to.equal(undefined);
  });

  it('resnet18: every torchvision weight is a parameter under its name, running statistics are buffers', () => {
    const model = importOnnx(loadFixture('resnet18-opset17.onnx'));
    expect(model.numParameters()).to.equal(11_181_642); // torchvision's resnet18 with 10 classes
    expect(model.stateDict().get('layer1.0.conv1.weight')!.shape).to.deep.equal([64, 64, 3, 3]);
    expect([...model.namedBuffers()].length).to.equal(40);
    expect([...model.namedBuffers()].every(([n]) => /running_(mean|var)$/.test(n))).to.equal(true);
  });

  it('trains the small CNN with SGD (train mode: batch statistics, dropout): the loss falls', () => {
    const model = importOnnx(loadFixture('small-opset11.onnx')).train();
    const x = fixtureInput('small');
    const labels = tensor([3, 7], { dtype: 'int32' });
    const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      const loss = nllLoss(model.invoke(x), labels); // the graph ends in LogSoftmax
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses.at(-1)!).to.be.below(losses[0]! * 0.5);
  });

  it('fine-tunes resnet18 with Adam on a batch of 4 (the graph was exported with batch 1): the loss falls; exported again, ONNX Runtime agrees', async () => {
    const model = importOnnx(loadFixture('resnet18-opset13.onnx')).train();
    const x = randn([4, 3, 32, 32], { generator: new Generator(1) });
    const labels = tensor([0, 1, 2, 3], { dtype: 'int32' });
    const opt = new Adam(model.parameters(), { lr: 1e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      const loss = crossEntropy(model.invoke(x), labels);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses.at(-1)!).to.be.below(losses[0]! * 0.7);
    const bytes = exportOnnx(model, x, { opset: 17, dynamicBatch: true });
    const ort = await runOrt(bytes, x);
    const ours = noGrad(() => model.eval().invoke(x));
    expect(ort.dims).to.deep.equal(ours.shape);
    expect(relativeError(ort.data, ours.data as Float32Array)).to.be.below(1e-5);
  });

  it('googlenet (opset 11, with its transform_input Gathers): imported, exported at opset 13, ONNX Runtime agrees', async () => {
    const model = importOnnx(loadFixture('googlenet-opset11.onnx'));
    const x = fixtureInput('googlenet');
    const ort = await runOrt(exportOnnx(model, x, { opset: 13 }), x);
    expect(relativeError(ort.data, OUTPUTS.googlenet!.output)).to.be.below(5e-6);
  });

  for (const file of OUTPUTS['small-train']!.files) {
    it(`${file}: a training-mode forward updates the running statistics as PyTorch's`, () => {
      const model = importOnnx(loadFixture(file)).train();
      noGrad(() => model.invoke(fixtureInput('small-train')));
      const buffers = new Map(model.namedBuffers());
      for (const [name, expected] of Object.entries(OUTPUTS['small-train']!.runningAfterOneTrainingForward!)) {
        // ONNX's momentum 0.9 is a float32, so PyTorch's 0.1 comes back as 1 − 0.9f = 0.10000002.
        expect(relativeError(buffers.get(name)!.data as Float32Array, expected), name).to.be.below(1e-6);
      }
    });
  }
});
