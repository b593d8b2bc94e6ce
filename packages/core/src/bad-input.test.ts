// Bad calls a new user makes, across core's public API. Each must throw the right TensorError
// subclass with a message that starts with the function, names the argument, and says what was
// expected and what was given. None may run silently or die with a raw TypeError/RangeError.
import { expect } from 'chai';
import { AllocationError, ArgumentError, DTypeError, ShapeError, type TensorError } from './errors.js';
import * as tg from './index.js';
import { convWorkspace } from './backend/cpu/conv/workspace.js';
import { wasmAvailable, wasmScratch } from './backend/cpu/wasm/runtime.js';

type ErrorClass = new (...args: never[]) => TensorError;

interface BadCall {
  /** What the user did, as the test's label. */
  what: string;
  call: () => unknown;
  error: ErrorClass;
  /** The function the message must start with. */
  fn: string;
  /** The argument or option the message must name. */
  arg: string;
  /** What else the message must say (expected vs actual). */
  says?: RegExp;
}

const untyped = <F>(f: F) => f as unknown as (...args: unknown[]) => unknown;
const x4 = () => tg.randn([2, 3, 8, 8], { generator: new tg.Generator(1) });
const w3 = () => tg.randn([4, 3, 3, 3], { generator: new tg.Generator(2) });
const logits = () => tg.randn([2, 3], { generator: new tg.Generator(3) });
const labels = () => tg.tensor([0, 2], { dtype: 'int32' });

