// A text display of a run: a status line per step and a summary line per epoch. On a terminal
// ('bar') the status line is redrawn in place; in a log or CI ('lines') a whole line is printed
// every logEverySeconds and at each epoch's last step. Writes to any stream with write(), so it
// runs in browsers too; the node entry's terminalProgress() points it at process.stdout.
import type { ProgressDisplay, TrainingRun } from './callbacks.js';
import { Means } from './means.js';
import type { EpochRecord, StepRecord, ValidationRecord, Values } from './records.js';

/** Where TextProgress writes: a subset of Node's process.stdout. */
export interface TextStream {
  /** True on a terminal: TextProgress's default mode is then 'bar'. */
  isTTY?: boolean;
  /** The terminal's width in characters: a 'bar' status line is cut to columns − 1 (default 120). */
  columns?: number;
  /** Writes a chunk of text (the result is ignored). */
  write(chunk: string): unknown;
}

/** How TextProgress writes. */
export interface TextProgressOptions {
  /** Where the text goes (process.stdout, a buffer in tests, a page's log element...). */
  stream: TextStream;
  /** 'bar': one line redrawn in place (default on a TTY); 'lines': whole lines (default otherwise). */
  mode?: 'bar' | 'lines';
  /** In 'lines' mode, a status line at most this often (default 15; 0: every step; Infinity: only epoch summaries). */
  logEverySeconds?: number;
  /** Seconds, for tests (default performance.now() / 1000). */
  now?: () => number;
}

/**
 * A text display of a run (TrainerOptions.progress): a status line per step (position, samples
 * per second, running means, lr, elapsed time and ETA) and a summary line per epoch.
 */
export class TextProgress implements ProgressDisplay {
  private readonly stream: TextStream;
  private readonly mode: 'bar' | 'lines';
  private readonly logEvery: number;
  private readonly now: () => number;
  private label = '';
  private total = 0;
  private done = 0;
  private doneAtStart = 0;
  private samples = 0;
  private started = 0;
  private lastLog = 0;
  private means = new Means();
  private lineOpen = false;

  constructor(options: TextProgressOptions) {
    this.stream = options.stream;
    this.mode = options.mode ?? (options.stream.isTTY === true ? 'bar' : 'lines');
    this.logEvery = options.logEverySeconds ?? 15;
    this.now = options.now ?? (() => performance.now() / 1000);
  }

  onEpochStart({ run, epoch, batches }: { run: TrainingRun; epoch: number; batches: number }): void {
    this.label = `epoch ${epoch}/${run.epochs}`;
    this.total = run.stepsPerEpoch;
    this.done = this.total - batches;
    this.doneAtStart = this.done;
    this.samples = 0;
    this.means = new Means();
    this.started = this.now();
    this.lastLog = this.started;
  }

  /** Counts the step: redraws the status line ('bar'), or prints it when logEverySeconds have passed since the last one or the epoch's last step is done ('lines'). */
  onStepEnd({ record }: { record: StepRecord }): void {
    this.done++;
    this.samples += record.samples;
    this.means.add(record.values, record.samples);
    const t = this.now();
    const line = this.statusLine(t, record.lr);
    if (this.mode === 'bar') {
      const width = (this.stream.columns ?? 120) - 1;
      this.stream.write(`\r${line.slice(0, width).padEnd(Math.min(width, line.length + 4))}`);
      this.lineOpen = true;
    } else if (t - this.lastLog >= this.logEvery || this.done === this.total) {
      this.stream.write(`${line}\n`);
      this.lastLog = t;
    }
  }

  /** Validations between epoch ends get a line; one at an epoch's end is in its summary. */
  onValidationEnd({ run, record }: { run: TrainingRun; record: ValidationRecord }): void {
    if (record.step % run.stepsPerEpoch !== 0) this.log(`validation at step ${record.step} (epoch ${record.epoch}): ${formatValues(record.values)}`);
  }

  onEpochEnd({ run, record, checkpointSaved }: { run: TrainingRun; record: EpochRecord; checkpointSaved: boolean }): void {
    const parts = [
      `epoch ${record.epoch}/${run.epochs}: train ${formatValues(record.train)}`,
      ...(record.validation === undefined ? [] : [`validation ${formatValues(record.validation)}`]),
      `${record.seconds.toFixed(1)} s, ${record.samplesPerSecond.toFixed(0)} samples/s`,
      `lr ${formatNumber(record.lrAtEpochStart)} → ${formatNumber(record.lrAtEpochEnd)}`,
      ...(checkpointSaved ? ['checkpoint saved'] : []),
    ];
    this.log(parts.join(' | '));
  }

  /** Prints a message on its own line (closing a redrawn status line first). */
  log(message: string): void {
    if (this.lineOpen) this.stream.write('\n');
    this.lineOpen = false;
    this.stream.write(`${message}\n`);
  }

  private statusLine(t: number, lr: number): string {
    const elapsed = Math.max(t - this.started, 1e-9);
    const steps = this.done - this.doneAtStart;
    const eta = steps > 0 ? ((this.total - this.done) * elapsed) / steps : 0;
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    return `${this.label} ${bar(pct)} ${this.done}/${this.total} | ${(this.samples / elapsed).toFixed(0)} samples/s | ` +
      `${formatValues(this.means.values(), ' | ')} | lr ${formatNumber(lr)} | ${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
  }
}

function bar(pct: number): string {
  const filled = Math.round(pct / 5);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(pct).padStart(3)}%`;
}

function formatValues(values: Values, separator = ' '): string {
  return Object.entries(values).map(([k, v]) => `${k} ${formatNumber(v)}`).join(separator);
}

/** A number as progress lines show it: 2 decimals in exponent form below 1e-3 (0 excepted), integers and values ≥ 100 rounded to 2 decimals, else 4 decimals. */
export function formatNumber(v: number): string {
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toFixed(4);
}

/** Seconds (rounded; negative as 0) as '1m05s', or as '1h01m' from an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}
