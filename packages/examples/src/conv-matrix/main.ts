// The teaching view of conv2d: the convolution of one image is a sparse matrix C (y = C·x)
// and its input gradient is Cᵀ (dx = Cᵀ·dy). Prints C for a small convolution and checks the
// fast conv2d and its autodiff gradient against C and Cᵀ.
// pnpm --filter @tensorgrad/examples run example:conv-matrix
import { type Tensor, conv2d, convMatrix, tensor, vjp } from '@tensorgrad/core';
import { checkConvAgainstMatrix } from './check.js';

const x = tensor([[[
  [1, 2, 0, 1],
  [0, 1, 3, 2],
  [2, 0, 1, 0],
  [1, 1, 0, 2],
]]], { dtype: 'float64' });
const w = tensor([[[
  [1, 0, -1],
  [2, 0, -2],
  [1, 0, -1],
]]], { dtype: 'float64' }); // a Sobel filter

const C = convMatrix([1, 4, 4], w);
console.log('conv2d of a 1×4×4 image with a 3×3 Sobel filter, stride 1, no padding: y (2×2) = C·x (16)');
console.log(`C is ${C.rows}×${C.cols} with ${C.nnz} non-zeros (density ${(C.nnz / (C.rows * C.cols)).toFixed(2)}); rows are outputs, columns inputs:\n`);
console.log(`        ${Array.from({ length: 16 }, (_, j) => `x${String(j).padEnd(2)}`).join(' ')}`);
C.toDense().forEach((row, i) => console.log(`  y${i}  ${row.map((v) => (v === 0 ? '  . ' : String(v).padStart(3) + ' ')).join('')}`));

const [y, pullback] = vjp((t: Tensor) => conv2d(t, w), x);
const dy = tensor([[[[1, -1], [2, 0.5]]]], { dtype: 'float64' });
const [dx] = pullback(dy);
console.log(`\nconv2d(x, w)      = [${Array.from(y.data).join(', ')}]`);
console.log(`C·x               = [${Array.from(C.matvec(x.data)).join(', ')}]`);
console.log(`dx by autodiff    = [${Array.from(dx!.data).join(', ')}]`);
console.log(`Cᵀ·dy             = [${Array.from(C.rmatvec(dy.data)).join(', ')}]`);

// The same identities on a strided, padded, dilated, grouped convolution with random values.
const report = checkConvAgainstMatrix({ n: 2, cin: 4, h: 7, w: 6, cout: 6, k: 3, stride: 2, padding: 1, dilation: 1, groups: 2, seed: 3 });
console.log(`\nrandom check (${report.description}): C is ${report.rows}×${report.cols}, ${report.nnz} non-zeros`);
console.log(`  max |conv2d - C·x| = ${report.forwardError.toExponential(2)}, max |autodiff dx - Cᵀ·dy| = ${report.gradientError.toExponential(2)}, ` +
  `⟨C·x, y⟩ - ⟨x, Cᵀ·y⟩ = ${report.adjointGap.toExponential(2)}`);
const ok = report.forwardError < 1e-10 && report.gradientError < 1e-10 && Math.abs(report.adjointGap) < 1e-9;
console.log(ok ? 'all identities hold' : 'MISMATCH');
console.log(JSON.stringify({ example: 'conv-matrix', ...report, ok }));
if (!ok) process.exit(1);
