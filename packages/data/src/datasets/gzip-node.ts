import { gunzipSync } from 'node:zlib';
import { DataError } from '../errors.js';
import { isGzip } from './gzip.js';

/** Gunzips bytes that start with the gzip magic (1f 8b), synchronously; returns other bytes unchanged. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DataError(`gunzip: ${source} is a corrupt or truncated gzip file: ${(e as Error).message}`);
  }
}
