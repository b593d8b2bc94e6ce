// The text display (a bar redrawn in place on a terminal, whole lines in a log) and the SVG
// curves of a run.
import { expect } from 'chai';
import type { TrainingRun } from './callbacks.js';
import { renderCurves } from './curves.js';
import { TextProgress, formatDuration } from './progress.js';
import type { EpochRecord, StepRecord } from './records.js';
import { renderChart } from './svg-chart.js';

function capture(isTTY: boolean): { chunks: string[]; stream: { isTTY: boolean; columns: number; write(c: string): boolean } } {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 250, write: (c: string) => (chunks.push(c), true) } };
}

const run = (stepsPerEpoch: number): TrainingRun => ({
  epochs: 2, stepsPerEpoch, totalSteps: 2 * stepsPerEpoch, stepsDone: 0, epochsDone: 0, history: [], stop: () => {}, log: () => {},
});
const step = (i: number, loss: number): StepRecord => ({ step: i, epoch: 1, batch: i - 1, samples: 100, lr: 0.002, values: { loss, accuracy: 0.5 } });

describe('training progress display', () => {
  it('redraws one line in place on a terminal, with running means, and prints epoch summaries on their own line', () => {
    const { chunks, stream } = capture(true);
    let t = 0;
    const p = new TextProgress({ stream, now: () => t });
    p.onEpochStart({ run: run(4), epoch: 1, batches: 4 });
    for (let i = 1; i <= 4; i++) {
      t += 0.5;
      p.onStepEnd({ record: step(i, 1 / i) });
    }
    const record: EpochRecord = {
      epoch: 1, steps: 4, samples: 400, train: { loss: 0.52, accuracy: 0.5 }, validation: { loss: 0.6, accuracy: 0.25 },
      lrAtEpochStart: 0.002, lrAtEpochEnd: 0.001, seconds: 2, samplesPerSecond: 200,
    };
    p.onEpochEnd({ run: run(4), record, checkpointSaved: true });
    expect(chunks.slice(0, 4).every((c) => c.startsWith('\r') && !c.includes('\n'))).to.equal(true);
    // loss: the mean of 1, 1/2, 1/3, 1/4
    expect(chunks[3]).to.match(/^\repoch 1\/2 \[#{20}\] 100% 4\/4 \| 200 samples\/s \| loss 0\.5208 \| accuracy 0\.5000 \| lr 0\.0020 \| 0m02s elapsed, ETA 0m00s/);
    expect(chunks.slice(4)).to.deep.equal([
      '\n', 'epoch 1/2: train loss 0.5200 accuracy 0.5000 | validation loss 0.6000 accuracy 0.2500 | 2.0 s, 200 samples/s | lr 0.0020 → 0.0010 | checkpoint saved\n',
    ]);
  });

  it('prints whole lines at intervals when the output is a log, counting from where a resumed epoch starts', () => {
    const { chunks, stream } = capture(false);
    let t = 0;
    const p = new TextProgress({ stream, now: () => t, logEverySeconds: 10 });
    p.onEpochStart({ run: run(40), epoch: 1, batches: 30 }); // resumed after 10 of 40 steps
    for (let i = 11; i <= 40; i++) {
      t += 1;
      p.onStepEnd({ record: step(i, 0.5) });
    }
    // one line every 10 s of 30 s, the last one at the epoch's end
    expect(chunks).to.have.length(3);
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).to.equal(true);
    expect(chunks[0]).to.match(/ 20\/40 .*ETA 0m20s/);
    expect(chunks[2]).to.match(/100% 40\/40/);
  });

  it('formats durations', () => {
    expect(formatDuration(59.6)).to.equal('1m00s');
    expect(formatDuration(3725)).to.equal('1h02m');
  });

  it('renders a panel per series group, escaping names', () => {
    const svg = renderChart([
      { title: 'Loss', yLabel: 'loss', series: [{ name: 'train', color: 'red', points: [[1, 0.5], [2, 0.3]] }] },
      { title: 'Acc', yLabel: '%', series: [{ name: 'test <a>', color: 'blue', points: [[1, 80], [2, 90]] }] },
    ]);
    expect(svg.match(/<path d="M/g)).to.have.length(2);
    expect(svg).to.include('test &lt;a&gt;');
    expect(svg).to.match(/width="1040"/);
  });

  it("draws a run's per-step loss (every step), epoch means, validations, metrics and learning rate", () => {
    const steps = 100_000; // more points than Math.min(...points) could take as arguments
    const svg = renderCurves({
      stepsPerEpoch: steps / 2,
      steps: { loss: Array.from({ length: steps }, (_, i) => 2 / (1 + i)), lr: Array.from({ length: steps }, () => 0.1) },
      history: [1, 2].map((epoch) => ({ epoch, steps: steps / 2, samples: 1, train: { loss: 1 / epoch, accuracy: 0.5 * epoch }, lrAtEpochStart: 0.1, lrAtEpochEnd: 0.1, seconds: 1, samplesPerSecond: 1 })),
      validations: [{ step: steps / 2, epoch: 1, values: { loss: 1.1, accuracy: 0.4 } }, { step: steps, epoch: 2, values: { loss: 0.6, accuracy: 0.9 } }],
    }, { percent: ['accuracy'] });
    const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
    // loss: per step, train, validation; accuracy: train, validation; lr: per step
    expect(paths).to.have.length(6);
    expect(paths[0]!.split('L')).to.have.length(steps);
    expect(svg).to.include('>Accuracy<').and.include('accuracy (%)').and.include('>Learning rate<');
  });
});
