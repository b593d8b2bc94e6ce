// The candidate algorithms of each conv product, the default (gathered) first. runConv times
// the applicable ones per shape; tests check every one against the reference kernels.
import { gatheredFilterGrad, gatheredForward, gatheredInputGrad } from './gathered.js';
import { directForward } from './direct.js';
import { flippedInputGrad } from './flipped.js';
import type { ConvProduct, ConvStrategy } from './strategy.js';

const always = (): boolean => true;

export const convStrategies: { [P in ConvProduct]: readonly ConvStrategy<P>[] } = {
  forward: [{ name: 'gathered', applies: always, run: gatheredForward }, directForward],
  inputGrad: [{ name: 'gathered', applies: always, run: gatheredInputGrad }, flippedInputGrad],
  filterGrad: [{ name: 'gathered', applies: always, run: gatheredFilterGrad }],
};
