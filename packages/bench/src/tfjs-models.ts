// fmnist-cnn, lenet5, resnet20 and resnet18 for TensorFlow.js, written with tf ops on NHWC tensors,
// mirroring @tensorgrad/nn's architectures layer for layer (same trainable parameter counts as its
// parameters(): 104,426, 61,706, 269,722 and, at 1000 classes, 11,689,512). resnet18 is used by
// the GPU bench only.
import * as tf from '@tensorflow/tfjs';

export interface TfModel {
  forward(x: tf.Tensor4D): tf.Tensor2D;
  trainable: tf.Variable[];
  dispose(): void;
}

type Pad = [[number, number], [number, number], [number, number], [number, number]];
const padding = (p: number): Pad | 'valid' => (p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]]);

class Params {
  readonly trainable: tf.Variable[] = [];
  readonly all: tf.Variable[] = [];
  constructor(private readonly seed: number) {}
  private next = 0;
  variable(init: tf.Tensor, trainable = true): tf.Variable {
    const v = tf.variable(init, trainable);
    init.dispose();
    this.all.push(v);
    if (trainable) this.trainable.push(v);
    return v;
  }
  /** He (fan-in) normal for conv/linear weights; the distribution does not matter for timing. */
  weight(shape: number[], fanIn: number): tf.Variable {
    return this.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', this.seed + this.next++));
  }
  zeros(shape: number[], trainable = true): tf.Variable { return this.variable(tf.zeros(shape), trainable); }
  ones(shape: number[], trainable = true): tf.Variable { return this.variable(tf.ones(shape), trainable); }
}

const conv = (x: tf.Tensor4D, w: tf.Variable, stride: number, pad: number): tf.Tensor4D =>
  tf.conv2d(x, w as tf.Tensor4D, stride, padding(pad));

/** conv1 6@5×5 pad 2 → relu → maxpool 2 → conv2 16@5×5 → relu → maxpool 2 → fc 120 → fc 84 → fc 10. */
export function tfLenet5(classes: number, seed = 1): TfModel {
  const p = new Params(seed);
  const c1 = p.weight([5, 5, 1, 6], 25), b1 = p.zeros([6]);
  const c2 = p.weight([5, 5, 6, 16], 150), b2 = p.zeros([16]);
  const f1 = p.weight([400, 120], 400), fb1 = p.zeros([120]);
  const f2 = p.weight([120, 84], 120), fb2 = p.zeros([84]);
  const f3 = p.weight([84, classes], 84), fb3 = p.zeros([classes]);
  return {
    trainable: p.trainable,
    dispose: () => p.all.forEach((v) => v.dispose()),
    forward(x) {
      const block = (h: tf.Tensor4D, w: tf.Variable, b: tf.Variable, pad: number): tf.Tensor4D =>
        tf.maxPool(tf.relu(tf.add(conv(h, w, 1, pad), b)) as tf.Tensor4D, 2, 2, 'valid');
      const h = block(block(x, c1, b1, 2), c2, b2, 0);
      const dense = (z: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D => tf.add(tf.matMul(z, w as tf.Tensor2D), b);
      let z = tf.reshape(h, [x.shape[0], 400]) as tf.Tensor2D;
      z = tf.relu(dense(z, f1, fb1));
      z = tf.relu(dense(z, f2, fb2));
      return dense(z, f3, fb3);
    },
  };
}

interface BatchNorm { gamma: tf.Variable; beta: tf.Variable; mean: tf.Variable; variance: tf.Variable }

const newBatchNorm = (p: Params, c: number): BatchNorm => ({ gamma: p.ones([c]), beta: p.zeros([c]), mean: p.zeros([c], false), variance: p.ones([c], false) });

/** Training-mode batch norm over N, H, W (batch statistics; running averages updated with momentum 0.1, eps 1e-5). */
function batchNorm(x: tf.Tensor4D, b: BatchNorm): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const count = x.size / x.shape[3];
  // running statistics (off the loss's path, so never differentiated, like PyTorch's buffers)
  b.mean.assign(tf.tidy(() => tf.add(tf.mul(b.mean, 0.9), tf.mul(mean, 0.1))));
  b.variance.assign(tf.tidy(() => tf.add(tf.mul(b.variance, 0.9), tf.mul(variance, 0.1 * count / (count - 1)))));
  return tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, b.beta as tf.Tensor1D, b.gamma as tf.Tensor1D, 1e-5);
}

/**
 * The training job's default model: three stages of 3×3 conv (no bias) + training-mode batch
 * norm + 2×2 max pooling + ReLU (32, 64, 128 channels; 28 → 14 → 7 → 3), flatten, dropout 0.2,
 * linear 1152 → classes.
 */
export function tfFmnistCnn(classes: number, seed = 1): TfModel {
  const p = new Params(seed);
  const stages = ([[1, 32], [32, 64], [64, 128]] as const).map(([cin, cout]) => ({ w: p.weight([3, 3, cin, cout], 9 * cin), bn: newBatchNorm(p, cout) }));
  const fc = p.weight([128 * 9, classes], 128 * 9), fcb = p.zeros([classes]);
  return {
    trainable: p.trainable,
    dispose: () => p.all.forEach((v) => v.dispose()),
    forward(x) {
      let h = x;
      for (const s of stages) h = tf.relu(tf.maxPool(batchNorm(conv(h, s.w, 1, 1), s.bn), 2, 2, 'valid')) as tf.Tensor4D;
      const z = tf.dropout(tf.reshape(h, [x.shape[0], 128 * 9]), 0.2) as tf.Tensor2D;
      return tf.add(tf.matMul(z, fc as tf.Tensor2D), fcb);
    },
  };
}

