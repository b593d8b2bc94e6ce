import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';

/** Gunzips bytes that start with the gzip magic (1f 8b); returns other bytes unchanged. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(`gunzip: ${source} is a corrupt or truncated gzip file: ${(e as Error).message}`);
  }
}
