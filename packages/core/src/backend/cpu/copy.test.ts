// The class-index kernels and checks of the CPU copy area, on their edge values, the gather /
// scatter-add along one dim, and broadcasting.
import { expect } from 'chai';
import { broadcastInto, classWeightsInto, firstInvalidClass, firstNotInt32, gatherAlong, scatterAddAlong } from './copy.js';

describe('CPU copy kernels: class weights and the checks read back before a copy', () => {
  it('firstInvalidClass finds the first target outside [0, classes) that is not ignoreIndex', () => {
    expect(firstInvalidClass(new Int32Array([0, 2, -100, 1]), 3, -100)).to.equal(-1);
    expect(firstInvalidClass(new Int32Array([0, 3, -1]), 3, -100)).to.equal(1);
    expect(firstInvalidClass(new Int32Array([0, -1, 3]), 3, -100)).to.equal(1);
    expect(firstInvalidClass(new Int32Array([5, 5]), 3, 5)).to.equal(-1); // ignoreIndex may lie outside the classes
    expect(firstInvalidClass(new Int32Array([]), 3, -100)).to.equal(-1);
  });

  it('classWeights picks weight[t] (1 without weights) and 0 where ignored', () => {
    const out = new Float32Array(4);
    classWeightsInto(new Int32Array([2, -100, 0, 1]), new Float32Array([0.5, 0.25, 3]), -100, out);
    expect([...out]).to.deep.equal([3, 0, 0.5, 0.25]);
    classWeightsInto(new Int32Array([2, -100, 0, 1]), null, -100, out);
    expect([...out]).to.deep.equal([1, 0, 1, 1]);
  });

  it('firstNotInt32: NaN, ±∞ and values outside (-2³¹ − 1, 2³¹) are refused, fractions truncate into range', () => {
    expect(firstNotInt32(new Float64Array([1.5, -2147483648.9, 2147483647.9, -0]))).to.equal(-1);
    expect(firstNotInt32(new Float64Array([0, NaN]))).to.equal(1);
    expect(firstNotInt32(new Float64Array([Infinity]))).to.equal(0);
    expect(firstNotInt32(new Float64Array([1, 2, -Infinity]))).to.equal(2);
    expect(firstNotInt32(new Float64Array([2147483648]))).to.equal(0);
    expect(firstNotInt32(new Float64Array([0, -2147483649]))).to.equal(1);
    expect(firstNotInt32(new Float32Array([2147483647]))).to.equal(0); // rounds to 2³¹ in float32
  });
});

describe('CPU copy kernels: gather and scatter-add along one dim', () => {
  // x [2, 3, 2] (outer 2, size 3, inner 2) = 0..11; index [2, 0, 2, 1] picks rows of each outer block.
  const x = Float64Array.from({ length: 12 }, (_, i) => i);
  const index = new Int32Array([2, 0, 2, 1]);

  it('gatherAlong copies entry index[j] of the dim to position j, per outer block, inner runs whole', () => {
    const out = new Float64Array(16);
    gatherAlong(x, 2, 3, 2, index, out);
    expect([...out]).to.deep.equal([4, 5, 0, 1, 4, 5, 2, 3, 10, 11, 6, 7, 10, 11, 8, 9]);
    const ints = new Int32Array(4);
    gatherAlong(new Int32Array([7, 8, 9]), 1, 3, 1, index, ints);
    expect([...ints]).to.deep.equal([9, 7, 9, 8]);
  });

  it('scatterAddAlong adds g[.., j, ..] at index[j] (repeats sum, untouched entries keep their value)', () => {
    const g = Float64Array.from({ length: 16 }, (_, i) => i + 1);
    const out = new Float64Array(12).fill(0.5);
    scatterAddAlong(g, 2, 3, 2, index, out);
    // block 0: row 0 += g row 1 (3, 4); row 1 += g row 3 (7, 8); row 2 += g rows 0 and 2 (1 + 5, 2 + 6)
    expect([...out]).to.deep.equal([3.5, 4.5, 7.5, 8.5, 6.5, 8.5, 11.5, 12.5, 15.5, 16.5, 22.5, 24.5]);
  });
});

describe('CPU copy kernels: broadcastInto', () => {
  /** out[i] = x at i's coordinates, each taken modulo x's size in its dim (NumPy rules, x's dims right-aligned). */
  function reference(x: Float32Array, shape: number[], outShape: number[]): Float32Array {
    const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
    const lead = outShape.length - shape.length;
    for (let i = 0; i < out.length; i++) {
      let rest = i;
      let src = 0;
      let stride = 1;
      for (let d = outShape.length - 1; d >= 0; d--) {
        const c = rest % outShape[d]!;
        rest = Math.floor(rest / outShape[d]!);
        if (d >= lead) {
          const n = shape[d - lead]!;
          src += (n === 1 ? 0 : c) * stride;
          stride *= n;
        }
      }
      out[i] = x[src]!;
    }
    return out;
  }

  it('matches the index formula: scalars, rows, columns, middle and leading dims, size-1 and empty dims', () => {
    const cases: [number[], number[]][] = [
      [[], [2, 3]], [[1], [5]], [[3, 1], [2, 3, 4]], [[4], [3, 4]], [[2, 1, 3], [2, 5, 3]], [[1, 3, 1, 1], [2, 3, 4, 5]],
      [[2, 1], [2, 1]], [[1, 1, 2], [3, 1, 2]], [[3, 1, 2], [2, 3, 4, 2]], [[1, 4], [0, 4]],
    ];
    for (const [shape, outShape] of cases) {
      const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 0.5);
      const out = new Float32Array(outShape.reduce((a, b) => a * b, 1)).fill(NaN);
      broadcastInto(x, shape, out, outShape);
      expect([...out], `${shape} -> ${outShape}`).to.deep.equal([...reference(x, shape, outShape)]);
    }
  });
});
