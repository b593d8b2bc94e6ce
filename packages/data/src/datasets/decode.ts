import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { ArgumentError } from '@tensorgrad/core';
import { checkBytes } from '../check.js';
import { DataError } from '../errors.js';
import type { RawImage } from '../image.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8];

/**
 * Decodes PNG or JPEG bytes (recognised by their magic numbers, not by the file name) into a
 * HWC uint8 image with 1 (grey) or 3 (RGB) channels. Alpha is dropped.
 */
export function decodeImage(bytes: Uint8Array, channels: 1 | 3 = 3, source = 'image data'): RawImage {
  checkBytes('decodeImage', 'bytes', bytes);
  if (channels !== 1 && channels !== 3) throw new ArgumentError(`decodeImage: channels must be 1 or 3, got ${String(channels)}`);
  const rgba = decodeRgba(bytes, source);
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

function decodeRgba(bytes: Uint8Array, source: string): { width: number; height: number; data: Uint8Array } {
  const isPng = PNG_MAGIC.every((b, i) => bytes[i] === b);
  const isJpeg = JPEG_MAGIC.every((b, i) => bytes[i] === b);
  if (!isPng && !isJpeg) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataError(`decodeImage: ${source} is neither PNG (89 50 4e 47) nor JPEG (ff d8): it starts with ${head || 'nothing'}`);
  }
  try {
    if (isPng) return pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    // Tolerant decoding would turn a truncated file into a silently wrong image.
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });
  } catch (e) {
    throw new DataError(`decodeImage: ${source} is a corrupt or truncated ${isPng ? 'PNG' : 'JPEG'}: ${(e as Error).message}`);
  }
}
