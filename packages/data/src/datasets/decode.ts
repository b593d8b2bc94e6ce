// Image decoding in browsers and workers, with the platform's decoders (createImageBitmap,
// OffscreenCanvas), and what it shares with the Node decoder (decode-node.ts, pngjs/jpeg-js):
// format detection by magic number and the conversion of RGBA pixels to a RawImage.
import { ArgumentError } from '@tensorgrad/core';
import { checkBytes } from '../check.js';
import { DataError } from '../errors.js';
import type { RawImage } from '../image.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8];

/** The checked arguments of a decoder, and the format its magic number names. */
export function imageFormat(fn: string, bytes: Uint8Array, channels: unknown, source: string): 'PNG' | 'JPEG' {
  checkBytes(fn, 'bytes', bytes);
  if (channels !== 1 && channels !== 3) throw new ArgumentError(`${fn}: channels must be 1 or 3, got ${String(channels)}`);
  if (PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'PNG';
  if (JPEG_MAGIC.every((b, i) => bytes[i] === b)) return 'JPEG';
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DataError(`${fn}: ${source} is neither PNG (89 50 4e 47) nor JPEG (ff d8): it starts with ${head || 'nothing'}`);
}

/** RGBA pixels as a HWC RawImage of 3 (RGB) or 1 (grey) channels; alpha is dropped. */
export function fromRgba(rgba: { width: number; height: number; data: ArrayLike<number> }, channels: 1 | 3): RawImage {
  const n = rgba.width * rgba.height;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const r = rgba.data[4 * p]!, g = rgba.data[4 * p + 1]!, b = rgba.data[4 * p + 2]!;
    if (channels === 3) {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    } else {
      // ITU-R 601 luma, as PIL's convert('L').
      out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return { data: out, height: rgba.height, width: rgba.width, channels };
}

/**
 * Decodes PNG or JPEG bytes (recognised by their magic numbers) into a HWC uint8 image with 1
 * (grey) or 3 (RGB) channels, with the browser's decoders. Opaque PNGs give the same pixels as
 * Node's decoder; JPEG decoders may differ by a unit here and there; pixels that are not
 * opaque lose precision (a canvas stores them premultiplied). In Node, '@tensorgrad/data'
 * resolves to the node entry, whose decodeImageAsync uses pngjs and jpeg-js.
 */
export async function decodeImageAsync(bytes: Uint8Array, channels: 1 | 3 = 3, source = 'image data'): Promise<RawImage> {
  const fn = 'decodeImageAsync';
  const format = imageFormat(fn, bytes, channels, source);
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new DataError(`${fn}: this platform has no createImageBitmap and OffscreenCanvas (in Node, '@tensorgrad/data' resolves to the node entry, which decodes with pngjs and jpeg-js)`);
  }
  let bitmap: ImageBitmap;
  try {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: format === 'PNG' ? 'image/png' : 'image/jpeg' });
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new DataError(`${fn}: ${source} is a corrupt or truncated ${format}: ${(e as Error).message}`);
  }
  const { width, height } = bitmap;
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (context === null) throw new DataError(`${fn}: this platform gave no 2d context for an OffscreenCanvas`);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return fromRgba({ width, height, data: context.getImageData(0, 0, width, height).data }, channels);
}
