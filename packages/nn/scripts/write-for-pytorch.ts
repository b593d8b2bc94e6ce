// Manual cross-check, step 1 of 2: writes a resnet18 checkpoint (after one SGD step, so it
// holds optimizer state too) and a file with an input image and our eval-mode output.
// Step 2 (scripts/check-in-pytorch.py) loads both into torchvision and compares.
// Run: npx tsx --conditions=@tensorgrad/source scripts/write-for-pytorch.ts <dir>
import { join } from 'node:path';
import { Generator, crossEntropy, noGrad, randn, tensor } from '@tensorgrad/core';
import { SGD, resnet18, saveCheckpoint, saveSafetensors } from '../src/index.js';

const dir = process.argv[2] ?? '.';
const generator = new Generator(123);
const model = resnet18({ generator });
const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
crossEntropy(model.train().invoke(randn([2, 3, 64, 64], { generator })), tensor([1, 2], { dtype: 'int32' })).backward();
opt.step();
saveCheckpoint(join(dir, 'resnet18.safetensors'), { model, optimizer: opt, metadata: { epoch: 1 } });
const input = randn([1, 3, 224, 224], { generator });
const output = noGrad(() => model.eval().invoke(input));
saveSafetensors(join(dir, 'resnet18-io.safetensors'), { input, output });
console.log(`wrote ${dir}/resnet18.safetensors and ${dir}/resnet18-io.safetensors`);
