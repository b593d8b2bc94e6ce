// Gradient-norm clipping's two halves as public functions, computed on the tensors' device: the
// joint p-norm of many tensors (a 0-d tensor that stays on the device) and the in-place scaling by
// min(1, maxNorm/(norm + 1e-6)) decided from it on the device. nn's clipGradNorm is built on them;
// on a GPU the two together clip without reading anything back. Not recorded on the tape.
import { backendFor } from '../../backend/index.js';
import { ArgumentError, DeviceError, ShapeError, formatShape } from '../../errors.js';
import { checkNumber } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { type Device, accumulatorDtype } from '../../tensor/device.js';
import { assertFloat } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * The p-norm of all elements of `tensors` together, (Σ |x|^p)^(1/p) (max |x| for Infinity), as a
 * 0-d tensor on their device: float64 on the CPU (summed in element order, with portablePow), float32
 * on a GPU (no readback: read it with itemAsync, or pass it to clipByNorm_). 0 for no tensors.
 */
export function totalNorm(tensors: Iterable<Tensor>, normType = 2): Tensor {
  const fn = 'totalNorm';
  if (normType !== Infinity) checkNumber(fn, 'normType', normType, { min: 0, minExclusive: true });
  const list = checkTensors(fn, tensors);
  const device: Device = list[0]?.device ?? 'cpu';
  const kernels = backendFor(device).optimizer;
  const total = zeroFilled([], accumulatorDtype(device), device);
  for (const t of list) kernels.normAccumulate(t.storage, total.storage, normType);
  kernels.normFinish(total.storage, normType);
  return total;
}

/**
 * Scales every tensor in place by coef = maxNorm/(total + 1e-6) where coef < 1 (PyTorch's
 * clip_grad_norm_ after its norm), `total` a one-element tensor on their device (totalNorm's). The
 * decision is taken on the device. A CPU tensor that is not scaled keeps its version; on a GPU
 * every tensor's version is bumped (whether it was scaled is not known without a readback).
 */
export function clipByNorm_(tensors: Iterable<Tensor>, total: Tensor, maxNorm: number): void {
  const fn = 'clipByNorm_';
  checkNumber(fn, 'maxNorm', maxNorm, { min: 0 });
  if (!(total instanceof Tensor)) throw new ArgumentError(`${fn}: total must be a Tensor (totalNorm's result), got ${total === null ? 'null' : typeof total}`);
  if (total.size !== 1) throw new ShapeError(`${fn}: total must have one element, got shape ${formatShape(total.shape)}`);
  assertFloat(fn, 'total', total.dtype);
  const list = checkTensors(fn, tensors);
  for (const t of list) {
    if (t.device !== total.device) throw new DeviceError(`${fn}: the tensors are on '${t.device}' but total is on '${total.device}'`);
  }
  const kernels = backendFor(total.device).optimizer;
  const storage = total.storage;
  // On the CPU the decision is known here: only the tensors the kernel scales get a new version.
  const scaled = !ArrayBuffer.isView(storage) || maxNorm / (storage[0]! + 1e-6) < 1;
  for (const t of list) {
    kernels.clipScale(t.storage, storage, maxNorm);
    if (scaled) t.markModified();
  }
}

/** The tensors as a list: floating-point, all on one device. */
function checkTensors(fn: string, tensors: Iterable<Tensor>): Tensor[] {
  if (tensors === null || typeof tensors !== 'object' || !(Symbol.iterator in tensors)) {
    throw new ArgumentError(`${fn}: tensors must be an iterable of Tensors, got ${tensors === null ? 'null' : typeof tensors}`);
  }
  const list = [...tensors];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: tensors[${i}] must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    assertFloat(fn, `tensors[${i}]`, t.dtype);
    if (t.device !== list[0]!.device) {
      throw new DeviceError(`${fn}: all tensors must be on one device, but tensors[0] is on '${list[0]!.device}' and tensors[${i}] is on '${t.device}'`);
    }
  });
  return list;
}
