import { expect } from 'chai';
import fc from 'fast-check';
import { conv2d, tensor, vjp } from '../../../index.js';
import { fillTensor } from '../../../testing/arbitraries.js';
import { window2d } from '../../../ops/window.js';
import { convPattern } from './pattern.js';
import { gatherColumns, scatterAddColumns } from './columns.js';
import { gatherColumnsWasm, rangesLength, scatterAddColumnsWasm, setWasmConvKernels, stageRanges } from '../wasm/conv.js';
import { requireWasmRuntime, wasmAvailable, wasmScratch } from '../wasm/runtime.js';

/** Deterministic float32 values in [-1, 1) so failures replay. */
const randomArray = (length: number, seed: number): Float32Array =>
  fillTensor([length], seed, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;

const geometryArb = fc.record({
  channels: fc.integer({ min: 1, max: 3 }),
  inH: fc.integer({ min: 1, max: 10 }),
  inW: fc.integer({ min: 1, max: 10 }),
  kH: fc.integer({ min: 1, max: 4 }),
  kW: fc.integer({ min: 1, max: 4 }),
  strideH: fc.integer({ min: 1, max: 3 }),
  strideW: fc.integer({ min: 1, max: 3 }),
  dilationH: fc.integer({ min: 1, max: 3 }),
  dilationW: fc.integer({ min: 1, max: 3 }),
  padH: fc.integer({ min: 0, max: 3 }),
  padW: fc.integer({ min: 0, max: 3 }),
  // Columns side by side: this image's block starts at column `at` of rows `extra` longer.
  at: fc.integer({ min: 0, max: 5 }),
  extra: fc.integer({ min: 0, max: 7 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe('conv gather/scatter in WebAssembly', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  after(() => setWasmConvKernels(true));

  it('gatherColumnsWasm and scatterAddColumnsWasm equal the JS kernels exactly over random geometries (padding, stride, dilation)', () => {
    fc.assert(
      fc.property(geometryArb, (c) => {
        let g;
        try {
          g = window2d('test', c.inH, c.inW, { kernelSize: [c.kH, c.kW], stride: [c.strideH, c.strideW], dilation: [c.dilationH, c.dilationW], padding: [c.padH, c.padW] });
        } catch {
          return; // empty output
        }
        const S = convPattern(g);
        const P = S.positions;
        const rows = c.channels * S.taps;
        const ld = P + c.at + c.extra;
        const xOff = 3;
        const x = randomArray(xOff + c.channels * c.inH * c.inW, c.seed);
        const colsIn = randomArray(rows * ld, c.seed + 1);
        const dx0 = randomArray(xOff + c.channels * c.inH * c.inW, c.seed + 2);

        // JS reference.
        const colsJs = randomArray(rows * ld, c.seed + 3);
        gatherColumns(x, xOff, c.channels, S, colsJs, c.at, ld);
        const dxJs = dx0.slice();
        scatterAddColumns(colsIn.slice(), c.channels, S, dxJs, xOff, c.at, ld);

        // Wasm, on wasm memory.
        const [xw, ranges, colsW, dxW, colsInW] = wasmScratch([x.length, rangesLength(S), rows * ld, dx0.length, rows * ld]) as Float32Array[];
        xw!.set(x);
        stageRanges(S, ranges!);
        colsW!.set(randomArray(rows * ld, c.seed + 3));
        gatherColumnsWasm(xw!, xOff, c.channels, S, ranges!, colsW!, c.at, ld);
        expect(Array.from(colsW!)).to.deep.equal(Array.from(colsJs));
        colsInW!.set(colsIn);
        dxW!.set(dx0);
        scatterAddColumnsWasm(colsInW!, c.channels, S, ranges!, dxW!, xOff, c.at, ld);
        expect(Array.from(dxW!)).to.deep.equal(Array.from(dxJs));
        expect(Array.from(colsInW!)).to.deep.equal(Array.from(colsIn)); // cols left unchanged
      }),
      { numRuns: 300 },
    );
  });

  it('float32 conv2d value and gradients are identical with the wasm and the JS gather/scatter (groups, batches)', () => {
    const cases = [
      { x: [3, 4, 9, 7], w: [6, 2, 3, 2], o: { stride: [2, 1] as [number, number], padding: [1, 2] as [number, number], dilation: [1, 2] as [number, number], groups: 2 } },
      { x: [2, 6, 8, 8], w: [3, 2, 3, 3], o: { padding: 1, groups: 3 } },
      { x: [5, 3, 7, 7], w: [4, 3, 3, 3], o: { padding: 1 } },
      { x: [2, 2, 11, 6], w: [4, 1, 2, 3], o: { stride: 3, dilation: 2, padding: 2, groups: 2 } },
    ];
    for (const [k, c] of cases.entries()) {
      const x = tensor(fillTensor(c.x, 10 * k), { dtype: 'float32' });
      const w = tensor(fillTensor(c.w, 10 * k + 1), { dtype: 'float32' });
      const run = (wasm: boolean) => {
        setWasmConvKernels(wasm);
        const [y, pull] = vjp((a, b) => conv2d(a, b, null, c.o), x, w);
        const dy = tensor(fillTensor(y.shape as number[], 10 * k + 2), { dtype: 'float32' });
        const [dx, dw] = pull(dy);
        return [y, dx!, dw!].map((t) => Array.from(t.data));
      };
      const js = run(false);
      const wasm = run(true);
      expect(wasm).to.deep.equal(js);
    }
  });
});

describe('copyPlanesPadded (wasm)', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('copies every row like copyPlanes; only zeros land past a row, and nothing past the call\'s last row', () => {
    fc.assert(
      fc.property(
        fc.record({
          channels: fc.integer({ min: 1, max: 4 }),
          rows: fc.integer({ min: 1, max: 5 }),
          cols: fc.integer({ min: 1, max: 13 }),
          // Destination rows `gap` floats longer than the copied columns (0: compact rows).
          gap: fc.integer({ min: 0, max: 5 }),
          lead: fc.integer({ min: 0, max: 3 }),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        ({ channels, rows, cols, gap, lead, seed }) => {
          const dstRow = cols + gap;
          const dstPlane = rows * dstRow + gap;
          const srcLength = channels * rows * cols + 3;
          const dstLength = lead + channels * dstPlane + 8;
          const src = randomArray(srcLength, seed);
          const runtime = requireWasmRuntime('test').exports as unknown as {
            copyPlanes(...a: number[]): void;
            copyPlanesPadded(...a: number[]): void;
          };
          const results = (['copyPlanes', 'copyPlanesPadded'] as const).map((kernel) => {
            const [s, d] = wasmScratch([srcLength, dstLength]);
            s!.set(src);
            d!.fill(0.5);
            runtime[kernel](s!.byteOffset, rows * cols, cols, d!.byteOffset + 4 * lead, dstPlane, dstRow, channels, rows, cols);
            return d!.slice();
          });
          const [plain, padded] = results as [Float32Array, Float32Array];
          for (let i = 0; i < dstLength; i++) {
            // Where they differ, the padded copy wrote a zero after a row, never after the last one.
            if (!Object.is(plain[i], padded[i])) expect(padded[i], `element ${i}`).to.equal(0);
          }
          const lastEnd = lead + (channels - 1) * dstPlane + (rows - 1) * dstRow + cols;
          expect(Array.from(padded.subarray(lastEnd)), 'after the last row').to.deep.equal(Array.from(plain.subarray(lastEnd)));
          // Every copied element is the source's.
          for (let c = 0; c < channels; c++) {
            for (let r = 0; r < rows; r++) {
              const at = lead + c * dstPlane + r * dstRow;
              expect(Array.from(padded.subarray(at, at + cols))).to.deep.equal(Array.from(src.subarray((c * rows + r) * cols, (c * rows + r + 1) * cols)));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
