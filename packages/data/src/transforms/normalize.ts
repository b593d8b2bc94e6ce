import { ArgumentError, type Tensor, checkNumber } from '@tensorgrad/core';
import { show } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Per-channel statistics: one number per channel, or one (alone or in an array) for all. */
export type ChannelStats = number | readonly number[];

/** (x - mean[c]) / std[c] per channel; one value broadcasts to every channel. */
export function normalize(mean: ChannelStats, std: ChannelStats): Transform {
  return madeBy('normalize', [mean, std], channelAffine('normalize', mean, std, (m, s) => [1 / s, -m / s]));
}

/** The inverse of normalize(mean, std): x * std[c] + mean[c], e.g. to display an input. */
export function denormalize(mean: ChannelStats, std: ChannelStats): Transform {
  return madeBy('denormalize', [mean, std], channelAffine('denormalize', mean, std, (m, s) => [s, m]));
}

function channelAffine(op: string, meanStats: ChannelStats, stdStats: ChannelStats, coefficients: (m: number, s: number) => [number, number]): Transform {
  const mean = statsOf(op, 'mean', meanStats);
  const std = statsOf(op, 'std', stdStats);
  if (mean.length !== std.length) {
    throw new ArgumentError(`${op}: mean and std must have equal lengths, got ${mean.length} and ${std.length}`);
  }
  std.forEach((s, i) => checkNumber(op, `std[${i}]`, s, { min: 0, minExclusive: true }));
  mean.forEach((m, i) => checkNumber(op, `mean[${i}]`, m)); // a NaN mean would make every pixel NaN
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

function statsOf(op: string, name: string, stats: ChannelStats): readonly number[] {
  if (typeof stats === 'number') return [stats];
  if (!Array.isArray(stats) || stats.length === 0) throw new ArgumentError(`${op}: ${name} must be a number or a non-empty array of numbers (one per channel), got ${show(stats)}`);
  return stats;
}
