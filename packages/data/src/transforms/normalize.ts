import { ArgumentError, type Tensor } from '@tensorgrad/core';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';

/** (x - mean[c]) / std[c] per channel; one value broadcasts to every channel. */
export function normalize(mean: readonly number[], std: readonly number[]): Transform {
  return channelAffine('normalize', mean, std, (m, s) => [1 / s, -m / s]);
}

/** The inverse of normalize(mean, std): x * std[c] + mean[c], e.g. to display an input. */
export function denormalize(mean: readonly number[], std: readonly number[]): Transform {
  return channelAffine('denormalize', mean, std, (m, s) => [s, m]);
}

function channelAffine(op: string, mean: readonly number[], std: readonly number[], coefficients: (m: number, s: number) => [number, number]): Transform {
  if (mean.length === 0 || mean.length !== std.length) {
    throw new ArgumentError(`${op}: mean and std must be non-empty and of equal length, got ${mean.length} and ${std.length}`);
  }
  std.forEach((s, i) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new ArgumentError(`${op}: std must be positive and finite, got std[${i}] = ${s}`);
  });
  return (x: Tensor) => {
    const { c, h, w } = chwOf(op, x);
    if (mean.length !== 1 && mean.length !== c) throw new ArgumentError(`${op}: ${mean.length} channel statistics for an image with ${c} channels`);
    const out = new Float32Array(x.size);
    const plane = h * w;
    for (let ch = 0; ch < c; ch++) {
      const k = mean.length === 1 ? 0 : ch;
      const [scale, shift] = coefficients(mean[k]!, std[k]!);
      for (let p = ch * plane; p < (ch + 1) * plane; p++) out[p] = x.data[p]! * scale + shift;
    }
    return chwImage(c, h, w, out);
  };
}
