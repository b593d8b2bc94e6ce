// Image decoding in Node, with pngjs and jpeg-js (the node entry's decodeImage and decodeImageAsync).
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../errors.js';
import type { RawImage } from '../image.js';
import { fromRgba, imageFormat } from './decode.js';

/**
 * Decodes PNG or JPEG bytes (recognised by their magic numbers, not by the file name) into a
 * HWC uint8 image with 1 (grey) or 3 (RGB) channels. Alpha is dropped.
 */
export function decodeImage(bytes: Uint8Array, channels: 1 | 3 = 3, source = 'image data'): RawImage {
  return decodeWith('decodeImage', bytes, channels, source);
}

/** decodeImage behind the signature of the browsers' decodeImageAsync, so the same code runs on both. */
export async function decodeImageAsync(bytes: Uint8Array, channels: 1 | 3 = 3, source = 'image data'): Promise<RawImage> {
  return decodeWith('decodeImageAsync', bytes, channels, source);
}

function decodeWith(fn: string, bytes: Uint8Array, channels: 1 | 3, source: string): RawImage {
  const format = imageFormat(fn, bytes, channels, source);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (format === 'PNG') rgba = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    // Tolerant decoding would turn a truncated file into a silently wrong image.
    else rgba = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });
  } catch (e) {
    throw new DataError(`${fn}: ${source} is a corrupt or truncated ${format}: ${(e as Error).message}`);
  }
  return fromRgba(rgba, channels);
}
