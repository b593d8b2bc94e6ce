// @tensorgrad/data for Node: everything of the main entry (index.ts) plus datasets read from
// files and directories, Node's synchronous gunzip/gzip in parseIdx and encodeIdx, and image
// decoding with pngjs and jpeg-js. Node resolves '@tensorgrad/data' here (package.json's "node"
// export condition); '@tensorgrad/data/node' names it explicitly. The names below that the main
// entry also exports (parseIdx, encodeIdx, decodeImageAsync) take precedence over its versions.
// It also makes Node's worker_threads the default of DataLoader.prefetch: its workers load this
// file (import.meta.url) and serve from it.
import { setDefaultPrefetchWorker } from './loader/prefetcher.js';
import { nodePrefetchWorkers } from './loader/worker-node.js';

export * from './index.js';
export { parseIdx, readIdx, encodeIdx } from './datasets/idx-node.js';
export { fashionMnist, mnist, FASHION_MNIST_DIR, type MnistOptions } from './datasets/mnist-node.js';
export { cifar10, type Cifar10Options } from './datasets/cifar10-node.js';
export { ImageFolder, type ImageFolderOptions } from './datasets/image-folder-node.js';
export { decodeImage, decodeImageAsync } from './datasets/decode-node.js';

setDefaultPrefetchWorker(nodePrefetchWorkers(import.meta.url));
