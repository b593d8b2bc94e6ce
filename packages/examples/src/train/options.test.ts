// The training job's command line: every flag parsed, everything else refused with a reason.
import { expect } from 'chai';
import { ArgumentError } from '@tensorgrad/core';
import { DEFAULTS, parseArgs } from './options.js';

const fails = (argv: string[], message: RegExp): void => {
  expect(() => parseArgs(argv), argv.join(' ')).to.throw(ArgumentError, message);
};

describe('training job options', () => {
  it('parses every flag, as "--flag value" or "--flag=value"', () => {
    expect(parseArgs([])).to.deep.equal(DEFAULTS);
    expect(parseArgs([
      '--model', 'lenet5', '--epochs', '3', '--batch-size=64', '--lr', '1e-3', '--optimizer', 'sgd', '--weight-decay', '0', '--seed', '0',
      '--data', 'd', '--out=o', '--resume', '--limit-train', '100', '--limit-test', '50', '--stop-after', '1', '--single-thread',
      '--conv-tuning', 'benchmark', '--detect-anomaly', '--quiet', '--log-every', '0.5', '--device', 'webgpu',
    ])).to.deep.equal({
      model: 'lenet5', epochs: 3, batchSize: 64, lr: 1e-3, optimizer: 'sgd', weightDecay: 0, seed: 0, data: 'd', out: 'o', resume: true,
      limitTrain: 100, limitTest: 50, stopAfter: 1, threads: false, convTuning: 'benchmark', detectAnomaly: true, quiet: true, logEvery: 0.5, device: 'webgpu',
    });
    expect(parseArgs(['--conv-tuning=off'])).to.deep.equal({ ...DEFAULTS, convTuning: 'off' });
    expect(parseArgs(['--epochs', '2', '--help'])).to.equal('help');
  });

  it('refuses unknown flags, suggesting the one meant', () => {
    fails(['--epoch', '3'], /^unknown option '--epoch' \(did you mean '--epochs'\?\)/);
    fails(['--batch_size', '3'], /^unknown option '--batch_size' \(did you mean '--batch-size'\?\)/);
    fails(['--weightDecay=0.1'], /^unknown option '--weightDecay' \(did you mean '--weight-decay'\?\)/);
    fails(['--detect-anomally'], /did you mean '--detect-anomaly'/);
    fails(['--learning-rate', '1'], /^unknown option '--learning-rate'\n/);
    fails(['3'], /^unknown option '3'/);
  });

  it('refuses non-finite, fractional, out-of-range and malformed numbers', () => {
    for (const [flag, value, expected] of [
      ['--epochs', '0', 'an integer from 1'], ['--epochs', '2.5', 'an integer from 1'], ['--epochs', 'Infinity', 'an integer'], ['--epochs', '1e7', 'an integer from 1 to 1000000'],
      ['--batch-size', '-32', 'an integer from 1'], ['--batch-size', '0x20', 'an integer'], ['--seed', '-1', 'an integer from 0'], ['--seed', '1.5', 'an integer from 0'],
      ['--lr', 'NaN', 'a finite number > 0'], ['--lr', '0', 'a finite number > 0'], ['--lr', '-1e-3', 'a finite number > 0'], ['--lr', '1e400', 'a finite number > 0'],
      ['--weight-decay', '-0.1', 'a finite number >= 0'], ['--weight-decay', '', 'a finite number >= 0'], ['--limit-train', ' ', 'an integer'],
      ['--stop-after', '1,5', 'an integer'], ['--log-every', '-1', 'a finite number >= 0'],
    ]) {
      fails([`${flag}=${value}`], new RegExp(`^${flag} must be ${expected}.*, got '${value}'`));
    }
  });

  it('refuses missing values, values for switches, and unknown choices with a suggestion', () => {
    fails(['--epochs'], /^--epochs needs a value/);
    fails(['--epochs', '--lr', '1'], /^--epochs needs a value/);
    fails(['--out'], /^--out needs a value/);
    fails(['--data='], /^--data must be a path, got ''/);
    fails(['--resume=yes'], /^--resume takes no value, got '--resume=yes'/);
    fails(['--conv-tuning', 'benchmarks'], /^--conv-tuning must be one of rule, benchmark, off, got 'benchmarks' \(did you mean 'benchmark'\?\)/);
    fails(['--conv-tuning', 'fast'], /^--conv-tuning must be one of rule, benchmark, off, got 'fast'\n/);
    fails(['--model', 'resnet-20'], /^--model must be one of fmnist-cnn, lenet5, resnet20, got 'resnet-20' \(did you mean 'resnet20'\?\)/);
    fails(['--optimizer', 'Adam'], /did you mean 'adam'/);
    fails(['--device', 'gpu'], /^--device must be one of cpu, webgpu, got 'gpu'/);
    fails(['--device', 'webgp'], /^--device must be one of cpu, webgpu, got 'webgp' \(did you mean 'webgpu'\?\)/);
  });
});
