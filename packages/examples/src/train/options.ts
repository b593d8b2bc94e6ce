// Command-line options of the Fashion-MNIST training job.
import { ArgumentError } from '@tensorgrad/core';

export const MODELS = ['fmnist-cnn', 'lenet5', 'resnet20'] as const;
export type ModelName = (typeof MODELS)[number];

export interface TrainOptions {
  model: ModelName;
  epochs: number;
  batchSize: number;
  /** Peak learning rate (after warm-up). */
  lr: number;
  optimizer: 'sgd' | 'adam';
  weightDecay: number;
  seed: number;
  /** Directory with the four Fashion-MNIST IDX files (default: the Debian package's). */
  data?: string;
  /** Where checkpoint, metrics and chart are written. */
  out: string;
  resume: boolean;
  /** Use only the first N training / test images (quick runs, CI). */
  limitTrain?: number;
  limitTest?: number;
  /** Stop after this many epochs of this invocation (simulates an interruption). */
  stopAfter?: number;
  /** Use two threads for large GEMMs (Node worker_threads). */
  threads: boolean;
  quiet: boolean;
}

export const DEFAULTS: TrainOptions = {
  model: 'fmnist-cnn',
  epochs: 7,
  batchSize: 128,
  lr: 2e-3,
  optimizer: 'adam',
  weightDecay: 0,
  seed: 1,
  out: 'runs/fashion-mnist',
  resume: false,
  threads: true,
  quiet: false,
};

const USAGE = `usage: pnpm start [-- options]
  --model NAME        ${MODELS.join(' | ')} (default ${DEFAULTS.model})
  --epochs N          (default ${DEFAULTS.epochs})
  --batch-size N      (default ${DEFAULTS.batchSize})
  --lr X              peak learning rate (default ${DEFAULTS.lr})
  --optimizer NAME    adam | sgd (default ${DEFAULTS.optimizer})
  --weight-decay X    (default ${DEFAULTS.weightDecay})
  --seed N            (default ${DEFAULTS.seed})
  --data DIR          directory holding the four Fashion-MNIST IDX files
  --out DIR           checkpoint, metrics.json and curves.svg (default ${DEFAULTS.out})
  --resume            continue from DIR/checkpoint.safetensors
  --limit-train N, --limit-test N   use only the first N images (quick runs)
  --stop-after N      stop after N epochs of this invocation (then --resume continues)
  --single-thread     no worker threads
  --quiet             no progress display`;

export function parseArgs(argv: readonly string[]): TrainOptions | 'help' {
  const o: TrainOptions = { ...DEFAULTS };
  const positiveInt = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${flag} must be a positive integer, got ${String(v)}\n${USAGE}`);
    return n;
  };
  const nonNegative = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new ArgumentError(`${flag} must be a non-negative number, got ${String(v)}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--help': case '-h': return 'help';
      case '--model': {
        const m = value();
        if (!MODELS.includes(m as ModelName)) throw new ArgumentError(`--model must be one of ${MODELS.join(', ')}, got ${String(m)}`);
        o.model = m as ModelName;
        break;
      }
      case '--epochs': o.epochs = positiveInt(flag, value()); break;
      case '--batch-size': o.batchSize = positiveInt(flag, value()); break;
      case '--lr': o.lr = nonNegative(flag, value()); break;
      case '--weight-decay': o.weightDecay = nonNegative(flag, value()); break;
      case '--optimizer': {
        const v = value();
        if (v !== 'sgd' && v !== 'adam') throw new ArgumentError(`--optimizer must be adam or sgd, got ${String(v)}`);
        o.optimizer = v;
        break;
      }
      case '--seed': o.seed = Math.trunc(nonNegative(flag, value())); break;
      case '--data': o.data = value(); break;
      case '--out': o.out = value() ?? o.out; break;
      case '--resume': o.resume = true; break;
      case '--limit-train': o.limitTrain = positiveInt(flag, value()); break;
      case '--limit-test': o.limitTest = positiveInt(flag, value()); break;
      case '--stop-after': o.stopAfter = positiveInt(flag, value()); break;
      case '--single-thread': o.threads = false; break;
      case '--quiet': o.quiet = true; break;
      default: throw new ArgumentError(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return o;
}

export { USAGE };
