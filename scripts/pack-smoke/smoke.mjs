import { tensor, grad, mul, sum, randn, crossEntropy } from '@tensorgrad/core';
import { checkGrads } from '@tensorgrad/core/testing';
import { lenet5, SGD, encodeSafetensors, decodeSafetensors, saveCheckpoint, checkpointToBytes, loadCheckpointFromBytes } from '@tensorgrad/nn';
import { TensorDataset, DataLoader, randomHorizontalFlip, encodeIdx, fashionMnistFromBytes } from '@tensorgrad/data';
import { loadCheckpoint } from '@tensorgrad/nn/node';
import { fit, checkpointFile, readCheckpointMetadata } from '@tensorgrad/train';
import { exportOnnx, decodeModel } from '@tensorgrad/onnx';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const x = tensor([1, 2, 3], { dtype: 'float64' });
const g = grad((t) => sum(mul(t, t)))(x);
const expected = [2, 4, 6];
if (g.toArray().some((v, i) => v !== expected[i])) throw new Error(`wrong gradient ${g.toArray()}`);
checkGrads((t) => mul(t, t), [x]);

const model = lenet5();
const images = randn([4, 1, 28, 28]);
const labels = tensor([0, 1, 2, 3], { dtype: 'int32' });
const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 2, shuffle: true, seed: 1, transform: randomHorizontalFlip() });
const opt = new SGD(model.parameters(), { lr: 0.01 });
let batches = 0;
for (const batch of loader) {
  opt.zeroGrad();
  sum(model.invoke(batch.inputs)).backward();
  opt.step();
  batches++;
}
const roundTrip = decodeSafetensors(encodeSafetensors(model.stateDict()));
if (roundTrip.tensors.size !== model.stateDict().size) throw new Error('safetensors round trip lost tensors');
// Node's import of the main entry has the file functions (the "node" condition), writing the
// bytes of the browser-safe checkpointToBytes; the gzip of encodeIdx is Node's.
const path = join(mkdtempSync(join(tmpdir(), 'smoke-')), 'ckpt.safetensors');
saveCheckpoint(path, { model, optimizer: opt, metadata: { batches } });
if (!readFileSync(path).equals(checkpointToBytes({ model, optimizer: opt, metadata: { batches } }))) throw new Error('saveCheckpoint and checkpointToBytes disagree');
if (loadCheckpoint(path, { model: lenet5() }).batches !== batches || loadCheckpointFromBytes(readFileSync(path), { model: lenet5() }).batches !== batches) throw new Error('checkpoint metadata lost');
const ds = await fashionMnistFromBytes({ images: encodeIdx({ type: 'uint8', shape: [1, 2, 2], data: new Uint8Array(4) }, { gzip: true }), labels: encodeIdx({ type: 'uint8', shape: [1], data: Uint8Array.of(7) }) });
if (ds.get(0).label !== 7) throw new Error('fashionMnistFromBytes');
// fit() from the train package, its checkpoint written atomically through the node entry's file sink.
const fitPath = join(mkdtempSync(join(tmpdir(), 'smoke-')), 'fit.safetensors');
const net = lenet5();
const result = await fit(net, {
  train: new DataLoader(new TensorDataset(images, labels), { batchSize: 2 }), optimizer: new SGD(net.parameters(), { lr: 0.01 }), epochs: 1,
  loss: crossEntropy, checkpoint: checkpointFile(fitPath),
});
if (result.stepsDone !== 2 || readCheckpointMetadata(readFileSync(fitPath)).trainer.epochsDone !== 1) throw new Error('fit / checkpointFile');
// ONNX export (protobuf through onnx-proto as installed from the registry): every state-dict entry is a named initializer.
const onnxGraph = decodeModel(exportOnnx(net, randn([1, 1, 28, 28]), { dynamicBatch: true })).graph;
const initializerNames = new Set(onnxGraph.initializer.map((i) => i.name));
if (![...net.stateDict().keys()].every((k) => initializerNames.has(k)) || !onnxGraph.node.some((n) => n.opType === 'Conv')) throw new Error('exportOnnx');
console.log('smoke: d/dx sum(x^2) =', g.toArray(), `| lenet5 trained ${batches} batches, then fit() ${result.stepsDone} steps | state dict of ${roundTrip.tensors.size} tensors round-tripped | checkpoint file = checkpointToBytes | ONNX export of ${onnxGraph.node.length} nodes`);
