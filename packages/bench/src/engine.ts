// What the benchmark asks of each engine: build a workload (inputs, model, optimizer) once, then
// run it repeatedly; each run forces its results (reads output values) so nothing is left lazy.
// An engine in another process (PyTorch) times its own runs with the same policy instead.
import type { ConvMode, ConvShape, GemmCase, ModelCase } from './cases.js';
import type { Timing, TimingPolicy } from './timing.js';

/** Work run in this process: the bench times `run`. */
export interface Workload {
  run: () => void;
  /** Frees what the workload holds (TensorFlow.js tensors); tensorgrad relies on the GC. */
  dispose?: () => void;
}

/** What a workload timed in its own process reports: the timing and that process's memory. */
export interface ExternalTiming extends Timing {
  memoryMB: Record<string, number>;
}

/**
 * Work run in another process, which times it itself under the same policy (warm-up, repetition,
 * median), so no inter-process latency is counted.
 */
export interface ExternalWorkload {
  time: (policy: TimingPolicy) => Promise<ExternalTiming>;
}

/** A workload, or the reason the engine cannot do it. */
export type Prepared = Workload | ExternalWorkload | { unsupported: string };

export interface Engine {
  id: string;
  /** Human description: version, backend, threads. */
  describe(): string;
  /** Makes this engine the active one (backend switch, thread count). */
  activate(): Promise<void>;
  gemm(g: GemmCase): Prepared;
  conv(shape: ConvShape, mode: ConvMode): Prepared;
  train(model: ModelCase): Prepared;
  /** Lets go of what outlives the cases (a child process). */
  close?(): Promise<void>;
}

/** A cheap checksum that touches the data, so a result is really read. */
export function touch(data: ArrayLike<number>): number {
  return data.length === 0 ? 0 : data[0]! + data[data.length - 1]!;
}
