// A custom network defined in code from @tensorgrad/nn building blocks: a stem, a GoogLeNet
// Inception block and a ResNet basic block in sequence, then global average pooling.
import { type Generator, type Tensor, flatten } from '@tensorgrad/core';
import { AdaptiveAvgPool2d, BasicBlock, BatchNorm2d, Conv2d, Inception, Linear, MaxPool2d, Module, ReLU, Sequential } from '@tensorgrad/nn';

export class InceptionResidualNet extends Module {
  readonly stem: Sequential;
  readonly inception: Inception;
  readonly pool = new MaxPool2d(2);
  readonly residual: BasicBlock;
  readonly avgpool = new AdaptiveAvgPool2d(1);
  readonly fc: Linear;

  constructor(numClasses = 10, generator?: Generator) {
    super();
    this.stem = new Sequential(new Conv2d(1, 16, 3, { padding: 1, bias: false, generator }), new BatchNorm2d(16), new ReLU());
    // 16 → 8 (1×1) + 16 (3×3) + 8 (5×5 branch, 3×3 as in torchvision) + 8 (pool projection) = 40 channels
    this.inception = new Inception(16, 8, 8, 16, 4, 8, 8, { generator });
    this.residual = new BasicBlock(40, 40, { generator });
    this.fc = new Linear(40, numClasses, { generator });
  }

  forward(x: Tensor): Tensor {
    const features = this.residual.invoke(this.pool.invoke(this.inception.invoke(this.stem.invoke(x))));
    return this.fc.invoke(flatten(this.avgpool.invoke(features), 1));
  }
}
