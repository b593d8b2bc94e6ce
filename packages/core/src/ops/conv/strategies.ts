// The candidate algorithms of each conv product, the default (gathered) first. runConv times
// the applicable ones per shape; tests check every one against the reference kernels.
import { gatheredFilterGrad, gatheredForward, gatheredInputGrad } from './gathered.js';
import { directForward } from './direct.js';
import { flippedInputGrad } from './flipped.js';
import { pointwiseFilterGrad, pointwiseForward, pointwiseInputGrad } from './pointwise.js';
import type { ConvProduct, ConvStrategy } from './strategy.js';

const always = (): boolean => true;

export const convStrategies: { [P in ConvProduct]: readonly ConvStrategy<P>[] } = {
  forward: [{ name: 'gathered', applies: always, run: gatheredForward }, pointwiseForward, directForward],
  inputGrad: [{ name: 'gathered', applies: always, run: gatheredInputGrad }, pointwiseInputGrad, flippedInputGrad],
  filterGrad: [{ name: 'gathered', applies: always, run: gatheredFilterGrad }, pointwiseFilterGrad],
};
