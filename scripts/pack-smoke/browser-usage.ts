// Type-checked as a browser bundler resolves the packages (moduleResolution Bundler: no "node"
// condition): the main entries' declarations, which have the byte-level functions and lack the
// Node-only ones.
import { lenet5, checkpointToBytes, loadCheckpointFromBytes } from '@tensorgrad/nn';
// @ts-expect-error: file checkpoints are Node-only (the node entry)
import { saveCheckpoint } from '@tensorgrad/nn';
import { fashionMnistFromUrl, parseIdxAsync, decodeImageAsync } from '@tensorgrad/data';
// @ts-expect-error: reading a directory is Node-only (the node entry)
import { fashionMnist } from '@tensorgrad/data';
import { Trainer, TextProgress, renderCurves } from '@tensorgrad/train';
import { exportOnnx } from '@tensorgrad/onnx';
// @ts-expect-error: checkpoint files and the terminal display are Node-only (the node entry)
import { checkpointFile } from '@tensorgrad/train';

const model = lenet5();
const bytes: Uint8Array = checkpointToBytes({ model });
const train = fashionMnistFromUrl('/data/fashion-mnist/');
void [exportOnnx, loadCheckpointFromBytes(bytes, { model }), train, parseIdxAsync, decodeImageAsync, saveCheckpoint, fashionMnist, Trainer, TextProgress, renderCurves, checkpointFile];
