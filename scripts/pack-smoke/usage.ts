import { type Tensor, tensor, valueAndGrad, matmul, sum, relu, flatten, defineOp, mul } from '@tensorgrad/core';
import { checkGrads, arb } from '@tensorgrad/core/testing';
import { Module, Conv2d, Linear, Adam, saveCheckpoint, checkpointToBytes, loadCheckpointFromBytes } from '@tensorgrad/nn';
import { DataLoader, type Batch, fashionMnist, fashionMnistFromUrl, readIdx } from '@tensorgrad/data';
import { loadCheckpoint } from '@tensorgrad/nn/node';
import { ImageFolder } from '@tensorgrad/data/node';
import { type EpochRecord, Trainer, fit, checkpointFile, terminalProgress } from '@tensorgrad/train';
import { type ExportOnnxOptions, exportOnnx } from '@tensorgrad/onnx';

const w: Tensor = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
const [value, g] = valueAndGrad((a: Tensor) => sum(matmul(a, a)))(w);
const n: number = value.item() + g.shape[0]!;
checkGrads((a) => matmul(a, a), [w], { order: 2 });
void arb.shape({ rank: 2 });
// An op's cases are typed with fast-check once '@tensorgrad/core/testing' is imported.
const double = defineOp({
  name: 'usage.double',
  inputs: ['x'],
  forward: ({ x }) => mul(x, tensor(2, { dtype: x.dtype })),
  vjp: ({ dy }) => ({ x: () => mul(dy, tensor(2, { dtype: dy.dtype })) }),
  cases: ({ fc, arb: a }) => fc.tuple(a.tensor({ rank: 1 })).map(([x]) => ({ inputs: { x }, attrs: {} })),
});
const misnamed = defineOp({
  name: 'usage.misnamed',
  inputs: ['x'],
  forward: ({ x }) => x,
  vjp: ({ dy }) => ({ x: () => dy }),
  // @ts-expect-error: cases are typed (a fast-check Arbitrary of the op's inputs), so a wrong input name is caught
  cases: ({ fc }) => fc.constant({ inputs: { y: tensor(1) }, attrs: {} }),
});

class Tiny extends Module {
  readonly conv = new Conv2d(1, 4, 3, { padding: 1 });
  readonly fc = new Linear(4 * 8 * 8, 10);
  forward(x: Tensor): Tensor {
    return this.fc.invoke(flatten(relu(this.conv.invoke(x)), 1));
  }
}
const opt = new Adam(new Tiny().parameters(), { lr: 1e-3 });
const useLoader = (l: DataLoader, b: Batch): number => l.batchSize + b.labels.size;
const bytes: Uint8Array = checkpointToBytes({ model: new Tiny(), optimizer: opt });
// fit's options are typed: a callback gets typed records; a misspelt option is a compile error.
const fitting = (loader: DataLoader) => fit(new Tiny(), {
  train: loader, optimizer: opt, epochs: 2, loss: (y) => sum(y), checkpoint: checkpointFile('run.safetensors'), progress: terminalProgress(),
  callbacks: [{ onEpochEnd: ({ record }: { record: EpochRecord }) => void record.lrAtEpochStart }],
});
// @ts-expect-error: 'epoch' is not an option (epochs is)
const misspelt = (loader: DataLoader) => new Trainer(new Tiny(), { train: loader, optimizer: opt, epoch: 2, loss: (y: Tensor) => y });
const onnxOptions: ExportOnnxOptions = { opset: 17, inputNames: ['image'], dynamicBatch: true };
const onnxBytes: Uint8Array = exportOnnx(new Tiny(), tensor([[[[0]]]]), onnxOptions);
// @ts-expect-error: 'dynamic_batch' is not an option (dynamicBatch is)
const onnxMisspelt = () => exportOnnx(new Tiny(), tensor([[[[0]]]]), { dynamic_batch: true });
void [n, opt, useLoader, onnxBytes, onnxMisspelt, fashionMnist, double, misnamed, saveCheckpoint, loadCheckpointFromBytes, fashionMnistFromUrl, readIdx, loadCheckpoint, ImageFolder, bytes, fitting, misspelt];
