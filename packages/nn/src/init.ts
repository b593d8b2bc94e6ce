// PyTorch's torch.nn.init: each function fills a tensor in place (and returns it) from a
// seedable generator, with PyTorch's fan computations and gains.
import { ArgumentError, type Generator, ShapeError, Tensor, checkNumber, checkOptions, defaultGenerator, optionKeys } from '@tensorgrad/core';
import { checkGenerator, show } from './check.js';

/** The nonlinearities `calculateGain` knows (torch.nn.init.calculate_gain's names). */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
/**
 * Whether Kaiming init preserves the variance of the forward pass ('fan_in') or of the backward
 * pass ('fan_out').
 */
export type FanMode = 'fan_in' | 'fan_out';

/** Options of the random init functions. */
export interface RandomInit {
  /** Generator to draw from (default: core's default generator). */
  generator?: Generator;
}

const RANDOM_INIT_OPTIONS = optionKeys<RandomInit>()(['generator']);

/** Options of `kaimingUniform` / `kaimingNormal` (torch.nn.init's, PyTorch's defaults). */
export interface KaimingOptions extends RandomInit {
  /** Negative slope of the leaky ReLU that follows (only with nonlinearity 'leaky_relu'). */
  a?: number;
  /** 'fan_in' (default) or 'fan_out'. */
  mode?: FanMode;
  /** The nonlinearity that follows, for its gain (default 'leaky_relu', with `a` 0 that is ReLU's √2). */
  nonlinearity?: Nonlinearity;
}

const KAIMING_OPTIONS = optionKeys<KaimingOptions>()(['a', 'mode', 'nonlinearity', 'generator']);

/** fan_in = size(1)·receptive field, fan_out = size(0)·receptive field (weights are [out, in, ...]). */
export function calculateFanInAndFanOut(t: Tensor): {
  /** Inputs feeding each output: size(1)·receptive field. */
  fanIn: number;
  /** Outputs each input feeds: size(0)·receptive field. */
  fanOut: number;
} {
  checkTensor('init.calculateFanInAndFanOut', t);
  if (t.ndim < 2) {
    throw new ShapeError(`init: fan in and fan out need a tensor with at least 2 dims, got shape [${t.shape.join(',')}]`);
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** The gain that keeps activations' variance stable through the nonlinearity (calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

function checkTensor(fn: string, t: unknown): void {
  if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: t must be a Tensor, got ${show(t)}`);
}

/** The generator of checked RandomInit options (the default one when absent). */
function generatorOf(fn: string, options: RandomInit, accepted: readonly string[] = RANDOM_INIT_OPTIONS): Generator {
  checkOptions(fn, options, accepted);
  checkGenerator(fn, options.generator);
  return options.generator ?? defaultGenerator;
}

function fill(t: Tensor, sample: () => number): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = sample();
  return t.markModified();
}

/** Fills t in place with U(low, high) draws (default U(0, 1)) and returns it; as torch.nn.init.uniform_. */
export function uniform(t: Tensor, low = 0, high = 1, options: RandomInit = {}): Tensor {
  checkTensor('init.uniform', t);
  const generator = generatorOf('init.uniform', options);
  checkNumber('init.uniform', 'low', low);
  checkNumber('init.uniform', 'high', high);
  if (!(low <= high)) throw new ArgumentError(`init.uniform: low must be ≤ high, got ${low} and ${high}`);
  return fill(t, () => generator.uniform(low, high));
}

/** Fills t in place with N(mean, std²) draws (default N(0, 1)) and returns it; as torch.nn.init.normal_. */
export function normal(t: Tensor, mean = 0, std = 1, options: RandomInit = {}): Tensor {
  checkTensor('init.normal', t);
  const generator = generatorOf('init.normal', options);
  checkNumber('init.normal', 'mean', mean);
  checkNumber('init.normal', 'std', std, { min: 0 });
  return fill(t, () => generator.normal(mean, std));
}

/** Normal(mean, std) restricted to [a, b] (by rejection, exact for the truncated distribution). */
export function truncNormal(t: Tensor, mean = 0, std = 1, a = -2, b = 2, options: RandomInit = {}): Tensor {
  checkTensor('init.truncNormal', t);
  const generator = generatorOf('init.truncNormal', options);
  checkNumber('init.truncNormal', 'mean', mean);
  [a, b].forEach((v, i) => checkNumber('init.truncNormal', i === 0 ? 'a' : 'b', v));
  if (!(a < b) || !(std > 0)) throw new ArgumentError(`init.truncNormal: need a < b and std > 0, got a=${a}, b=${b}, std=${std}`);
  return fill(t, () => {
    for (;;) {
      const v = generator.normal(mean, std);
      if (v >= a && v <= b) return v;
    }
  });
}

/** Fills t in place with value and returns it; as torch.nn.init.constant_. */
export function constant(t: Tensor, value: number): Tensor {
  checkTensor('init.constant', t);
  if (typeof value !== 'number') throw new ArgumentError(`init.constant: value must be a number, got ${show(value)}`);
  t.data.fill(value);
  return t.markModified();
}

/** Fills t in place with 0 and returns it; as torch.nn.init.zeros_. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Fills t in place with 1 and returns it; as torch.nn.init.ones_. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

function kaimingStd(fn: string, t: Tensor, options: KaimingOptions): number {
  checkTensor(fn, t);
  generatorOf(fn, options, KAIMING_OPTIONS);
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  checkNumber(fn, 'a', a);
  if (mode !== 'fan_in' && mode !== 'fan_out') throw new ArgumentError(`${fn}: mode must be 'fan_in' or 'fan_out', got ${show(mode)}`);
  const fans = calculateFanInAndFanOut(t);
  const fan = mode === 'fan_in' ? fans.fanIn : fans.fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** U(-b, b) with b = gain·√(3 / fan) (He et al. 2015). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('init.kaimingUniform', t, options);
  return uniform(t, -bound, bound, { generator: options.generator });
}

/** N(0, std²) with std = gain / √fan (He et al. 2015). */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd('init.kaimingNormal', t, options), { generator: options.generator });
}

/** Options of `xavierUniform` / `xavierNormal`. */
export interface XavierOptions extends RandomInit {
  /** Scaling factor (default 1; `calculateGain` gives the usual ones). */
  gain?: number;
}

const XAVIER_OPTIONS = optionKeys<XavierOptions>()(['gain', 'generator']);

function xavierStd(fn: string, t: Tensor, options: XavierOptions): number {
  checkTensor(fn, t);
  generatorOf(fn, options, XAVIER_OPTIONS);
  const { gain = 1 } = options;
  checkNumber(fn, 'gain', gain, { min: 0 });
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/** U(-b, b) with b = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function xavierUniform(t: Tensor, options: XavierOptions = {}): Tensor {
  const bound = Math.sqrt(3) * xavierStd('init.xavierUniform', t, options);
  return uniform(t, -bound, bound, { generator: options.generator });
}

/** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)) (Glorot & Bengio 2010). */
export function xavierNormal(t: Tensor, options: XavierOptions = {}): Tensor {
  return normal(t, 0, xavierStd('init.xavierNormal', t, options), { generator: options.generator });
}

/**
 * PyTorch's default for Linear and Conv layers: weight kaiming-uniform with a = √5
 * (i.e. U(±1/√fan_in)), bias U(±1/√fan_in).
 */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null, options: RandomInit = {}): void {
  kaimingUniform(weight, { ...options, a: Math.sqrt(5) });
  if (bias !== null) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform(bias, -bound, bound, options);
  }
}
