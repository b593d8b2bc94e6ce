// A long-lived child process spoken to in JSON lines: one request line out, one answer line back,
// in order. Its first line says whether it is ready. The PyTorch engine (torch/worker.py) and
// tensorgrad's own-process engines (tensorgrad-worker.ts) run their cases through one.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Every answer carries the id of its request; an `error` says why it has no result. */
export interface Answer { id: number; error?: string }

export type Ready = Record<string, unknown> | { error: string };

export class LineWorker<A extends Answer> {
  private child: ChildProcess | null = null;
  private ready: Promise<Ready> | null = null;
  private readonly waiting = new Map<number, (a: A) => void>();
  private nextId = 0;

  /**
   * `command args` (environment inherited); `readyOf` turns the first line into the
   * ready message (or an error).
   */
  constructor(
    private readonly command: string,
    private readonly args: string[],
    private readonly readyOf: (first: Record<string, unknown>) => Ready,
  ) {}

  /** Starts the process on first use; resolves with its ready message. */
  start(): Promise<Ready> {
    const what = `${this.command} ${this.args.at(-1) ?? ''}`;
    this.ready ??= new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(this.command, this.args, { stdio: ['pipe', 'pipe', 'inherit'] });
      } catch (e) {
        resolve({ error: `cannot start ${this.command}: ${(e as Error).message}` });
        return;
      }
      this.child = child;
      let first = true;
      child.on('error', (e) => {
        // A process that failed to start emits no 'exit': nothing to wait for at close.
        this.child = null;
        resolve({ error: `cannot start ${this.command}: ${e.message}` });
      });
      child.on('exit', (code) => {
        resolve({ error: `${what} exited with code ${code}` });
        for (const [id, answer] of this.waiting) answer({ id, error: `${what} exited (code ${code})` } as A);
        this.waiting.clear();
        this.child = null;
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (first) {
          first = false;
          resolve(this.readyOf(msg));
          return;
        }
        const answer = msg as unknown as A;
        this.waiting.get(answer.id)?.(answer);
        this.waiting.delete(answer.id);
      });
    });
    return this.ready;
  }

  /** Sends `request` (an id is added) and resolves with its answer. */
  request(request: Record<string, unknown>): Promise<A> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.child === null) {
        resolve({ id, error: `${this.command} worker not running` } as A);
        return;
      }
      this.waiting.set(id, resolve);
      this.child.stdin!.write(JSON.stringify({ id, ...request }) + '\n');
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.end();
    });
  }
}
