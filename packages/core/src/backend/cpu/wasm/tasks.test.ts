import { expect } from 'chai';
import { disableWasmGemmThreads, enableWasmGemmThreads, workerActivity } from './threads.js';
import { reserveScratch, wasmRuntime, wasmScratch } from './runtime.js';
import { TaskProgram, prepareBackgroundTasks, runTasks, runTasksAsync, settleAsyncTasks } from './tasks.js';
import { Tensor } from '../../../tensor/tensor.js';

/**
 * A program of `count` tasks: task i copies 3 floats from src (task i's block, rep r's row) to
 * out, then copies the marker of the thread that runs it into who[i] (threads' markers 4 bytes apart).
 */
function program(count: number, src: Float32Array, out: Float32Array, markers: Float32Array, who: Float32Array): TaskProgram {
  return new TaskProgram(count)
    // rows r < 2 of task i: out[i·8 + r·4 + j] = src[i·6 + r·3 + j]
    .call('copyPlanes', [[src.byteOffset, 24, 0, 12], 0, 0, [out.byteOffset, 32, 0, 16], 0, 0, 1, 1, 3], 2)
    .call('copyPlanes', [[markers.byteOffset, 0, 4], 0, 0, [who.byteOffset, 4], 0, 0, 1, 1, 1]);
}

/**
 * Operands of `count` tasks of program() in regions from `scratch` (src[i] = i + 1, out -1, who 0,
 * thread markers 1 for the caller and 2 for the first worker), and `padFloats` floats for tasks
 * made longer by a zeroing call.
 */
function taskOperands(count: number, padFloats: number, scratch: (lengths: number[]) => Float32Array[] = wasmScratch) {
  const [src, out, markers, who, pad] = scratch([6 * count, 8 * count, 2, count, padFloats]) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  src.forEach((_, i) => (src[i] = i + 1));
  out.fill(-1);
  who.fill(0);
  markers.set([1, 2]);
  return { src, out, markers, who, pad };
}

