// The two image representations of @tensorgrad/data:
// - RawImage: what decoders and file readers produce: HWC uint8 (0..255), as stored on disk.
// - an image Tensor: CHW float32, produced by toTensor (values in [0, 1]); every transform but
//   toTensor takes and returns this form, so a pipeline is toTensor followed by float transforms.
import { ArgumentError, ShapeError, Tensor, formatShape } from '@tensorgrad/core';

/**
 * An image as decoders and file readers produce it: HWC uint8 (0..255), as stored on disk;
 * `toTensor` turns it into a CHW float32 tensor in [0, 1].
 */
export interface RawImage {
  /** The pixels, row by row, channels interleaved (HWC). */
  readonly data: Uint8Array;
  /** Height in pixels. */
  readonly height: number;
  /** Width in pixels. */
  readonly width: number;
  /** Channels per pixel (1 grey, 3 RGB, 4 RGBA). */
  readonly channels: number;
}

export interface ChwSize {
  c: number;
  h: number;
  w: number;
}

/** Checks that x is a CHW float32 image tensor and returns its sizes. */
export function chwOf(op: string, x: Tensor): ChwSize {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: image must be a CHW float32 Tensor, got ${describe(x)}`);
  if (x.shape.length !== 3) throw new ShapeError(`${op}: image must have shape [C,H,W], got ${formatShape(x.shape)}`);
  if (x.dtype !== 'float32') throw new ArgumentError(`${op}: image must be float32, got ${x.dtype}`);
  const [c, h, w] = x.shape as [number, number, number];
  return { c, h, w };
}

/** A fresh CHW float32 image tensor over `data` (allocated when not given). */
export function chwImage(c: number, h: number, w: number, data = new Float32Array(c * h * w)): Tensor {
  return new Tensor(data, [c, h, w]);
}

export function isRawImage(x: unknown): x is RawImage {
  return typeof x === 'object' && x !== null && (x as RawImage).data instanceof Uint8Array && typeof (x as RawImage).height === 'number';
}

export function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor ${formatShape(x.shape)} ${x.dtype}`;
  if (isRawImage(x)) return `RawImage ${x.height}x${x.width}x${x.channels}`;
  if (x === null) return 'null';
  return typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x;
}
