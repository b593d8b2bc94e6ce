// The candidate algorithms of each conv product, the default (gathered) first. runConv times
// the applicable ones per shape; tests check every one against the explicit C.
//   gathered   im2col + GEMM (dx: GEMM + col2im)         any geometry, any dtype
//   pointwise  GEMM per image straight on the planes      1×1, stride 1, no padding
//   direct     wasm direct conv, no im2col                float32, stride 1 (forward)
//   winograd   F(2×2, 3×3), 16 GEMMs on transformed tiles  float32, 3×3, stride 1, no dilation
//   flipped    dx as the forward conv of dy with the flipped filter (any forward strategy)  stride 1
import { gatheredFilterGrad, gatheredForward, gatheredInputGrad } from './gathered.js';
import { directForward } from './direct.js';
import { flippedInputGrad } from './flipped.js';
import { pointwiseFilterGrad, pointwiseForward, pointwiseInputGrad } from './pointwise.js';
import { winogradFilterGrad, winogradForward } from './winograd.js';
import type { ConvProduct, ConvStrategy } from './chooser.js';

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