describe('wasm task programs', () => {
  afterEach(() => disableWasmGemmThreads());

  it('each argument is base + task·taskStride + thread·threadStride + rep·repStride, for every task and rep', () => {
    const count = 5;
    const [src, out, markers, who] = wasmScratch([6 * count, 8 * count, 2, count]) as [Float32Array, Float32Array, Float32Array, Float32Array];
    src.forEach((_, i) => (src[i] = i + 1));
    out.fill(-1);
    markers.set([7, 8]);
    runTasks(program(count, src, out, markers, who));
    for (let i = 0; i < count; i++) {
      expect([...out.subarray(8 * i, 8 * i + 8)]).to.deep.equal([6 * i + 1, 6 * i + 2, 6 * i + 3, -1, 6 * i + 4, 6 * i + 5, 6 * i + 6, -1]);
    }
    expect([...who]).to.deep.equal([7, 7, 7, 7, 7]); // one thread: all on the caller
  });

  it('with 2 threads the workers take tasks beside the caller and the results are the same', async () => {
    expect(await enableWasmGemmThreads(2)).to.equal(true);
    const count = 256;
    // Tasks long enough (a 256 KiB zeroing each) that the worker wakes before the caller is done;
    // a busy machine may still deschedule it, so a few rounds are allowed.
    const { src, out, markers, who, pad } = taskOperands(count, 1 << 16);
    let byWorker = 0;
    for (let round = 0; round < 10 && byWorker === 0; round++) {
      out.fill(-1);
      who.fill(0);
      runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 16]));
      expect([...who].every((t) => t === 1 || t === 2)).to.equal(true); // every task ran exactly on some thread
      byWorker = who.filter((t) => t === 2).length;
      for (let i = 0; i < count; i++) expect(out[8 * i + 6]).to.equal(6 * i + 6);
    }
    expect(byWorker).to.be.greaterThan(0);
  });

  for (const threads of [1, 2]) {
    it(`stage copies each task's inputs in before any thread runs it (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      if (threads > 1) expect(await enableWasmGemmThreads(threads)).to.equal(true);
      const count = 64;
      const { src, out, markers, who, pad } = taskOperands(count, 1 << 14);
      const host = Float32Array.from({ length: 6 * count }, (_, i) => 1000 + i);
      src.fill(-5);
      runTasks(program(count, src, out, markers, who)); // the worker now spins, ready for the next job
      const staged: number[] = [];
      runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 14]), undefined, (first, end) => {
        staged.push(first, end);
        // Slow, so that a worker not waiting for its task's inputs would read them before they are there.
        for (const until = performance.now() + 0.05; performance.now() < until; );
        src.set(host.subarray(6 * first, 6 * end), 6 * first);
      });
      expect(staged).to.deep.equal(Array.from({ length: 2 * count }, (_, i) => (i >> 1) + (i & 1))); // [0,1, 1,2, ...]: in order, once each
      for (let i = 0; i < count; i++) expect(out[8 * i + 6]).to.equal(1000 + 6 * i + 5);
    });
  }

  it('a stage that throws lets the workers go and throws after the job; the next job runs', async () => {
    expect(await enableWasmGemmThreads(2)).to.equal(true);
    const count = 16;
    const { src, out, markers, who } = taskOperands(count, 0);
    expect(() => runTasks(program(count, src, out, markers, who), undefined, (first) => {
      if (first === 3) throw new Error('stage failed');
    })).to.throw('stage failed');
    out.fill(-1);
    runTasks(program(count, src, out, markers, who));
    for (let i = 0; i < count; i++) expect(out[8 * i + 6]).to.equal(6 * i + 6);
  });

  it('an idle worker takes the next job whether it comes while it spins or after it went to sleep', async () => {
    expect(await enableWasmGemmThreads(2)).to.equal(true);
    const count = 64;
    const { src, out, markers, who, pad } = taskOperands(count, 1 << 16);
    const workerTasks = (): number => {
      out.fill(-1);
      who.fill(0);
      runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 16]));
      for (let i = 0; i < count; i++) expect(out[8 * i + 6]).to.equal(6 * i + 6);
      return who.filter((t) => t === 2).length;
    };
    // Back to back (the worker is still spinning), then after pauses well past its 1 ms spin (it
    // sleeps in Atomics.wait); a busy machine may deschedule it, so a few rounds are allowed.
    for (const pauseMs of [0, 30]) {
      let byWorker = 0;
      for (let round = 0; round < 10 && byWorker === 0; round++) {
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        byWorker = workerTasks();
      }
      expect(byWorker, `pause ${pauseMs} ms`).to.be.greaterThan(0);
    }
  });

  it('onDone gets consecutive ranges of finished tasks in order, each task once, its outputs written (1 and 2 threads, long and short programs)', async () => {
    for (const threads of [1, 2]) {
      expect(await enableWasmGemmThreads(threads)).to.equal(true);
      for (const count of [1, 7, 200]) {
        const [src, out, markers, who, pad] = wasmScratch([6 * count, 8 * count, 2, count, 1 << 14]) as Float32Array[];
        src!.forEach((_, i) => (src![i] = i + 1));
        out!.fill(-1);
        const ranges: [number, number][] = [];
        runTasks(program(count, src!, out!, markers!, who!).call('zeroFloats', [pad!.byteOffset, 1 << 14]), (first, end) => {
          for (let i = first; i < end; i++) expect(out![8 * i + 6], `task ${i} written before onDone`).to.equal(6 * i + 6);
          if (threads === 1) {
            // Alone, the caller hands over each task right after running it, before the next one runs.
            expect(end - first, `one task at a time (${first})`).to.equal(1);
            if (end < count) expect(out![8 * end + 6], `task ${end} not run yet`).to.equal(-1);
          }
          ranges.push([first, end]);
        });
        expect(ranges[0]![0]).to.equal(0);
        ranges.forEach(([first, end], k) => {
          expect(end).to.be.greaterThan(first);
          if (k > 0) expect(first).to.equal(ranges[k - 1]![1]);
        });
        expect(ranges.at(-1)![1], `${threads} thread(s), ${count} tasks`).to.equal(count);
      }
    }
  });

  it('a program too long for the control block runs on the calling thread, with the same results', async () => {
    expect(await enableWasmGemmThreads(2)).to.equal(true);
    const [a, b] = wasmScratch([4, 4]) as [Float32Array, Float32Array];
    a.set([1, 2, 3, 4]);
    b.fill(0);
    const prog = new TaskProgram(1);
    for (let k = 0; k < 8000; k++) prog.call('copyPlanes', [a.byteOffset + 4 * (k % 4), 0, 0, b.byteOffset + 4 * (k % 4), 0, 0, 1, 1, 1]);
    expect(prog.encode(wasmRuntime()!.exports).length).to.be.greaterThan(1 << 18);
    runTasks(prog);
    expect([...b]).to.deep.equal([1, 2, 3, 4]);
  });

  it('refuses arguments that do not fit in int32 and functions the module does not export', () => {
    const { exports } = wasmRuntime()!;
    expect(() => new TaskProgram(1).call('zeroFloats', [2 ** 31, 1]).encode(exports)).to.throw(/does not fit in int32/);
    expect(() => new TaskProgram(1).call('fft', [0]).encode(exports)).to.throw(/the wasm module exports no function 'fft'/);
  });

  it('call any exported kernel by name (here an elementwise one), on the threads too', async () => {
    for (const threads of [1, 2]) {
      expect(await enableWasmGemmThreads(threads)).to.equal(true);
      const [x, y] = wasmScratch([64, 64]) as [Float32Array, Float32Array];
      x.forEach((_, i) => (x[i] = i % 3 - 1));
      y.fill(7);
      // Each of 4 tasks applies assembly/elementwise.ts's reluF32 to its 16 floats.
      runTasks(new TaskProgram(4).call('reluF32', [[x.byteOffset, 64], [y.byteOffset, 64], 16]));
      expect([...y], `${threads} thread(s)`).to.deep.equal([...x].map((v) => Math.max(v, 0)));
    }
  });

  describe('background programs (runTasksAsync)', () => {
    afterEach(() => settleAsyncTasks());

    /** A background program of `count` long tasks (see program), its scratch reserved; its finish copies `out` into result. */
    function startBackground(count: number, result: Float32Array): { out: Float32Array; who: Float32Array; finished: () => boolean } {
      const { src, out, markers, who, pad } = taskOperands(count, 2 * (1 << 16), reserveScratch);
      let finished = false;
      runTasksAsync(program(count, src, out, markers, who).call('zeroFloats', [[pad.byteOffset, 0, 1 << 18], 1 << 16]), result, () => {
        result.set(out.subarray(0, result.length));
        finished = true;
      });
      return { out, who, finished: () => finished };
    }

    it('with threads on, runs on a worker while the caller goes on; reading the output (Tensor.storage, .data) settles it, with finish run once', async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      expect(prepareBackgroundTasks()).to.equal(true);
      const count = 32;
      const result = new Float32Array(8 * count);
      const t = new Tensor(result, [8 * count]);
      const job = startBackground(count, result);
      expect(job.finished()).to.equal(false); // returned before finish
      expect(t.shape).to.deep.equal([8 * count]); // identity and shape do not wait
      expect(t.device).to.equal('cpu');
      const data = t.data; // waits, then finish writes it
      expect(job.finished()).to.equal(true);
      for (let i = 0; i < count; i++) expect(data[8 * i + 6]).to.equal(6 * i + 6);
      expect([...job.who].every((w) => w === 1 || w === 2)).to.equal(true); // every task ran, on the worker or the caller
      settleAsyncTasks(); // nothing left: no second finish
      expect(job.finished()).to.equal(true);
    });

    it('the busy worker joins a job the caller starts meanwhile between its background tasks, before its program is done', async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      let early = false;
      for (let round = 0; round < 10 && !early; round++) {
        expect(prepareBackgroundTasks()).to.equal(true);
        const result = new Float32Array(8);
        const job = startBackground(256, result); // 256 tasks of 512 KiB zeroing each: tens of ms in all
        const count = 64;
        const { src, out, markers, who, pad } = taskOperands(count, 1 << 16);
        runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 16]));
        for (let i = 0; i < count; i++) expect(out[8 * i + 6]).to.equal(6 * i + 6);
        // The worker took some of the job while tasks of its program were still unrun.
        early = who.some((w) => w === 2) && job.who.some((w) => w === 0);
        settleAsyncTasks();
        expect(job.finished()).to.equal(true);
        expect([...job.who].every((w) => w === 1 || w === 2)).to.equal(true);
      }
      expect(early, 'the worker joined the job before its background program was done').to.equal(true);
    });

    it('a job the caller starts meanwhile is joined by the busy worker (between its background tasks or once its program is done); results as with one thread', async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      let joinedLate = 0;
      for (let round = 0; round < 10 && joinedLate === 0; round++) {
        expect(prepareBackgroundTasks()).to.equal(true);
        const result = new Float32Array(8 * 8);
        const job = startBackground(8, result); // 8 tasks of 512 KiB zeroing each (a fraction of a ms)
        const count = 512;
        const { src, out, markers, who, pad } = taskOperands(count, 1 << 16);
        src.forEach((_, i) => (src[i] = -i)); // unlike the background program's values
        runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 16]));
        for (let i = 0; i < count; i++) expect(out[8 * i + 4]).to.equal(-(6 * i + 3));
        expect([...who].every((w) => w === 1 || w === 2)).to.equal(true);
        joinedLate = who.filter((w) => w === 2).length;
        settleAsyncTasks();
        expect(job.finished()).to.equal(true);
        for (let i = 0; i < 8; i++) expect(result[8 * i + 6]).to.equal(6 * i + 6);
      }
      expect(joinedLate, 'the worker took some of the later job').to.be.greaterThan(0);
    });

    it('workerActivity counts the worker\'s time in the caller\'s jobs and in background programs, from zero at each start', async () => {
      expect(workerActivity()).to.deep.equal({ workers: 0, jobsMs: 0, backgroundMs: 0 }); // one thread
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      expect(workerActivity()).to.deep.equal({ workers: 1, jobsMs: 0, backgroundMs: 0 });
      // A job the worker takes part in: its time goes to jobsMs only.
      const count = 256;
      const { src, out, markers, who, pad } = taskOperands(count, 1 << 16);
      let before = workerActivity();
      let after = before;
      for (let round = 0; round < 10 && !who.some((w) => w === 2); round++) {
        who.fill(0);
        before = workerActivity();
        const t0 = performance.now();
        runTasks(program(count, src, out, markers, who).call('zeroFloats', [pad.byteOffset, 1 << 16]));
        const wall = performance.now() - t0;
        after = workerActivity();
        if (who.some((w) => w === 2)) {
          expect(after.jobsMs - before.jobsMs).to.be.greaterThan(0).and.at.most(wall + 1);
          expect(after.backgroundMs).to.equal(before.backgroundMs);
        }
      }
      expect(who.some((w) => w === 2), 'the worker took tasks').to.equal(true);
      // A background program the worker runs: its time goes to backgroundMs.
      let ran = false;
      for (let round = 0; round < 10 && !ran; round++) {
        expect(prepareBackgroundTasks()).to.equal(true);
        before = workerActivity(); // before it starts: the worker adds each task's time as it ends
        const job = startBackground(32, new Float32Array(8));
        settleAsyncTasks();
        after = workerActivity();
        ran = job.who.some((w) => w === 2);
        if (ran) expect(after.backgroundMs).to.be.greaterThan(before.backgroundMs);
      }
      expect(ran, 'the worker ran background tasks').to.equal(true);
      await disableWasmGemmThreads();
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      expect(workerActivity(), 'fresh workers start from zero').to.deep.equal({ workers: 1, jobsMs: 0, backgroundMs: 0 });
    });

    it('the next background program and disableWasmGemmThreads settle the one running', async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      expect(prepareBackgroundTasks()).to.equal(true);
      const first = startBackground(16, new Float32Array(8 * 16));
      expect(prepareBackgroundTasks()).to.equal(true); // settles the first
      expect(first.finished()).to.equal(true);
      const second = startBackground(16, new Float32Array(8 * 16));
      await disableWasmGemmThreads();
      expect(second.finished()).to.equal(true);
    });

    it('scratch reserved by a caller that threw before starting its program is freed by the next prepareBackgroundTasks', async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
      expect(prepareBackgroundTasks()).to.equal(true);
      const [first] = reserveScratch([1024]);
      expect(wasmScratch([16])[0]!.byteOffset).to.be.greaterThanOrEqual(first!.byteOffset + 4 * 1024); // above the reservation
      expect(() => reserveScratch([16])).to.throw(/already reserved/);
      expect(prepareBackgroundTasks()).to.equal(true);
      expect(reserveScratch([1024])[0]!.byteOffset).to.equal(first!.byteOffset);
    });

    it('with one thread there is no background: prepareBackgroundTasks says so', async () => {
      expect(await enableWasmGemmThreads(1)).to.equal(true);
      expect(prepareBackgroundTasks()).to.equal(false);
    });
  });
});
