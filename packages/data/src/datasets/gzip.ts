// Gunzip on any platform, asynchronously: DecompressionStream exists in browsers, workers and
// Node >= 18. (Node's synchronous zlib path is in gzip-node.ts, for the node entry.)
import { checkBytes } from '../check.js';
import { DataError } from '../errors.js';

/** Whether bytes start with the gzip magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips bytes that start with the gzip magic; returns other bytes unchanged (a server may
 * have sent a file already decompressed). `source` names the data in error messages.
 */
export async function gunzip(bytes: Uint8Array, source = 'gzip data'): Promise<Uint8Array> {
  checkBytes('gunzip', 'bytes', bytes);
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new DataError(`gunzip: ${source} is gzipped, but this platform has no DecompressionStream; serve it uncompressed, or in Node import '@tensorgrad/data' (its node entry gunzips with zlib)`);
  }
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Rejections of write/close reappear as the readable side's error, reported below.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  try {
    return new Uint8Array(await new Response(stream.readable).arrayBuffer());
  } catch (e) {
    throw new DataError(`gunzip: ${source} is a corrupt or truncated gzip file: ${(e as Error).message}`);
  }
}
