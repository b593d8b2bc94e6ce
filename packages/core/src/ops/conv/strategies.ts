// The candidate algorithms of each conv product, the default (gathered) first. runConv times
// the applicable ones per shape; tests check every one against the reference kernels.
import { gatheredFilterGrad, gatheredForward, gatheredInputGrad } from './gathered.js';
import { directForward } from './direct.js';
import { flippedInputGrad } from './flipped.js';
import { pointwiseFilterGrad, pointwiseForward, pointwiseInputGrad } from './pointwise.js';
import { winogradFilterGrad, winogradForward } from './winograd.js';
import type { ConvProduct, ConvStrategy } from './strategy.js';

const always = (): boolean => true;

type Table = { [P in ConvProduct]: readonly ConvStrategy<P>[] };
let table: Table | null = null;

/**
 * The candidates of `product`, default first. Built on first use: the flipped dx runs a
 * forward conv through runConv, so this module and strategy.ts import each other.
 */
export function convStrategies<P extends ConvProduct>(product: P): readonly ConvStrategy<P>[] {
  table ??= {
    forward: [{ name: 'gathered', applies: always, run: gatheredForward }, pointwiseForward, directForward, winogradForward],
    inputGrad: [{ name: 'gathered', applies: always, run: gatheredInputGrad }, pointwiseInputGrad, flippedInputGrad],
    filterGrad: [{ name: 'gathered', applies: always, run: gatheredFilterGrad }, pointwiseFilterGrad, winogradFilterGrad],
  };
  return table[product] as readonly ConvStrategy<P>[];
}
