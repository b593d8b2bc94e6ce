import { tensor, grad, mul, sum, randn } from '@tensorgrad/core';
import { checkGrads } from '@tensorgrad/core/testing';
import { lenet5, SGD, encodeSafetensors, decodeSafetensors } from '@tensorgrad/nn';
import { TensorDataset, DataLoader, randomHorizontalFlip } from '@tensorgrad/data';

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
  sum(model.call(batch.inputs)).backward();
  opt.step();
  batches++;
}
const roundTrip = decodeSafetensors(encodeSafetensors(model.stateDict()));
if (roundTrip.tensors.size !== model.stateDict().size) throw new Error('safetensors round trip lost tensors');
console.log('smoke: d/dx sum(x^2) =', g.toArray(), `| lenet5 trained ${batches} batches | state dict of ${roundTrip.tensors.size} tensors round-tripped`);
