import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointError } from '../errors.js';

/**
 * Writes bytes to path so that a reader sees either the old file or the complete new one, even
 * after a crash: write a temporary file in the same directory, fsync it, rename it over path,
 * then fsync the directory so the rename itself is durable. Temporary files left by writers of
 * the same path that died (killed mid-write) are removed first.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  writeAtomically('writeFileAtomic', path, bytes);
}

/** writeFileAtomic, with errors naming `fn` (the public function the user called). */
export function writeAtomically(fn: string, path: string, bytes: Uint8Array): void {
  if (typeof path !== 'string' || path === '') throw new CheckpointError(`${fn}: path must be a non-empty string, got ${JSON.stringify(path)}`);
  const dir = dirname(path);
  if (!existsSync(dir)) throw new CheckpointError(`${fn}: cannot write ${path}: the directory ${resolve(dir)} does not exist (create it first)`);
  if (!statSync(dir).isDirectory()) throw new CheckpointError(`${fn}: cannot write ${path}: ${resolve(dir)} is not a directory`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new CheckpointError(`${fn}: cannot write ${path}: it is a directory`);
  removeStaleTemporaries(path);
  const tmp = temporaryPath(path);
  const fd = openSync(tmp, 'wx');
  try {
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file may already be gone (renamed); the original error is what matters.
    }
    throw e;
  }
  syncDirectory(dir);
}

// Temporary names carry the writer's pid and host, `.<name>.<pid>@<host>.<random>.tmp`, so a
// later save can tell a dead writer's leftovers from a live writer's file in progress. The host
// tag keeps a save from judging the pids of another machine sharing the directory (NFS).
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** Where a writer with this pid writes its temporary copy of path. */
export function temporaryPath(path: string, pid = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}@${HOST}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Removes temporary files of path whose writer is dead: same host, a pid other than ours (a
 * worker thread of this process could be writing) and no such process (kill(pid, 0) fails with
 * ESRCH). Names without a host tag come from older versions, which wrote them on this host.
 */
function removeStaleTemporaries(path: string): void {
  const prefix = `.${basename(path)}.`;
  const pattern = /^(\d+)(?:@([0-9a-f]{8}))?\.[0-9a-f]{12}\.tmp$/;
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    const match = pattern.exec(name.slice(prefix.length));
    if (match === null || (match[2] !== undefined && match[2] !== HOST)) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      // Best effort: another saver may have removed it first, or it is not ours to remove
      // (permissions); a leftover file never affects the checkpoint itself.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
