// What the benchmark asks of each engine: build a workload (inputs, model, optimizer) once, then
// run it repeatedly; each run forces its results (reads output values) so nothing is left lazy.
import type { ConvMode, ConvShape, ModelCase } from './cases.js';

export interface Workload {
  run: () => void;
  /** Frees what the workload holds (TensorFlow.js tensors); tensorgrad relies on the GC. */
  dispose?: () => void;
}

/** A workload, or the reason the engine cannot do it. */
export type Prepared = Workload | { unsupported: string };

export interface Engine {
  id: string;
  /** Human description: version, backend, threads. */
  describe(): string;
  /** Makes this engine the active one (backend switch, thread count). */
  activate(): Promise<void>;
  conv(shape: ConvShape, mode: ConvMode): Prepared;
  train(model: ModelCase): Prepared;
}

/** A cheap checksum that touches the data, so a result is really read. */
export function touch(data: ArrayLike<number>): number {
  return data.length === 0 ? 0 : data[0]! + data[data.length - 1]!;
}
