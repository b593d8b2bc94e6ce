// Cases fast-check found once, kept as fixed regressions.
import { expect } from 'chai';
import { conv2d, tensor } from '../../index.js';

describe('conv2d regressions', () => {
  it("a tap that reads only padding does not clobber the next image's columns (batch 2, 1×1 input, 1×3 kernel, dilation [1,2], 'same')", () => {
    // Output width 1 = input width, stride 1: the shifted-row gather path. Only the middle tap reads x.
    const x = tensor([[[[1.5]]], [[[-2]]]], { dtype: 'float64' });
    const w = tensor([[[[10, 3, 100]]]], { dtype: 'float64' });
    for (const dtype of ['float64', 'float32'] as const) {
      const y = conv2d(tensor(x, { dtype }), tensor(w, { dtype }), null, { padding: 'same', dilation: [1, 2] });
      expect(y.shape).to.deep.equal([2, 1, 1, 1]);
      expect(Array.from(y.data)).to.deep.equal([4.5, -6]);
    }
  });
});