const strictOptions: BadCall[] = [
  { what: 'conv2d misspelt padding', call: () => tg.conv2d(x4(), w3(), null, { paddding: 1 } as never), error: ArgumentError, fn: 'conv2d', arg: 'paddding', says: /did you mean 'padding'\?\); accepted: stride, padding, dilation, groups, paddingMode$/ },
  { what: 'conv2d unknown paddingMode', call: () => tg.conv2d(x4(), w3(), null, { padding: 1, paddingMode: 'reflection' } as never), error: ArgumentError, fn: 'conv2d', arg: 'paddingMode', says: /must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'reflection' \(did you mean 'reflect'\?\)$/ },
  { what: "conv2d paddingMode 'constant' (F.pad's name)", call: () => tg.conv2d(x4(), w3(), null, { paddingMode: 'constant' } as never), error: ArgumentError, fn: 'conv2d', arg: 'paddingMode', says: /did you mean 'zeros'\?/ },
  { what: 'conv2d reflect padding as large as the input', call: () => tg.conv2d(x4(), w3(), null, { padding: [1, 8], paddingMode: 'reflect' }), error: ArgumentError, fn: 'conv2d', arg: 'reflect padding', says: /must be less than the size of the dim it pads, got dim 3 of size 8 \(pads \[8, 8\], x \[2,3,8,8\]\)/ },
  { what: 'conv2d circular padding wrapping twice', call: () => tg.conv2d(tg.ones([1, 3, 2, 2]), w3(), null, { padding: 3, paddingMode: 'circular' }), error: ArgumentError, fn: 'conv2d', arg: 'circular padding', says: /wraps around more than once/ },
  { what: "conv2d paddingMode with padding 'same' and a stride", call: () => tg.conv2d(x4(), w3(), null, { padding: 'same', stride: 2, paddingMode: 'replicate' }), error: ArgumentError, fn: 'conv2d', arg: 'padding', says: /'same' requires stride 1/ },
  { what: 'convMatrix paddingMode (its C is for zero padding)', call: () => tg.convMatrix([3, 8, 8], w3(), { paddingMode: 'reflect' } as never), error: ArgumentError, fn: 'convMatrix', arg: 'paddingMode', says: /accepted: stride, padding, dilation, groups$/ },
  { what: 'conv2d options without bias', call: () => tg.conv2d(x4(), w3(), { strides: 2 } as never), error: ArgumentError, fn: 'conv2d', arg: 'strides', says: /did you mean 'stride'/ },
  { what: 'conv2d options not an object', call: () => untyped(tg.conv2d)(x4(), w3(), null, 'same'), error: ArgumentError, fn: 'conv2d', arg: 'options' },
  { what: 'convTranspose2d snake_case', call: () => tg.convTranspose2d(x4(), tg.randn([3, 2, 3, 3]), null, { output_padding: 1 } as never), error: ArgumentError, fn: 'convTranspose2d', arg: 'output_padding', says: /did you mean 'outputPadding'/ },
  { what: 'convMatrix misspelt option', call: () => tg.convMatrix([1, 4, 4], tg.ones([1, 1, 3, 3]), { dilaton: 2 } as never), error: ArgumentError, fn: 'convMatrix', arg: 'dilaton', says: /did you mean 'dilation'/ },
  { what: 'maxPool2d kernel_size', call: () => untyped(tg.maxPool2d)(x4(), { kernel_size: 2 }), error: ArgumentError, fn: 'maxPool2d', arg: 'kernel_size', says: /did you mean 'kernelSize'\?/ },
  { what: 'maxPool2d without kernelSize', call: () => untyped(tg.maxPool2d)(x4(), { stride: 2 }), error: ArgumentError, fn: 'maxPool2d', arg: 'kernelSize', says: /is required: an integer >= 1 or a pair \[h, w\] of them, got undefined/ },
  { what: 'maxPool2d ceil_mode', call: () => untyped(tg.maxPool2d)(x4(), { kernelSize: 2, ceil_mode: true }), error: ArgumentError, fn: 'maxPool2d', arg: 'ceil_mode', says: /did you mean 'ceilMode'/ },
  { what: 'maxPool2d ceilMode not a boolean', call: () => untyped(tg.maxPool2d)(x4(), { kernelSize: 2, ceilMode: 'yes' }), error: ArgumentError, fn: 'maxPool2d', arg: 'ceilMode', says: /must be true or false, got string yes/ },
  { what: 'avgPool2d count_include_pad', call: () => untyped(tg.avgPool2d)(x4(), { kernelSize: 2, count_include_pad: false }), error: ArgumentError, fn: 'avgPool2d', arg: 'count_include_pad', says: /did you mean 'countIncludePad'/ },
  { what: 'avgPool2d dilation (PyTorch has none)', call: () => untyped(tg.avgPool2d)(x4(), { kernelSize: 2, dilation: 2 }), error: ArgumentError, fn: 'avgPool2d', arg: 'dilation', says: /accepted: kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride/ },
  { what: 'avgPool2d countIncludePad not a boolean', call: () => untyped(tg.avgPool2d)(x4(), { kernelSize: 2, countIncludePad: 0 }), error: ArgumentError, fn: 'avgPool2d', arg: 'countIncludePad', says: /must be true or false, got 0/ },
  { what: 'adaptiveMaxPool2d return_indices', call: () => untyped(tg.adaptiveMaxPool2d)(x4(), 2, { return_indices: true }), error: ArgumentError, fn: 'adaptiveMaxPool2d', arg: 'return_indices', says: /did you mean 'returnIndices'/ },
  { what: 'batchNorm misspelt momentum', call: () => tg.batchNorm(x4(), null, null, null, null, { momentun: 0.1 } as never), error: ArgumentError, fn: 'batchNorm', arg: 'momentun', says: /did you mean 'momentum'/ },
  { what: 'batchNorm training not a boolean', call: () => untyped(tg.batchNorm)(x4(), null, null, null, null, { training: 1 }), error: ArgumentError, fn: 'batchNorm', arg: 'training', says: /must be true or false, got 1/ },
  { what: 'batchNorm NaN momentum', call: () => tg.batchNorm(x4(), null, null, null, null, { momentum: NaN }), error: ArgumentError, fn: 'batchNorm', arg: 'momentum', says: /must be a finite number >= 0 and <= 1, got NaN/ },
  { what: 'batchNorm infinite eps', call: () => tg.batchNorm(x4(), null, null, null, null, { eps: Infinity }), error: ArgumentError, fn: 'batchNorm', arg: 'eps', says: /must be a finite number > 0, got Infinity/ },
  { what: 'localResponseNorm alfa', call: () => tg.localResponseNorm(x4(), 3, { alfa: 1e-4 } as never), error: ArgumentError, fn: 'localResponseNorm', arg: 'alfa', says: /did you mean 'alpha'/ },
  { what: 'localResponseNorm NaN beta', call: () => tg.localResponseNorm(x4(), 3, { beta: NaN }), error: ArgumentError, fn: 'localResponseNorm', arg: 'beta', says: /must be a finite number, got NaN/ },
  { what: 'dropout misspelt training', call: () => tg.dropout(x4(), 0.5, { trainig: false } as never), error: ArgumentError, fn: 'dropout', arg: 'trainig', says: /did you mean 'training'/ },
  { what: 'dropout generator not a Generator', call: () => tg.dropout(x4(), 0.5, { generator: {} as never }), error: ArgumentError, fn: 'dropout', arg: 'generator', says: /must be a Generator, got object/ },
  { what: 'dropout NaN seed', call: () => tg.dropout(x4(), 0.5, { seed: NaN }), error: ArgumentError, fn: 'Generator', arg: 'seed', says: /got NaN/ },
  { what: 'crossEntropy label_smoothing', call: () => tg.crossEntropy(logits(), labels(), { label_smoothing: 0.1 } as never), error: ArgumentError, fn: 'crossEntropy', arg: 'label_smoothing', says: /did you mean 'labelSmoothing'/ },
  { what: 'crossEntropy weight as an array', call: () => tg.crossEntropy(logits(), labels(), { weight: [1, 2, 3] as never }), error: ArgumentError, fn: 'crossEntropy', arg: 'weight', says: /must be a Tensor or null, got an Array/ },
  { what: 'nllLoss ignore_index', call: () => tg.nllLoss(logits(), labels(), { ignore_index: 1 } as never), error: ArgumentError, fn: 'nllLoss', arg: 'ignore_index', says: /did you mean 'ignoreIndex'/ },
  { what: 'mseLoss reduce (old PyTorch name)', call: () => tg.mseLoss(logits(), logits(), { reduce: false } as never), error: ArgumentError, fn: 'mseLoss', arg: 'reduce', says: /accepted: reduction/ },
  { what: 'binaryCrossEntropyWithLogits pos_weight', call: () => tg.binaryCrossEntropyWithLogits(logits(), tg.rand([2, 3]), { pos_weight: tg.ones([3]) } as never), error: ArgumentError, fn: 'binaryCrossEntropyWithLogits', arg: 'pos_weight', says: /did you mean 'posWeight'/ },
  { what: 'binaryCrossEntropyWithLogits posWeight a number', call: () => tg.binaryCrossEntropyWithLogits(logits(), tg.rand([2, 3]), { posWeight: 2 as never }), error: ArgumentError, fn: 'binaryCrossEntropyWithLogits', arg: 'posWeight', says: /must be a Tensor or null, got number/ },
  { what: 'tensor dytpe', call: () => tg.tensor([1, 2], { dytpe: 'float64' } as never), error: ArgumentError, fn: 'tensor', arg: 'dytpe', says: /did you mean 'dtype'\?\); accepted: shape, dtype, requiresGrad/ },
  { what: 'tensor requiresGrad a string', call: () => tg.tensor([1, 2], { requiresGrad: 'yes' as never }), error: ArgumentError, fn: 'tensor', arg: 'requiresGrad', says: /must be true or false, got string yes/ },
  { what: 'zeros requires_grad', call: () => tg.zeros([2], { requires_grad: true } as never), error: ArgumentError, fn: 'zeros', arg: 'requires_grad', says: /did you mean 'requiresGrad'/ },
  { what: 'ones options an array', call: () => untyped(tg.ones)([2], ['float64']), error: ArgumentError, fn: 'ones', arg: 'options', says: /must be an object .* got an array of length 1/ },
  { what: 'full dtyp', call: () => tg.full([2], 1, { dtyp: 'int32' } as never), error: ArgumentError, fn: 'full', arg: 'dtyp', says: /did you mean 'dtype'/ },
  { what: 'zerosLike devices (a typo of device)', call: () => tg.zerosLike(tg.ones([2]), { devices: 'cpu' } as never), error: ArgumentError, fn: 'zerosLike', arg: 'devices', says: /did you mean 'device'/ },
  { what: 'arange dtype typo', call: () => tg.arange(0, 3, 1, { dtyp: 'float64' } as never), error: ArgumentError, fn: 'arange', arg: 'dtyp', says: /did you mean 'dtype'/ },
  { what: 'randn seed (a generator option elsewhere)', call: () => tg.randn([2], { seed: 3 } as never), error: ArgumentError, fn: 'randn', arg: 'seed', says: /accepted: dtype, requiresGrad, device, generator/ },
  { what: 'rand generator not a Generator', call: () => tg.rand([2], { generator: { random: Math.random } as never }), error: ArgumentError, fn: 'rand', arg: 'generator', says: /must be a Generator, got Object/ },
  { what: 'ones unknown dtype', call: () => tg.ones([2], { dtype: 'float16' as never }), error: DTypeError, fn: 'ones', arg: 'dtype', says: /must be 'float32', 'float64' or 'int32', got float16/ },
];

