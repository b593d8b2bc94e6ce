// Imports the models torch.onnx.export wrote (scripts/import-fixtures.py: torchvision resnet18,
// googlenet, alexnet and a small CNN of the remaining operators, at opsets 7 to 21) and checks
// them against PyTorch's outputs. The committed graphs carry no weight data: their initializers
// are refilled here with the fixture formula, the one the script gave PyTorch's model.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { type Tensor, noGrad, tensor } from '@tensorgrad/core';
import { DataType, decodeModel, type ModelProto } from '../proto.js';
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
        const t0 = Date.now();
        const y = noGrad(() => model.invoke(fixtureInput(name)));
        expect(y.shape).to.deep.equal(fixture.outputShape);
        const err = relativeError(y.data as Float32Array, fixture.output);
        console.log(file, err, Date.now() - t0);
        expect(err).to.be.below(1e-5);
      });
    }
  }
});
