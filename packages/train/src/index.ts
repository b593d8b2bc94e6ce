// @tensorgrad/train — a training loop as a library: fit() / Trainer over a DataLoader with
// metrics, validation, LR schedules, progress, SVG curves, checkpoints with exact resume, early
// stopping and callbacks. The main entry runs in browsers and Node (checkpoints as bytes, progress
// to any stream); Node resolves the package to node.ts, which adds files and the terminal.
export { Trainer, fit, type FitOptions } from './trainer.js';
export type { TrainerOptions, SchedulerOptions, Metric, LossFunction, CheckpointSink } from './options.js';
export type { Callbacks, TrainingRun, ProgressDisplay } from './callbacks.js';
export type { EarlyStoppingOptions, EarlyStoppingState } from './early-stopping.js';
export type { Values, StepRecord, ValidationRecord, EpochRecord, StepCurves, FitResult } from './records.js';
export { readCheckpointMetadata, type CheckpointMetadata, type TrainerState } from './state.js';
export { TextProgress, formatDuration, formatNumber, type TextProgressOptions, type TextStream } from './progress.js';
export { renderCurves, type Curves, type CurvesOptions } from './curves.js';
export { renderChart, type Panel, type Series } from './svg-chart.js';
