// pnpm start [-- options]: trains a CNN on Fashion-MNIST (see --help).
import { ArgumentError, TensorError } from '@tensorgrad/core';
import { TextProgress, formatDuration, terminalProgress } from '@tensorgrad/train';
import { USAGE, parseArgs } from './options.js';
import { train } from './run.js';

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2).filter((a) => a !== '--'));
  if (parsed === 'help') {
    console.log(USAGE);
    return;
  }
  // --quiet: the epoch summaries and messages only.
  const progress = parsed.quiet
    ? new TextProgress({ stream: process.stdout, mode: 'lines', logEverySeconds: Infinity })
    : terminalProgress({ logEverySeconds: parsed.logEvery });
  const report = await train(parsed, progress);
  const f = report.final;
  console.log('');
  console.log(report.complete ? 'training complete' : `stopped after epoch ${f?.epoch ?? 0} (continue with --resume)`);
  if (f?.validation !== undefined) {
    console.log(`  test accuracy ${(100 * f.validation.accuracy!).toFixed(2)}%  (test loss ${f.validation.loss.toFixed(4)}, train accuracy ${(100 * f.train.accuracy!).toFixed(2)}%)`);
  }
  console.log(`  training time ${formatDuration(report.trainingSeconds)} over ${report.history.length} epoch(s)`);
  console.log(`  metrics: ${report.metricsPath}\n  curves:  ${report.chartPath}\n  checkpoint: ${report.checkpoint}`);
  console.log(JSON.stringify({ final: f, complete: report.complete, trainingSeconds: report.trainingSeconds }));
}

try {
  await main();
} catch (e) {
  // Usage mistakes and bad data (missing files, a checkpoint that does not fit) get their
  // message, not a stack trace; anything else is a bug and keeps its trace.
  if (!(e instanceof TensorError)) throw e;
  console.error(`error: ${e.message}`);
  process.exit(e instanceof ArgumentError ? 2 : 1);
}
