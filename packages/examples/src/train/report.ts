// The end-of-run report: metrics as JSON and the run's curves (@tensorgrad/train's renderCurves:
// the loss of every step, epoch means, test evaluations, accuracy, learning rate) as SVG.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EpochRecord, type FitResult, renderCurves } from '@tensorgrad/train';
import type { TrainOptions } from './options.js';

export interface TrainSummary {
  options: Partial<TrainOptions>;
  parameterCount: number;
  result: FitResult;
  wallSecondsThisRun: number;
  checkpoint: string;
}

/** What metrics.json holds. Epoch records state their learning rates as lrAtEpochStart and lrAtEpochEnd. */
export interface TrainReport {
  options: Partial<TrainOptions>;
  parameterCount: number;
  stepsPerEpoch: number;
  /** Per epoch: train and validation (= test images) loss and accuracy, learning rates, time. */
  history: EpochRecord[];
  /** The last epoch's record. */
  final: EpochRecord | null;
  /** All requested epochs are done (false after --stop-after). */
  complete: boolean;
  /** Training time over all invocations (resumes add up). */
  trainingSeconds: number;
  wallSecondsThisRun: number;
  checkpoint: string;
  metricsPath: string;
  chartPath: string;
}

export function writeReport(dir: string, { options, parameterCount, result, wallSecondsThisRun, checkpoint }: TrainSummary): TrainReport {
  const metricsPath = join(dir, 'metrics.json');
  const chartPath = join(dir, 'curves.svg');
  const report: TrainReport = {
    options, parameterCount, stepsPerEpoch: result.stepsPerEpoch, history: result.history, final: result.history.at(-1) ?? null, complete: result.complete,
    trainingSeconds: result.trainingSeconds, wallSecondsThisRun, checkpoint, metricsPath, chartPath,
  };
  writeFileSync(metricsPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(chartPath, renderCurves(result, { lossLabel: 'cross-entropy', percent: ['accuracy'] }));
  return report;
}
