// Conv2d's paddingMode (nn.Conv2d's padding_mode): the layer pads its input in the mode and
// convolves unpadded, as PyTorch's layer does (core's fixtures check conv2d's paddingMode against
// PyTorch 1.13; this checks the layer passes it on), and rejects an unknown mode when built.
import { ArgumentError, Generator, conv2d, pad, randn, sum } from '@tensorgrad/core';
import { expect } from 'chai';
import { Conv2d } from './conv.js';

describe('Conv2d paddingMode', () => {
  const x = () => randn([2, 3, 5, 6], { dtype: 'float64', generator: new Generator(4) });

  for (const mode of ['reflect', 'replicate', 'circular'] as const) {
    it(`${mode}: the output and gradients of conv2d on the input padded in that mode`, () => {
      const layer = new Conv2d(3, 4, [3, 2], { padding: [2, 1], stride: [1, 2], paddingMode: mode, dtype: 'float64', generator: new Generator(5) });
      expect(layer.paddingMode).to.equal(mode);
      const input = x();
      const y = layer.forward(input);
      const expected = conv2d(pad(input, [1, 1, 2, 2], mode), layer.weight, layer.bias, { stride: [1, 2] });
      expect(y.shape).to.deep.equal(expected.shape);
      expect(Array.from(y.data)).to.deep.equal(Array.from(expected.data));
      sum(y).backward();
      const viaLayer = Array.from(layer.weight.grad!.data);
      layer.weight.grad = null;
      sum(expected).backward();
      expect(viaLayer).to.deep.equal(Array.from(layer.weight.grad!.data));
    });
  }

  it("defaults to 'zeros' (the same as no paddingMode) and keeps PyTorch's state dict keys", () => {
    const layer = new Conv2d(3, 4, 3, { padding: 1, dtype: 'float64', generator: new Generator(6) });
    const zeros = new Conv2d(3, 4, 3, { padding: 1, paddingMode: 'zeros', dtype: 'float64', generator: new Generator(6) });
    expect(layer.paddingMode).to.equal('zeros');
    expect(Array.from(layer.forward(x()).data)).to.deep.equal(Array.from(zeros.forward(x()).data));
    const reflect = new Conv2d(3, 4, 3, { padding: 1, paddingMode: 'reflect', dtype: 'float64', generator: new Generator(6) });
    expect([...reflect.stateDict().keys()]).to.deep.equal(['weight', 'bias']);
    expect(Array.from(reflect.forward(x()).data)).to.not.deep.equal(Array.from(layer.forward(x()).data));
  });

  it('rejects an unknown mode when built, suggesting the one meant, and reflect padding too large for the input', () => {
    expect(() => new Conv2d(3, 4, 3, { paddingMode: 'reflection' as never })).to.throw(
      ArgumentError,
      "Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'reflection' (did you mean 'reflect'?)",
    );
    expect(() => new Conv2d(3, 4, 3, { padding_mode: 'reflect' } as never)).to.throw(ArgumentError, "did you mean 'paddingMode'?");
    const layer = new Conv2d(3, 4, 3, { padding: 5, paddingMode: 'reflect', dtype: 'float64' });
    expect(() => layer.forward(x())).to.throw(ArgumentError, /^conv2d: reflect padding must be less than the size of the dim it pads, got dim 2 of size 5/);
  });
});