/**
 * CIFAR resnet20 (He et al. 2015): 3×3 conv 16 + BN + relu, three stages of 3 BasicBlocks
 * (16, 32, 64 filters; stride 2 entering stages 2 and 3), option A shortcuts (subsample by 2,
 * zero-pad the new channels), global average pooling, linear 64 → classes. Training-mode batch
 * norm (batch statistics, running averages updated with momentum 0.1, eps 1e-5).
 */
export function tfResnet20(classes: number, seed = 1): TfModel {
  const p = new Params(seed);
  const bn = (c: number): BatchNorm => newBatchNorm(p, c);
  const stem = p.weight([3, 3, 3, 16], 27);
  const stemBn = bn(16);
  const blocks: { w1: tf.Variable; bn1: BatchNorm; w2: tf.Variable; bn2: BatchNorm; stride: number; outC: number }[] = [];
  let inC = 16;
  for (const [planes, stride] of [[16, 1], [32, 2], [64, 2]] as const) {
    for (let i = 0; i < 3; i++) {
      const s = i === 0 ? stride : 1;
      blocks.push({ w1: p.weight([3, 3, inC, planes], 9 * inC), bn1: bn(planes), w2: p.weight([3, 3, planes, planes], 9 * planes), bn2: bn(planes), stride: s, outC: planes });
      inC = planes;
    }
  }
  const fc = p.weight([64, classes], 64), fcb = p.zeros([classes]);
  const shortcut = (x: tf.Tensor4D, stride: number, outC: number): tf.Tensor4D => {
    // x[:, ::s, ::s, :] as a 1×1 average pool with stride s, as tensorgrad does (tfjs has no StridedSlice gradient)
    const sub = stride === 1 ? x : tf.avgPool(x, 1, stride, 'valid');
    const c = x.shape[3];
    return outC === c ? sub : tf.pad(sub, [[0, 0], [0, 0], [0, 0], [0, outC - c]]);
  };
  return {
    trainable: p.trainable,
    dispose: () => p.all.forEach((v) => v.dispose()),
    forward(x) {
      let h: tf.Tensor4D = tf.relu(batchNorm(conv(x, stem, 1, 1), stemBn));
      for (const b of blocks) {
        const out = batchNorm(conv(tf.relu(batchNorm(conv(h, b.w1, b.stride, 1), b.bn1)), b.w2, 1, 1), b.bn2);
        h = tf.relu(tf.add(out, shortcut(h, b.stride, b.outC)) as tf.Tensor4D);
      }
      return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, fc as tf.Tensor2D), fcb);
    },
  };
}

/**
 * ImageNet resnet18 (torchvision's layout): 7×7/2 conv 64 + BN + relu, 3×3/2 max pool (padding 1),
 * four stages of 2 BasicBlocks (64, 128, 256, 512 filters; stride 2 entering stages 2–4, whose
 * shortcut is a 1×1 strided conv + BN), global average pooling, linear 512 → classes.
 * Training-mode batch norm as above.
 */
export function tfResnet18(classes: number, seed = 1): TfModel {
  const p = new Params(seed);
  const bn = (c: number): BatchNorm => newBatchNorm(p, c);
  const stem = p.weight([7, 7, 3, 64], 49 * 3);
  const stemBn = bn(64);
  const blocks: { w1: tf.Variable; bn1: BatchNorm; w2: tf.Variable; bn2: BatchNorm; stride: number; down: { w: tf.Variable; bn: BatchNorm } | null }[] = [];
  let inC = 64;
  for (const [planes, stride] of [[64, 1], [128, 2], [256, 2], [512, 2]] as const) {
    for (let i = 0; i < 2; i++) {
      const s = i === 0 ? stride : 1;
      const down = s !== 1 || inC !== planes ? { w: p.weight([1, 1, inC, planes], inC), bn: bn(planes) } : null;
      blocks.push({ w1: p.weight([3, 3, inC, planes], 9 * inC), bn1: bn(planes), w2: p.weight([3, 3, planes, planes], 9 * planes), bn2: bn(planes), stride: s, down });
      inC = planes;
    }
  }
  const fc = p.weight([512, classes], 512), fcb = p.zeros([classes]);
  return {
    trainable: p.trainable,
    dispose: () => p.all.forEach((v) => v.dispose()),
    forward(x) {
      let h: tf.Tensor4D = tf.maxPool(tf.relu(batchNorm(conv(x, stem, 2, 3), stemBn)), 3, 2, 1);
      for (const b of blocks) {
        const out = batchNorm(conv(tf.relu(batchNorm(conv(h, b.w1, b.stride, 1), b.bn1)), b.w2, 1, 1), b.bn2);
        const short = b.down === null ? h : batchNorm(conv(h, b.down.w, b.stride, 0), b.down.bn);
        h = tf.relu(tf.add(out, short) as tf.Tensor4D);
      }
      return tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, fc as tf.Tensor2D), fcb);
    },
  };
}
