// @tensorgrad/train for Node: everything of the main entry (index.ts) plus the terminal display
// and checkpoint files written atomically. Node resolves '@tensorgrad/train' here (package.json's
// "node" export condition); '@tensorgrad/train/node' names it explicitly.
import { writeFileAtomic } from '@tensorgrad/nn/node';
import type { CheckpointSink } from './options.js';
import { TextProgress } from './progress.js';

export * from './index.js';

/** Options of terminalProgress(). */
export interface TerminalProgressOptions {
  /** Without a terminal (or under CI), a status line at most this often (default 15; Infinity: epoch summaries only). */
  logEverySeconds?: number;
}

/**
 * A TextProgress on process.stdout: a bar redrawn in place on a terminal; plain lines when the
 * output is a file or a pipe, or when the CI environment variable is set (CI logs keep every
 * byte, so a redrawn line would fill them).
 */
export function terminalProgress(options: TerminalProgressOptions = {}): TextProgress {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  return new TextProgress({
    stream: process.stdout,
    mode: process.stdout.isTTY === true && !ci ? 'bar' : 'lines',
    ...(options.logEverySeconds === undefined ? {} : { logEverySeconds: options.logEverySeconds }),
  });
}

/**
 * A checkpoint sink that writes each checkpoint to `path` atomically (nn's writeFileAtomic: a
 * reader, or a run killed mid-write, sees the previous checkpoint or the new one, never a mix).
 */
export function checkpointFile(path: string): CheckpointSink {
  return (bytes) => writeFileAtomic(path, bytes);
}
