// How the strategies stage a batch: a chunk of images at a time, sized so that the chunk's staged
// operands stay near CHUNK_FLOATS (~4 MB of float32: cache-friendly, and the staging copies stay
// small next to the products).
import type { ConvShape } from './types.js';

const CHUNK_FLOATS = 1 << 20;

/** Images per chunk when each image stages `floatsPerImage` floats: as many as fit, at least one, at most the batch. */
export function imagesPerChunk(s: ConvShape, floatsPerImage: number): number {
  return Math.max(1, Math.min(s.n, Math.floor(CHUNK_FLOATS / floatsPerImage)));
}
