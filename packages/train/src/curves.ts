// A run's curves as one SVG: the loss per step with the epoch means and validations over it,
// each metric per epoch and per validation, and the learning rate per step; x is the epoch
// (step s of an epoch of n steps at s / n, so epoch k's mean sits at k, where its last step is).
import type { FitResult } from './records.js';
import { type Panel, renderChart } from './svg-chart.js';

const COLORS = { step: '#9ecae1', train: '#1f77b4', validation: '#d62728', lr: '#2ca02c' };

/** What renderCurves draws: the parts of a FitResult (or a checkpoint's TrainerState) it reads. */
export type Curves = Pick<FitResult, 'history' | 'validations' | 'steps' | 'stepsPerEpoch'>;

/** Labels and scales of renderCurves. */
export interface CurvesOptions {
  /** The loss panel's y label (default 'loss'). */
  lossLabel?: string;
  /** Metric names shown as percentages (×100), e.g. ['accuracy']. */
  percent?: readonly string[];
}

/**
 * A run's curves as an SVG document: the loss of every step with the epoch means and the
 * validations over it, each metric per epoch and per validation, and the learning rate of every
 * step; x is the epoch (step s at s / stepsPerEpoch).
 */
export function renderCurves(run: Curves, options: CurvesOptions = {}): string {
  const { history, validations, steps, stepsPerEpoch } = run;
  const atStep = (step: number): number => step / stepsPerEpoch;
  const panels: Panel[] = [
    {
      title: 'Loss',
      yLabel: options.lossLabel ?? 'loss',
      series: [
        { name: 'per step', color: COLORS.step, width: 1, points: steps.loss.map((v, i) => [atStep(i + 1), v]) },
        { name: 'train', color: COLORS.train, points: history.map((r) => [r.epoch, r.train.loss]) },
        { name: 'validation', color: COLORS.validation, points: validations.map((r) => [atStep(r.step), r.values.loss]) },
      ],
    },
  ];
  const names = new Set([...history.flatMap((r) => Object.keys(r.train)), ...validations.flatMap((r) => Object.keys(r.values))]);
  names.delete('loss');
  for (const name of names) {
    const scale = options.percent?.includes(name) ? 100 : 1;
    panels.push({
      title: name[0]!.toUpperCase() + name.slice(1),
      yLabel: scale === 100 ? `${name} (%)` : name,
      series: [
        { name: 'train', color: COLORS.train, points: history.flatMap((r) => (r.train[name] === undefined ? [] : [[r.epoch, scale * r.train[name]!] as const])) },
        { name: 'validation', color: COLORS.validation, points: validations.flatMap((r) => (r.values[name] === undefined ? [] : [[atStep(r.step), scale * r.values[name]!] as const])) },
      ],
    });
  }
  panels.push({ title: 'Learning rate', yLabel: 'lr', series: [{ name: 'per step', color: COLORS.lr, width: 1.2, points: steps.lr.map((v, i) => [atStep(i + 1), v]) }] });
  return renderChart(panels);
}