const allocations: BadCall[] = [
  { what: 'zeros([1e5, 1e5])', call: () => tg.zeros([1e5, 1e5]), error: AllocationError, fn: 'zeros', arg: 'shape [100000,100000]', says: /float32 .* \(10000000000 elements, 40\.0 GB\): one tensor holds at most 2\^31-1 elements \(8\.6 GB of float32\)$/ },
  { what: 'a matmul with a 40 GB result', call: () => tg.matmul(tg.zeros([100000, 1]), tg.zeros([1, 100000])), error: AllocationError, fn: 'matmul', arg: 'shape [100000,100000]', says: /40\.0 GB/ },
  { what: 'conv2d with padding 100000', call: () => tg.conv2d(tg.ones([1, 1, 4, 4]), tg.ones([1, 1, 3, 3]), null, { padding: 100000 }), error: AllocationError, fn: 'conv2d', arg: 'shape [1,1,200002,200002]', says: /160\.0 GB/ },
  { what: 'convTranspose2d with stride 100000', call: () => tg.convTranspose2d(tg.ones([1, 1, 4, 4]), tg.ones([1, 1, 3, 3]), null, { stride: 100000 }), error: AllocationError, fn: 'convTranspose2d', arg: 'shape [1,1,300003,300003]' },
  { what: 'pad by 100000 on every side', call: () => tg.pad(tg.ones([1, 1, 2, 2]), [1e5, 1e5, 1e5, 1e5]), error: AllocationError, fn: 'pad', arg: 'shape [1,1,200002,200002]' },
  { what: 'broadcastTo a huge shape', call: () => tg.broadcastTo(tg.ones([1]), [1e5, 1e5]), error: AllocationError, fn: 'broadcastTo', arg: 'shape [100000,100000]' },
  { what: 'add broadcasting to a huge result', call: () => tg.add(tg.ones([100000, 1]), tg.ones([1, 100000])), error: AllocationError, fn: 'add', arg: 'shape [100000,100000]' },
  { what: 'randn float64 over the element limit', call: () => tg.randn([3e4, 3e4, 3], { dtype: 'float64' }), error: AllocationError, fn: 'randn', arg: 'shape [30000,30000,3]', says: /float64 .*21\.6 GB.*17\.2 GB of float64/ },
  { what: 'full over the element limit', call: () => tg.full([2 ** 31], 1), error: AllocationError, fn: 'full', arg: 'shape [2147483648]' },
  { what: 'zeros with a fractional size', call: () => tg.zeros([2.5]), error: ShapeError, fn: 'zeros', arg: 'shape', says: /must contain non-negative integers, got \[2\.5\]/ },
  { what: 'ones with a negative size', call: () => tg.ones([3, -1]), error: ShapeError, fn: 'ones', arg: 'shape', says: /got \[3,-1\]/ },
  { what: 'zeros with a number for the shape', call: () => untyped(tg.zeros)(3), error: ShapeError, fn: 'zeros', arg: 'shape', says: /must be an array of non-negative integers, got number 3/ },
  { what: 'new Tensor with a negative shape', call: () => new tg.Tensor(new Float32Array(2), [-1, -2]), error: ShapeError, fn: 'Tensor', arg: 'shape', says: /got \[-1,-2\]/ },
  { what: 'arange to NaN', call: () => tg.arange(NaN), error: ArgumentError, fn: 'arange', arg: 'end', says: /must be a finite number, got NaN/ },
  { what: 'arange with step Infinity', call: () => tg.arange(0, 10, Infinity), error: ArgumentError, fn: 'arange', arg: 'step', says: /got Infinity/ },
];

