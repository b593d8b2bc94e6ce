import * as cv from '../ops/conv/conv2d.js';
import { type CsrMatrix, convMatrix as convMatrixInternal } from '../ops/conv/conv-matrix.js';
import type { Window2d } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, optionalTensor, publicFn } from './typed.js';

export type { Conv2dOptions, ConvGeometryOptions, ConvTranspose2dOptions, PaddingMode } from '../ops/conv/conv2d.js';
export type { CsrMatrix } from '../ops/conv/conv-matrix.js';
export type { Window2d } from '../ops/window.js';

type Conv2d = (x: TensorLike, w: TensorLike, b?: TensorLike | null | cv.Conv2dOptions, options?: cv.Conv2dOptions) => Tensor;
type ConvTranspose2d = (x: TensorLike, w: TensorLike, b?: TensorLike | null | cv.ConvTranspose2dOptions, options?: cv.ConvTranspose2dOptions) => Tensor;

/** Signatures shared by conv2d and convTranspose2d: (x, w), (x, w, b), (x, w, options), (x, w, b, options). */
function convSignatures<O>(f: (x: Tensor, w: Tensor, b: Tensor | null, options: O) => Tensor) {
  return {
    'Tensor, Tensor': (x: Tensor, w: Tensor) => f(x, w, null, {} as O),
    'Tensor, Tensor, Object': (x: Tensor, w: Tensor, o: O) => f(x, w, null, o),
    'Tensor, Tensor, OptionalTensor': (x: Tensor, w: Tensor, b: TensorLike | null | undefined) => f(x, w, optionalTensor(b), {} as O),
    'Tensor, Tensor, OptionalTensor, Object | undefined': (x: Tensor, w: Tensor, b: TensorLike | null | undefined, o: O | undefined) =>
      f(x, w, optionalTensor(b), o ?? ({} as O)),
  };
}

/**
 * conv2d(x, w, b?, { stride, padding, dilation, groups, paddingMode }): PyTorch's conv2d on NCHW
 * input x [N, Cin, H, W] (or [Cin, H, W]) and weight [Cout, Cin/groups, kH, kW]; padding a number,
 * [h, w], 'same' or 'valid'; paddingMode nn.Conv2d's padding_mode ('zeros', 'reflect',
 * 'replicate', 'circular').
 */
export const conv2d = publicFn<Conv2d>('conv2d', ['x', 'w', 'b', 'options'], convSignatures(cv.conv2d));

/**
 * convTranspose2d(x, w, b?, { stride, padding, outputPadding, dilation, groups }): PyTorch's
 * conv_transpose2d, weight [Cin, Cout/groups, kH, kW]; the adjoint of conv2d plus bias.
 */
export const convTranspose2d = publicFn<ConvTranspose2d>('convTranspose2d', ['x', 'w', 'b', 'options'], convSignatures(cv.convTranspose2d));

/**
 * The sparse matrix C (CSR) of conv2d for one image: input shape [C, H, W] (or a window
 * geometry), weight, conv options. Small geometries only, for teaching and tests.
 */
export const convMatrix = publicFn<(input: readonly number[] | Window2d, w: TensorLike, options?: cv.ConvGeometryOptions) => CsrMatrix>(
  'convMatrix',
  ['input', 'w', 'options'],
  {
    'Array | Object, Tensor': (input: number[] | Window2d, w: Tensor) => convMatrixInternal(input, w),
    'Array | Object, Tensor, Object': convMatrixInternal,
  },
);
