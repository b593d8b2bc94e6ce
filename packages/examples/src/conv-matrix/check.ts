// Checks conv2d and its autodiff input gradient against the explicit sparse matrix C, image by image.
import { type Tensor, Generator, conv2d, convMatrix, randn, vjp } from '@tensorgrad/core';

export interface ConvCase {
  n: number; cin: number; h: number; w: number; cout: number; k: number;
  stride: number; padding: number; dilation: number; groups: number; seed: number;
}

export interface ConvMatrixReport {
  description: string;
  rows: number;
  cols: number;
  nnz: number;
  forwardError: number;
  gradientError: number;
  adjointGap: number;
}

export function checkConvAgainstMatrix(c: ConvCase): ConvMatrixReport {
  const g = new Generator(c.seed);
  const x = randn([c.n, c.cin, c.h, c.w], { dtype: 'float64', generator: g });
  const w = randn([c.cout, c.cin / c.groups, c.k, c.k], { dtype: 'float64', generator: g });
  const opts = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
  const [y, pullback] = vjp((t: Tensor) => conv2d(t, w, null, opts), x);
  const dy = randn(y.shape, { dtype: 'float64', generator: g });
  const [dx] = pullback(dy);
  const C = convMatrix([c.cin, c.h, c.w], w, opts);
  const inSize = c.cin * c.h * c.w;
  const outSize = C.rows;
  let forwardError = 0;
  let gradientError = 0;
  let adjointGap = 0;
  for (let i = 0; i < c.n; i++) {
    const xi = x.data.subarray(i * inSize, (i + 1) * inSize);
    const dyi = dy.data.subarray(i * outSize, (i + 1) * outSize);
    const cx = C.matvec(xi);
    const cty = C.rmatvec(dyi);
    let lhs = 0;
    let rhs = 0;
    cx.forEach((v, j) => {
      forwardError = Math.max(forwardError, Math.abs(v - y.data[i * outSize + j]!));
      lhs += v * dyi[j]!;
    });
    cty.forEach((v, j) => {
      gradientError = Math.max(gradientError, Math.abs(v - dx!.data[i * inSize + j]!));
      rhs += v * xi[j]!;
    });
    adjointGap = Math.max(adjointGap, Math.abs(lhs - rhs));
  }
  return {
    description: `x [${x.shape.join(',')}], w [${w.shape.join(',')}], stride ${c.stride}, padding ${c.padding}, dilation ${c.dilation}, groups ${c.groups}`,
    rows: C.rows, cols: C.cols, nnz: C.nnz, forwardError, gradientError, adjointGap,
  };
}
