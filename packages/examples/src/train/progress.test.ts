import { expect } from 'chai';
import { Progress, formatDuration } from './progress.js';
import { renderChart } from './svg-chart.js';

function capture(isTTY: boolean): { chunks: string[]; stream: { isTTY: boolean; columns: number; write(c: string): boolean } } {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 200, write: (c: string) => (chunks.push(c), true) } };
}

describe('training progress display', () => {
  it('redraws one line in place on a terminal', () => {
    const { chunks, stream } = capture(true);
    let t = 0;
    const p = new Progress({ stream, now: () => t });
    p.start('epoch 1/2', 4);
    for (let i = 0; i < 4; i++) {
      t += 0.5;
      p.tick(100, { loss: 1 / (i + 1) });
    }
    p.log('done');
    expect(chunks.slice(0, 4).every((c) => c.startsWith('\r') && !c.includes('\n'))).to.equal(true);
    expect(chunks[3]).to.match(/epoch 1\/2 \[#{20}\] 100% 4\/4 \| 200 img\/s \| loss 0\.2500 \| 0m02s elapsed, ETA 0m00s/);
    expect(chunks.slice(4)).to.deep.equal(['\n', 'done\n']);
  });

  it('prints whole lines at intervals when the output is a log', () => {
    const { chunks, stream } = capture(false);
    let t = 0;
    const p = new Progress({ stream, now: () => t, logEverySeconds: 10 });
    p.start('epoch 1/1', 30);
    for (let i = 0; i < 30; i++) {
      t += 1;
      p.tick(10, { loss: 0.5 });
    }
    // one line every 10 s of 30 s, the last one at completion
    expect(chunks).to.have.length(3);
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).to.equal(true);
    expect(chunks[0]).to.match(/10\/30 .*ETA 0m20s/);
    expect(chunks[2]).to.match(/30\/30 .*100%|100% 30\/30/);
  });

  it('formats durations', () => {
    expect(formatDuration(59.6)).to.equal('1m00s');
    expect(formatDuration(3725)).to.equal('1h02m');
  });

  it('renders both panels with a path per series in the SVG chart', () => {
    const svg = renderChart([
      { title: 'Loss', yLabel: 'loss', series: [{ name: 'train', color: 'red', points: [[1, 0.5], [2, 0.3]] }] },
      { title: 'Acc', yLabel: '%', series: [{ name: 'test <a>', color: 'blue', points: [[1, 80], [2, 90]] }] },
    ]);
    expect(svg.match(/<path d="M/g)).to.have.length(2);
    expect(svg).to.include('test &lt;a&gt;');
    expect(svg).to.match(/width="1040"/);
  });
});
