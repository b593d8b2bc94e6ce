// The page's run settings: the training job's defaults (same model, seed, batch size, optimizer
// and schedule), changed by query parameters (?limitTrain=2048&steps=200&threads=1&device=webgpu...): how
// the CI test runs a short training, and how a user can.
import type { Device } from '@tensorgrad/core';
import { DEFAULTS, DEVICES, type ModelName, MODELS } from '@tensorgrad/examples/train/options';
import type { RunConfig } from '@tensorgrad/examples/train/session';

export interface PageConfig extends RunConfig {
  /** Stop after this many steps in all (default: every step of every epoch). */
  maxSteps?: number;
  /** Evaluate on the test images every this many steps (default: once per epoch) and at the end. */
  evalEvery?: number;
}

/** Settings of the page itself, not of the computation. */
export interface PageSettings {
  config: PageConfig;
  /** Threads to start with (2 needs cross-origin isolation). */
  threads: 1 | 2;
  /** Start training as soon as the data is loaded. */
  autostart: boolean;
  /** Where to train first ('webgpu' needs an adapter; the page's selector moves the run later). */
  device: Device;
}

export const DEFAULT_CONFIG: PageConfig = {
  model: DEFAULTS.model, epochs: DEFAULTS.epochs, batchSize: DEFAULTS.batchSize, lr: DEFAULTS.lr,
  optimizer: DEFAULTS.optimizer, weightDecay: DEFAULTS.weightDecay, seed: DEFAULTS.seed,
};

const INTEGERS = { epochs: [1, 1e6], batchSize: [1, 1 << 16], seed: [0, 2 ** 52], limitTrain: [1, 60000], limitTest: [1, 10000], steps: [1, 1e9], evalEvery: [1, 1e9] } as const;
const KNOWN = [...Object.keys(INTEGERS), 'lr', 'weightDecay', 'optimizer', 'model', 'threads', 'autostart', 'device'];

/** Reads the settings from query parameters; throws an Error naming a bad or unknown one. */
export function settingsFromParams(params: URLSearchParams): PageSettings {
  for (const key of params.keys()) if (!KNOWN.includes(key)) throw new Error(`unknown query parameter '${key}'; known: ${KNOWN.join(', ')}`);
  const config: PageConfig = { ...DEFAULT_CONFIG };
  const int = (key: keyof typeof INTEGERS): number | undefined => {
    const text = params.get(key);
    if (text === null) return undefined;
    const [min, max] = INTEGERS[key];
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`query parameter ${key} must be an integer from ${min} to ${max}, got '${text}'`);
    return n;
  };
  const positive = (key: 'lr' | 'weightDecay', allowZero: boolean): number | undefined => {
    const text = params.get(key);
    if (text === null) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`query parameter ${key} must be a finite number ${allowZero ? '>=' : '>'} 0, got '${text}'`);
    return n;
  };
  const set = <K extends keyof PageConfig>(key: K, value: PageConfig[K] | undefined): void => {
    if (value !== undefined) config[key] = value;
  };
  set('epochs', int('epochs'));
  set('batchSize', int('batchSize'));
  set('seed', int('seed'));
  set('limitTrain', int('limitTrain'));
  set('limitTest', int('limitTest'));
  set('maxSteps', int('steps'));
  set('evalEvery', int('evalEvery'));
  set('lr', positive('lr', false));
  set('weightDecay', positive('weightDecay', true));
  const optimizer = params.get('optimizer');
  if (optimizer !== null) {
    if (optimizer !== 'adam' && optimizer !== 'sgd') throw new Error(`query parameter optimizer must be adam or sgd, got '${optimizer}'`);
    config.optimizer = optimizer;
  }
  const model = params.get('model');
  if (model !== null) {
    if (!MODELS.includes(model as ModelName)) throw new Error(`query parameter model must be one of ${MODELS.join(', ')}, got '${model}'`);
    config.model = model as ModelName;
  }
  const threads = params.get('threads') ?? '2';
  if (threads !== '1' && threads !== '2') throw new Error(`query parameter threads must be 1 or 2, got '${threads}'`);
  const autostart = params.get('autostart') ?? '0';
  if (autostart !== '0' && autostart !== '1') throw new Error(`query parameter autostart must be 0 or 1, got '${autostart}'`);
  const device = params.get('device') ?? 'cpu';
  if (!DEVICES.includes(device as Device)) throw new Error(`query parameter device must be one of ${DEVICES.join(', ')}, got '${device}'`);
  return { config, threads: Number(threads) as 1 | 2, autostart: autostart === '1', device: device as Device };
}
