// The end-of-run report: metrics as JSON and loss/accuracy curves as an SVG chart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainOptions } from './options.js';
import { renderChart } from './svg-chart.js';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Learning rate at the start of the epoch. */
  lr: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainSummary {
  options: Partial<TrainOptions>;
  parameterCount: number;
  history: EpochRecord[];
  /** All requested epochs are done (false after --stop-after). */
  complete: boolean;
  /** Training time over all invocations (resumes add up). */
  trainingSeconds: number;
  wallSecondsThisRun: number;
  checkpoint: string;
}

export interface TrainReport extends TrainSummary {
  final: EpochRecord | null;
  metricsPath: string;
  chartPath: string;
}

export function writeReport(dir: string, summary: TrainSummary): TrainReport {
  const metricsPath = join(dir, 'metrics.json');
  const chartPath = join(dir, 'curves.svg');
  const report: TrainReport = { ...summary, final: summary.history.at(-1) ?? null, metricsPath, chartPath };
  writeFileSync(metricsPath, `${JSON.stringify(report, null, 2)}\n`);
  const h = summary.history;
  writeFileSync(
    chartPath,
    renderChart([
      {
        title: 'Loss',
        yLabel: 'cross-entropy',
        series: [
          { name: 'train', color: '#1f77b4', points: h.map((r) => [r.epoch, r.trainLoss]) },
          { name: 'test', color: '#d62728', points: h.map((r) => [r.epoch, r.testLoss]) },
        ],
      },
      {
        title: 'Accuracy',
        yLabel: 'accuracy (%)',
        series: [
          { name: 'train', color: '#1f77b4', points: h.map((r) => [r.epoch, 100 * r.trainAccuracy]) },
          { name: 'test', color: '#d62728', points: h.map((r) => [r.epoch, 100 * r.testAccuracy]) },
        ],
      },
    ]),
  );
  return report;
}
