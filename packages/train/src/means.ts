// Running means of a loss and metrics over batches, weighted by batch size: the sums are what a
// checkpoint stores, so a run resumed mid-epoch ends the epoch with the same means, bit for bit.
import type { Values } from './records.js';

export interface MeansState {
  sums: Record<string, number>;
  samples: number;
}

export class Means {
  sums: Record<string, number> = {};
  samples = 0;

  /** Adds one batch's means, weighted by its `samples`. */
  add(values: Values, samples: number): void {
    for (const [name, v] of Object.entries(values)) this.sums[name] = (this.sums[name] ?? 0) + v * samples;
    this.samples += samples;
  }

  values(): Values {
    const out: Record<string, number> = {};
    for (const [name, sum] of Object.entries(this.sums)) out[name] = sum / this.samples;
    return out as Values;
  }

  state(): MeansState {
    return { sums: { ...this.sums }, samples: this.samples };
  }

  static from(state: MeansState): Means {
    const m = new Means();
    m.sums = { ...state.sums };
    m.samples = state.samples;
    return m;
  }
}