const values: BadCall[] = [
  { what: 'new Generator(NaN)', call: () => new tg.Generator(NaN), error: ArgumentError, fn: 'Generator', arg: 'seed', says: /must be an integer from -\(2\^53-1\) to 2\^53-1, got NaN$/ },
  { what: 'new Generator(1.5)', call: () => new tg.Generator(1.5), error: ArgumentError, fn: 'Generator', arg: 'seed', says: /got 1\.5$/ },
  { what: 'new Generator(2^60)', call: () => new tg.Generator(2 ** 60), error: ArgumentError, fn: 'Generator', arg: 'seed' },
  { what: 'generator.manualSeed(Infinity)', call: () => new tg.Generator(1).manualSeed(Infinity), error: ArgumentError, fn: 'Generator.manualSeed', arg: 'seed', says: /got Infinity/ },
  { what: 'manualSeed(NaN)', call: () => tg.manualSeed(NaN), error: ArgumentError, fn: 'manualSeed', arg: 'seed', says: /got NaN/ },
  { what: 'manualSeed with a bigint', call: () => untyped(tg.manualSeed)(5n), error: ArgumentError, fn: 'manualSeed', arg: 'seed', says: /got the bigint 5n \(pass a number\)/ },
  { what: 'setState of all zeros (a stuck generator)', call: () => new tg.Generator(1).setState([0, 0, 0, 0, NaN]), error: ArgumentError, fn: 'Generator.setState', arg: 'state' },
  { what: 'tensor([1.5, NaN, 3e10], int32)', call: () => tg.tensor([1.5, NaN, 3e10], { dtype: 'int32' }), error: DTypeError, fn: 'tensor', arg: 'data[1]', says: /= NaN cannot be stored as int32/ },
  { what: 'tensor int32 overflow', call: () => tg.tensor([[1, 2], [3, 3e10]], { dtype: 'int32' }), error: DTypeError, fn: 'tensor', arg: 'data[3] (flat index)', says: /= 30000000000 cannot be stored as int32 \(finite values from -2147483648 to 2147483647/ },
  { what: 'tensor of a float typed array as int32', call: () => tg.tensor(new Float64Array([1, -Infinity]), { dtype: 'int32' }), error: DTypeError, fn: 'tensor', arg: 'data[1]', says: /= -Infinity/ },
  { what: 'full int32 with NaN', call: () => tg.full([2], NaN, { dtype: 'int32' }), error: DTypeError, fn: 'full', arg: 'value', says: /= NaN cannot be stored as int32/ },
  { what: 'arange int32 past 2^31-1', call: () => tg.arange(2147483640, 2147483650), error: DTypeError, fn: 'arange', arg: 'the last value', says: /= 2147483649 cannot be stored as int32/ },
  { what: 'cast NaN to int32', call: () => tg.cast(tg.tensor([1, NaN]), 'int32'), error: DTypeError, fn: 'cast', arg: 'x[1]', says: /= NaN cannot be stored as int32/ },
  { what: 'cast 3e10 to int32', call: () => tg.cast(tg.tensor([3e10], { dtype: 'float64' }), 'int32'), error: DTypeError, fn: 'cast', arg: 'x', says: /= 30000000000/ },
  { what: 'conv2d with 0 input channels', call: () => tg.conv2d(tg.ones([1, 0, 4, 4]), tg.ones([2, 0, 3, 3])), error: ShapeError, fn: 'conv2d', arg: 'input x', says: /has 0 channels; a convolution needs at least 1 \(x \[1,0,4,4\], weight \[2,0,3,3\], groups 1\)/ },
  { what: 'conv2d with 0 output channels', call: () => tg.conv2d(tg.ones([1, 2, 4, 4]), tg.ones([0, 2, 3, 3])), error: ShapeError, fn: 'conv2d', arg: 'weight', says: /0 output channels/ },
  { what: 'conv2d with a 0-high kernel', call: () => tg.conv2d(tg.ones([1, 2, 4, 4]), tg.ones([3, 2, 0, 3])), error: ArgumentError, fn: 'conv2d', arg: 'kernelSize', says: /must be an integer >= 1 .* got \[0,3\]/ },
  { what: 'convTranspose2d with 0 output channels', call: () => tg.convTranspose2d(tg.ones([1, 2, 4, 4]), tg.ones([2, 0, 3, 3])), error: ShapeError, fn: 'convTranspose2d', arg: 'weight [2,0,3,3]', says: /no input or output channels/ },
  { what: 'maxPool2d over 0 channels', call: () => tg.maxPool2d(tg.ones([1, 0, 4, 4]), 2), error: ShapeError, fn: 'maxPool2d', arg: 'x [1,0,4,4]', says: /only the batch dim may be 0/ },
  { what: 'adaptiveAvgPool2d over an empty plane', call: () => tg.adaptiveAvgPool2d(tg.ones([1, 2, 0, 4]), 2), error: ShapeError, fn: 'adaptiveAvgPool2d', arg: 'x [1,2,0,4]' },
  { what: 'dropout(x, NaN)', call: () => tg.dropout(x4(), NaN), error: ArgumentError, fn: 'dropout', arg: 'p', says: /must be a probability in \[0, 1\], got NaN/ },
  { what: 'leakyRelu with a NaN slope', call: () => tg.leakyRelu(x4(), NaN), error: ArgumentError, fn: 'leakyRelu', arg: 'negativeSlope', says: /must be a finite number, got NaN/ },
  { what: 'elu with alpha Infinity', call: () => tg.elu(x4(), Infinity), error: ArgumentError, fn: 'elu', arg: 'alpha', says: /got Infinity/ },
  { what: 'softplus with beta 0', call: () => tg.softplus(x4(), 0), error: ArgumentError, fn: 'softplus', arg: 'beta', says: /must be non-zero .* got 0/ },
  { what: 'layerNorm with eps NaN', call: () => tg.layerNorm(x4(), 8, null, null, NaN), error: ArgumentError, fn: 'layerNorm', arg: 'eps', says: /must be a finite number > 0, got NaN/ },
];

const shapesAndArguments: BadCall[] = [
  { what: 'maxPool2d kernelSize 0', call: () => tg.maxPool2d(x4(), 0), error: ArgumentError, fn: 'maxPool2d', arg: 'kernelSize', says: /must be an integer >= 1 .* got 0/ },
  { what: 'maxPool2d stride 0', call: () => tg.maxPool2d(x4(), { kernelSize: 2, stride: 0 }), error: ArgumentError, fn: 'maxPool2d', arg: 'stride', says: /got 0/ },
  { what: 'conv2d stride 0', call: () => tg.conv2d(x4(), w3(), null, { stride: 0 }), error: ArgumentError, fn: 'conv2d', arg: 'stride', says: /must be an integer >= 1 .* got 0/ },
  { what: 'conv2d fractional padding', call: () => tg.conv2d(x4(), w3(), null, { padding: 0.5 }), error: ArgumentError, fn: 'conv2d', arg: 'padding', says: /must be an integer >= 0 .* got 0\.5/ },
  { what: 'conv2d groups not dividing the channels', call: () => tg.conv2d(x4(), w3(), null, { groups: 2 }), error: ShapeError, fn: 'conv2d', arg: 'groups 2', says: /must divide the input channels, but input x has 3 channels/ },
  { what: 'conv2d on a 2-D input', call: () => tg.conv2d(tg.ones([3, 8]), w3()), error: ShapeError, fn: 'conv2d', arg: 'input x', says: /must be 4-D \[N, C, H, W\] or 3-D \[C, H, W\], got shape \[3,8\]/ },
  { what: 'conv2d on int32 input', call: () => tg.conv2d(tg.ones([1, 3, 4, 4], { dtype: 'int32' }), w3()), error: DTypeError, fn: 'conv2d', arg: 'input x', says: /floating-point .* got int32/ },
  { what: 'conv2d kernel larger than the input', call: () => tg.conv2d(tg.ones([1, 3, 2, 2]), w3()), error: ShapeError, fn: 'conv2d', arg: 'kernel height', says: /larger than the padded input height 2/ },
  { what: 'reshape to an incompatible size', call: () => tg.reshape(x4(), [5, 5]), error: ShapeError, fn: 'reshape', arg: 'x [2,3,8,8]', says: /\(384 elements\) to \[5,5\]/ },
  { what: 'reshape with a fractional size', call: () => tg.reshape(tg.ones([3]), [1.5, 2]), error: ShapeError, fn: 'reshape', arg: 'target shape [1.5,2]' },
  { what: 'permute with a repeated axis', call: () => tg.permute(x4(), [0, 0, 1, 2]), error: ArgumentError, fn: 'permute', arg: 'dims', says: /got \[0,0,1,2\] \(a dim is repeated\)/ },
  { what: 'permute with too few axes', call: () => tg.permute(x4(), [1, 0]), error: ArgumentError, fn: 'permute', arg: 'dims', says: /each of x's 4 dims once, got \[1,0\]/ },
  { what: 'concat of mismatched shapes', call: () => tg.concat([tg.ones([2, 3]), tg.ones([2, 4])], 0), error: ShapeError, fn: 'concat', arg: 'xs[1]', says: /has shape \[2,4\] but xs\[0\] has \[2,3\]/ },
  { what: 'concat of nothing', call: () => tg.concat([]), error: ArgumentError, fn: 'concat', arg: 'xs', says: /at least one tensor, got an empty list/ },
  { what: 'crossEntropy with class 5 of 3', call: () => tg.crossEntropy(logits(), tg.tensor([0, 5], { dtype: 'int32' })), error: ArgumentError, fn: 'crossEntropy', arg: 'target class 5', says: /at flat index 1 is out of range \[0, 3\)/ },
  { what: 'crossEntropy with a negative class', call: () => tg.crossEntropy(logits(), tg.tensor([-3, 0], { dtype: 'int32' })), error: ArgumentError, fn: 'crossEntropy', arg: 'target class -3' },
  { what: 'crossEntropy with float labels of the wrong shape', call: () => tg.crossEntropy(logits(), tg.tensor([0, 1])), error: ShapeError, fn: 'crossEntropy', arg: 'target', says: /pass an int32 target of shape \[2\]/ },
  { what: 'crossEntropy labelSmoothing 2', call: () => tg.crossEntropy(logits(), labels(), { labelSmoothing: 2 }), error: ArgumentError, fn: 'crossEntropy', arg: 'labelSmoothing', says: /must be in \[0, 1\], got 2/ },
  { what: 'crossEntropy reduction avg', call: () => tg.crossEntropy(logits(), labels(), { reduction: 'avg' as never }), error: ArgumentError, fn: 'crossEntropy', arg: 'reduction', says: /'mean', 'sum' or 'none', got "avg"/ },
  { what: 'nllLoss with float targets', call: () => tg.nllLoss(logits(), tg.tensor([0, 1])), error: DTypeError, fn: 'nllLoss', arg: 'target', says: /int32 class indices, got float32/ },
  { what: 'mseLoss of mismatched shapes', call: () => tg.mseLoss(logits(), tg.ones([3, 2])), error: ShapeError, fn: 'mseLoss', arg: 'target shape [3,2]', says: /must match input shape \[2,3\]/ },
  { what: 'softmax over a fractional dim', call: () => tg.softmax(x4(), 1.5), error: ArgumentError, fn: 'softmax', arg: 'dim', says: /integer in \[-4, 3\] .* got 1\.5/ },
  { what: 'sum over a dim out of range', call: () => tg.sum(x4(), 4), error: ArgumentError, fn: 'sum', arg: 'dim', says: /got 4/ },
  { what: 'pad by a fraction', call: () => tg.pad(x4(), [1.5, 1]), error: ArgumentError, fn: 'pad', arg: 'pads', says: /must be integers, got \[1\.5,1\]/ },
  { what: 'pad in an unknown mode', call: () => tg.pad(x4(), [1, 1], 'edge' as never), error: ArgumentError, fn: 'pad', arg: 'mode', says: /must be one of 'constant', 'reflect', 'replicate', 'circular', got 'edge' \(did you mean 'replicate'\?\)$/ },
  { what: 'pad options misspelt', call: () => tg.pad(x4(), [1, 1], { mdoe: 'reflect' } as never), error: ArgumentError, fn: 'pad', arg: 'mdoe', says: /did you mean 'mode'\?\); accepted: mode, value$/ },
  { what: 'reflect padding as large as the dim', call: () => tg.pad(x4(), [1, 1, 8, 0], 'reflect'), error: ArgumentError, fn: 'pad', arg: 'reflect padding', says: /must be less than the size of the dim it pads, got dim 2 of size 8 \(pads \[8, 0\], x \[2,3,8,8\]\)$/ },
  { what: 'circular padding of a dim wrapping twice', call: () => tg.pad(tg.ones([1, 1, 3]), [4, 0], 'circular'), error: ArgumentError, fn: 'pad', arg: 'circular padding', says: /at most the size of the dim it pads \(after cropping: 3\), or it wraps around more than once; got dim 2 of size 3/ },
  { what: 'circular pad of 2 dims on a 3-D input (PyTorch 1.13 wants [N, C, H, W])', call: () => tg.pad(tg.ones([3, 4, 4]), [1, 1, 1, 1], 'circular'), error: ArgumentError, fn: 'pad', arg: "mode 'circular'", says: /with 4 pads needs a 4-D \[N, C, H, W\] input \(as PyTorch 1\.13\), got 4 pads \(\[1,1,1,1\]\) for x \[3,4,4\]$/ },
  { what: 'replicate pad of the last dim of a 1-D input', call: () => tg.pad(tg.ones([4]), [1, 1], 'replicate'), error: ArgumentError, fn: 'pad', arg: "mode 'replicate'", says: /needs a 2-D or 3-D \[\(N,\) C, W\] input/ },
  { what: 'replicate pad of an empty dim', call: () => tg.pad(tg.ones([1, 0]), [1, 1], 'replicate'), error: ArgumentError, fn: 'pad', arg: 'replicate padding', says: /needs a non-empty dim to read from/ },
  { what: 'reflect pad cropping everything', call: () => tg.pad(tg.ones([1, 3]), [-2, -1], 'reflect'), error: ArgumentError, fn: 'pad', arg: 'negative padding', says: /leaves 0 entries; reflect padding needs at least 1/ },
  { what: 'reflect pad with a value', call: () => tg.pad(x4(), [1, 1], 'reflect', 2), error: ArgumentError, fn: 'pad', arg: 'value', says: /mode 'reflect' takes no value/ },
  { what: 'slice with step 0', call: () => tg.slice(x4(), 1, 0, 3, 0), error: ArgumentError, fn: 'slice', arg: 'step', says: /must be a positive integer \(as in PyTorch\), got 0$/ },
  { what: 'slice with a negative step', call: () => tg.slice(x4(), 1, 3, 0, -1), error: ArgumentError, fn: 'slice', arg: 'step', says: /got -1$/ },
  { what: 'batchNorm with wrong-sized running stats', call: () => tg.batchNorm(x4(), tg.zeros([4]), tg.ones([4])), error: ShapeError, fn: 'batchNorm', arg: 'runningMean', says: /must have shape \[3\] .* got \[4\]/ },
  { what: 'localResponseNorm size 0', call: () => tg.localResponseNorm(x4(), 0), error: ArgumentError, fn: 'localResponseNorm', arg: 'size', says: /positive integer, got 0/ },
  { what: 'avgPool2d divisorOverride 0', call: () => tg.avgPool2d(x4(), { kernelSize: 2, divisorOverride: 0 }), error: ArgumentError, fn: 'avgPool2d', arg: 'divisorOverride', says: /positive integer, got 0/ },
  { what: 'maxPool2d padding over half the kernel', call: () => tg.maxPool2d(x4(), { kernelSize: 2, padding: 2 }), error: ArgumentError, fn: 'maxPool2d', arg: 'padding', says: /at most half the kernel size/ },
  { what: 'matmul of mismatched inner dims', call: () => tg.matmul(tg.ones([2, 3]), tg.ones([2, 3])), error: ShapeError, fn: 'matmul', arg: 'inner dimensions', says: /a \[2,3\] has 3 columns but b \[2,3\] has 2 rows/ },
  { what: 'add of a string', call: () => untyped(tg.add)(x4(), 'a'), error: ArgumentError, fn: 'add', arg: "argument 'b'", says: /got string/ },
  { what: 'exp of an int32 tensor', call: () => tg.exp(tg.arange(3)), error: DTypeError, fn: 'exp', arg: 'x', says: /floating-point .* got int32/ },
  { what: 'clamp with a NaN bound', call: () => tg.clamp(x4(), NaN), error: ArgumentError, fn: 'clamp', arg: 'min', says: /got NaN/ },
  { what: 'narrow with a fractional start', call: () => tg.narrow(x4(), 0, 0.5, 1), error: ArgumentError, fn: 'narrow', arg: 'start', says: /got 0\.5/ },
  { what: 'item of a tensor of 6', call: () => tg.ones([2, 3]).item(), error: ShapeError, fn: 'item', arg: 'tensor', says: /exactly one element, got shape \[2,3\]/ },
  { what: 'flatten from a fractional dim', call: () => tg.flatten(x4(), 1.5), error: ArgumentError, fn: 'flatten', arg: 'startDim', says: /must be an integer, got 1\.5/ },
  { what: 'broadcastTo a fractional shape', call: () => tg.broadcastTo(tg.ones([1]), [1.5]), error: ShapeError, fn: 'broadcastTo', arg: 'shape', says: /non-negative integers, got \[1\.5\]/ },
  { what: 'copy_ of NaN into an int32 tensor', call: () => tg.zeros([2], { dtype: 'int32' }).copy_(tg.tensor([1, NaN])), error: DTypeError, fn: 'copy_', arg: 'src[1]', says: /= NaN cannot be stored as int32/ },
  { what: 'rand with dtype int32 (every draw would be 0)', call: () => tg.rand([2], { dtype: 'int32' }), error: DTypeError, fn: 'rand', arg: 'dtype', says: /'float32' or 'float64' .* got int32/ },
  { what: 'convMatrix with 0 input channels', call: () => tg.convMatrix([0, 4, 4], tg.ones([1, 0, 3, 3])), error: ShapeError, fn: 'convMatrix', arg: 'input', says: /got 0 and 1/ },
  { what: 'Generator.randint with NaN', call: () => new tg.Generator(1).randint(0, NaN), error: ArgumentError, fn: 'Generator.randint', arg: 'high', says: /integers low < high, got low 0, high NaN/ },
  { what: 'Generator.uniform with low > high', call: () => new tg.Generator(1).uniform(1, 0), error: ArgumentError, fn: 'Generator.uniform', arg: 'low', says: /finite low <= high, got low 1, high 0/ },
  { what: 'Generator.normal with a NaN std', call: () => new tg.Generator(1).normal(0, NaN), error: ArgumentError, fn: 'Generator.normal', arg: 'std', says: /got mean 0, std NaN/ },
  { what: 'Generator.permutation(-1)', call: () => new tg.Generator(1).permutation(-1), error: ArgumentError, fn: 'Generator.permutation', arg: 'n', says: /integer from 0 to 2\^31-1, got -1/ },
  { what: 'Generator.permutation(1.5)', call: () => new tg.Generator(1).permutation(1.5), error: ArgumentError, fn: 'Generator.permutation', arg: 'n', says: /got 1\.5/ },
  { what: 'setPoolLimit(NaN)', call: () => tg.setPoolLimit(NaN), error: ArgumentError, fn: 'setPoolLimit', arg: 'bytes', says: /got NaN/ },
];

describe('bad input to core: the error class, the function, the argument, expected vs given', () => {
  const groups: [string, BadCall[]][] = [
    ['strict options', strictOptions],
    ['allocations and shapes', allocations],
    ['values: seeds, int32 data, empty dims, hyperparameters', values],
    ['shapes and arguments', shapesAndArguments],
  ];
  for (const [title, cases] of groups) {
    describe(title, () => {
      for (const c of cases) {
        it(c.what, () => {
          let thrown: unknown;
          try {
            c.call();
          } catch (e) {
            thrown = e;
          }
          expect(thrown, 'no error was thrown').to.be.instanceOf(Error);
          const e = thrown as Error;
          expect(e, `${e.name}: ${e.message}`).to.be.instanceOf(c.error);
          expect(e.message.startsWith(`${c.fn}: `), e.message).to.equal(true);
          expect(e.message, 'names the argument').to.include(c.arg);
          if (c.says) expect(e.message).to.match(c.says);
        });
      }
    });
  }

  it('covers at least 70 bad calls', () => {
    expect(groups.reduce((n, [, cases]) => n + cases.length, 0)).to.be.at.least(70);
  });
});

describe('workspaces too large for memory fail like tensors (named by the public function on its way out)', () => {
  it('a conv workspace over the element limit throws an AllocationError before allocating', () => {
    expect(() => convWorkspace('float64', [2 ** 31])).to.throw(AllocationError, /^cannot allocate a float64 tensor of shape \[2147483648\] .*2\^31-1 elements/);
  });

  it('WebAssembly scratch past the module memory throws an AllocationError, not a RangeError from grow', function () {
    if (!wasmAvailable()) this.skip();
    expect(() => wasmScratch([2 ** 31])).to.throw(AllocationError, /^cannot allocate 8\.6 GB of WebAssembly memory for the operands of a float32 GEMM/);
  });
});

describe('what stays allowed (PyTorch behaviour kept next to the new checks)', () => {
  it('int32 data: fractions truncate toward zero as in PyTorch; the int32 limits themselves fit', () => {
    expect(tg.tensor([1.5, -1.5, 2.7, -2147483648, 2147483647], { dtype: 'int32' }).toArray()).to.deep.equal([1, -1, 2, -2147483648, 2147483647]);
    expect(tg.cast(tg.tensor([-1.5, 2.7]), 'int32').toArray()).to.deep.equal([-1, 2]);
    expect(tg.full([2], 1.5, { dtype: 'int32' }).toArray()).to.deep.equal([1, 1]);
    expect(tg.arange(2147483645, 2147483648).toArray()).to.deep.equal([2147483645, 2147483646, 2147483647]);
  });

  it('NaN and Infinity in float data pass through ops unchanged', () => {
    const y = tg.add(tg.tensor([NaN, Infinity, -Infinity, 1]), 1);
    expect(Array.from(y.data)).to.deep.equal([NaN, Infinity, -Infinity, 2]);
    expect(tg.full([1], NaN).data[0]).to.be.NaN;
  });

  it('seeds: negative and large integers are distinct streams; getState survives JSON, with or without a cached normal', () => {
    const first = (seed: number) => new tg.Generator(seed).nextUint32();
    expect(new Set([first(0), first(-1), first(2 ** 53 - 1), first(-(2 ** 53 - 1)), first(1)]).size).to.equal(5);
    const g = new tg.Generator(7);
    const viaJson = () => JSON.parse(JSON.stringify(g.getState())) as number[];
    expect(viaJson()).to.deep.equal(g.getState());
    expect(new tg.Generator(0).setState(viaJson()).random()).to.equal(g.random());
    g.normal(); // caches the second draw of the pair: the state has 5 entries
    expect(viaJson()).to.have.length(5).and.to.deep.equal(g.getState());
    expect(new tg.Generator(0).setState(viaJson()).normal()).to.equal(g.normal());
    // The older 5-entry form with NaN (null after JSON) for no cached draw still restores.
    const h = new tg.Generator(9);
    expect(new tg.Generator(0).setState([...h.getState(), null]).random()).to.equal(h.random());
  });

  it('an empty batch works as in PyTorch (conv2d, convTranspose2d, pools, batchNorm in eval)', () => {
    expect(tg.conv2d(tg.zeros([0, 2, 4, 4]), tg.ones([3, 2, 3, 3])).shape).to.deep.equal([0, 3, 2, 2]);
    expect(tg.convTranspose2d(tg.zeros([0, 2, 4, 4]), tg.ones([2, 3, 3, 3])).shape).to.deep.equal([0, 3, 6, 6]);
    expect(tg.maxPool2d(tg.zeros([0, 2, 4, 4]), 2).shape).to.deep.equal([0, 2, 2, 2]);
    expect(tg.avgPool2d(tg.zeros([0, 2, 4, 4]), 2).shape).to.deep.equal([0, 2, 2, 2]);
    expect(tg.batchNorm(tg.zeros([0, 2, 4, 4]), tg.zeros([2]), tg.ones([2])).shape).to.deep.equal([0, 2, 4, 4]);
  });

  it('every accepted option still works (options objects with all keys given)', () => {
    const x = tg.ones([1, 1, 4, 4]);
    expect(tg.conv2d(x, tg.ones([1, 1, 3, 3]), null, { stride: 1, padding: 1, dilation: 1, groups: 1 }).shape).to.deep.equal([1, 1, 4, 4]);
    const [y, i] = tg.maxPool2d(x, { kernelSize: 2, stride: 2, padding: 0, dilation: 1, ceilMode: false, returnIndices: true });
    expect([y.shape, i.dtype]).to.deep.equal([[1, 1, 2, 2], 'int32']);
    expect(tg.avgPool2d(x, { kernelSize: 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: null }).shape).to.deep.equal([1, 1, 3, 3]);
    expect(tg.randn([2], { dtype: 'float64', requiresGrad: true, generator: new tg.Generator(1) }).requiresGrad).to.equal(true);
    expect(tg.dropout(x, 0.5, { training: false, seed: 1 })).to.equal(x);
  });

  it('an allocation error names the op the user called, not an internal helper', () => {
    // pad allocates through full(); the user called pad.
    expect(() => tg.pad(tg.ones([1, 1, 2, 2]), [1e5, 1e5, 1e5, 1e5])).to.throw(AllocationError, /^pad: cannot allocate/);
    const e = (() => { try { tg.zeros([1e5, 1e5]); } catch (err) { return err as AllocationError; } return null; })();
    expect([e?.op, e?.detail.startsWith('cannot allocate a float32 tensor of shape [100000,100000]')]).to.deep.equal(['zeros', true]);
  });
});
