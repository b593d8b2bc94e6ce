// @tensorgrad/nn for Node: everything of the main entry (index.ts) plus checkpoints and
// safetensors as files, written atomically. Node resolves '@tensorgrad/nn' here (package.json's
// "node" export condition); '@tensorgrad/nn/node' names it explicitly.
export * from './index.js';
export { saveSafetensors, loadSafetensors, saveCheckpoint, loadCheckpoint } from './checkpoint/files.js';
export { writeFileAtomic } from './checkpoint/atomic-write.js';
