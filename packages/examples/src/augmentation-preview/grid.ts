// Lays out CHW images (values in [0, 1]) as a grid and encodes it as an 8-bit grey or RGB PNG.
import type { Tensor } from '@tensorgrad/core';
import { PNG } from 'pngjs';

/** rows[r][c] is a [C, H, W] tensor (C = 1 or 3); every image the same size. Each pixel becomes scale×scale. */
export function gridPng(rows: readonly (readonly Tensor[])[], scale = 3, gap = 2): Buffer {
  const first = rows[0]?.[0];
  if (first === undefined) throw new RangeError('gridPng: no images');
  const [channels, h, w] = first.shape as [number, number, number];
  const cols = Math.max(...rows.map((r) => r.length));
  const cellW = w * scale + gap;
  const cellH = h * scale + gap;
  const png = new PNG({ width: cols * cellW + gap, height: rows.length * cellH + gap });
  png.data.fill(255);
  rows.forEach((row, r) =>
    row.forEach((img, c) => {
      for (let y = 0; y < h * scale; y++) {
        for (let x = 0; x < w * scale; x++) {
          const src = Math.floor(y / scale) * w + Math.floor(x / scale);
          const o = ((gap + r * cellH + y) * png.width + gap + c * cellW + x) * 4;
          for (let k = 0; k < 3; k++) {
            const v = img.data[(channels === 3 ? k : 0) * h * w + src]!;
            png.data[o + k] = Math.round(255 * Math.min(1, Math.max(0, v)));
          }
          png.data[o + 3] = 255;
        }
      }
    }),
  );
  return PNG.sync.write(png);
}
