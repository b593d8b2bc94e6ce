// Live progress for a training loop. On a terminal one status line is redrawn in place; when
// output is a file or a CI log, a plain line is printed every `logEverySeconds` instead.

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  logEverySeconds?: number;
  now?: () => number;
}

export class Progress {
  private readonly stream: ProgressStream;
  private readonly logEvery: number;
  private readonly now: () => number;
  private started = 0;
  private lastLog = 0;
  private done = 0;
  private total = 0;
  private label = '';
  private images = 0;
  private lineOpen = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.logEvery = options.logEverySeconds ?? 15;
    this.now = options.now ?? (() => performance.now() / 1000);
  }

  /** Starts a phase of `total` steps (e.g. the batches of one epoch). */
  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done = 0;
    this.images = 0;
    this.started = this.now();
    this.lastLog = this.started;
  }

  /** Records one finished step of `images` samples with the given metrics. */
  tick(images: number, metrics: Record<string, number>): void {
    this.done++;
    this.images += images;
    const t = this.now();
    const line = this.format(t, metrics);
    if (this.stream.isTTY) {
      const width = (this.stream.columns ?? 120) - 1;
      this.stream.write(`\r${line.slice(0, width).padEnd(Math.min(width, line.length + 4))}`);
      this.lineOpen = true;
    } else if (t - this.lastLog >= this.logEvery || this.done === this.total) {
      this.stream.write(`${line}\n`);
      this.lastLog = t;
    }
  }

  /** Prints a message on its own line (closing a redrawn status line first). */
  log(message: string): void {
    if (this.lineOpen) this.stream.write('\n');
    this.lineOpen = false;
    this.stream.write(`${message}\n`);
  }

  private format(t: number, metrics: Record<string, number>): string {
    const elapsed = Math.max(t - this.started, 1e-9);
    const rate = this.images / elapsed;
    const eta = this.done > 0 ? ((this.total - this.done) * elapsed) / this.done : 0;
    const parts = Object.entries(metrics).map(([k, v]) => `${k} ${formatNumber(v)}`);
    const pct = this.total > 0 ? Math.floor((100 * this.done) / this.total) : 100;
    return `${this.label} ${bar(pct)} ${this.done}/${this.total} | ${rate.toFixed(0)} img/s | ${parts.join(' | ')} | ${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
  }
}

function bar(pct: number): string {
  const filled = Math.round(pct / 5);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${String(pct).padStart(3)}%`;
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toFixed(4);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}
