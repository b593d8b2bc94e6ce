// C made explicit: the conv of one image as a sparse matrix (CSR), rows (co, oh, ow) and
// columns (ci, ih, iw) in NCHW order, so y.flat = C·x.flat. For teaching and tests only: the
// fast path never builds it, its kernels read the pattern S as runs instead. Built on demand
// from the window, entry by entry (patternIndex).
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConvGeometryOptions, convAttrs, convWindow } from './conv2d.js';
import type { Window2d } from '../../backend/window.js';

/** A sparse matrix in compressed sparse row form. */
export class CsrMatrix {
  constructor(
    /** Number of rows. */
    readonly rows: number,
    /** Number of columns. */
    readonly cols: number,
    /** Row i's entries are rowPtr[i] .. rowPtr[i+1]-1. */
    readonly rowPtr: Int32Array,
    /** Column of each stored entry. */
    readonly colIndex: Int32Array,
    /** Value of each stored entry. */
    readonly values: Float64Array,
  ) {}

  /** Number of stored (non-zero) entries. */
  get nnz(): number {
    return this.values.length;
  }

  /** C·x */
  matvec(x: ArrayLike<number>): Float64Array {
    this.expectLength('matvec', x, this.cols);
    const y = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let e = this.rowPtr[i]!; e < this.rowPtr[i + 1]!; e++) s += this.values[e]! * x[this.colIndex[e]!]!;
      y[i] = s;
    }
    return y;
  }

  /** Cᵀ·y */
  rmatvec(y: ArrayLike<number>): Float64Array {
    this.expectLength('rmatvec', y, this.rows);
    const x = new Float64Array(this.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let e = this.rowPtr[i]!; e < this.rowPtr[i + 1]!; e++) x[this.colIndex[e]!]! += this.values[e]! * y[i]!;
    }
    return x;
  }

  /** The matrix as rows of numbers (for small matrices: printing, tests). */
  toDense(): number[][] {
    const out = Array.from({ length: this.rows }, () => new Array<number>(this.cols).fill(0));
    for (let i = 0; i < this.rows; i++) {
      for (let e = this.rowPtr[i]!; e < this.rowPtr[i + 1]!; e++) out[i]![this.colIndex[e]!] = this.values[e]!;
    }
    return out;
  }

  private expectLength(op: string, v: ArrayLike<number>, n: number): void {
    if (v.length !== n) throw new ShapeError(`CsrMatrix.${op}: vector has ${v.length} elements, expected ${n}`);
  }
}

const MAX_ENTRIES = 1 << 22;

/**
 * The pattern S of a window as an index map: index[t·P + p] = ih·inW + iw, the input pixel that
 * kernel tap t (= kh·kW + kw) reads at output position p (= oh·outW + ow) of P, or -1 where it
 * reads padding.
 */
export function patternIndex(g: Window2d): Int32Array {
  const positions = g.outH * g.outW;
  const index = new Int32Array(g.kH * g.kW * positions);
  for (let kh = 0; kh < g.kH; kh++) {
    for (let kw = 0; kw < g.kW; kw++) {
      const base = (kh * g.kW + kw) * positions;
      for (let oh = 0; oh < g.outH; oh++) {
        const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
        const rowInside = ih >= 0 && ih < g.inH;
        for (let ow = 0; ow < g.outW; ow++) {
          const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
          index[base + oh * g.outW + ow] = rowInside && iw >= 0 && iw < g.inW ? ih * g.inW + iw : -1;
        }
      }
    }
  }
  return index;
}

/**
 * The matrix C of conv2d(x, w, options) for one image x of shape [C, H, W] (or [1, C, H, W]),
 * or for a window geometry (input channels then w.shape[1]·groups).
 */
export function convMatrix(input: readonly number[] | Window2d, w: Tensor, options: ConvGeometryOptions = {}): CsrMatrix {
  const op = 'convMatrix';
  const attrs = convAttrs(op, options);
  if (w.ndim !== 4) throw new ShapeError(`${op}: weight must be 4-D [outChannels, inChannels/groups, kH, kW], got shape ${formatShape(w.shape)}`);
  const [cout, cinG, kH, kW] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  let g: Window2d;
  let cin: number;
  if (Array.isArray(input)) {
    const dims = input.length === 4 && input[0] === 1 ? input.slice(1) : input;
    if (dims.length !== 3) throw new ShapeError(`${op}: input shape must be [C, H, W] or [1, C, H, W], got ${formatShape(input)}`);
    cin = dims[0]!;
    g = convWindow(op, dims[1]!, dims[2]!, kH, kW, attrs);
  } else {
    g = input as Window2d;
    if (g.kH !== kH || g.kW !== kW) throw new ShapeError(`${op}: geometry has a ${g.kH}×${g.kW} kernel but weight ${formatShape(w.shape)} is ${kH}×${kW}`);
    cin = cinG * groups;
  }
  if (cin === 0 || cout === 0) throw new ShapeError(`${op}: a convolution needs at least 1 input and 1 output channel, got ${cin} and ${cout} (weight ${formatShape(w.shape)})`);
  if (cin !== cinG * groups || cout % groups !== 0) {
    throw new ShapeError(`${op}: weight ${formatShape(w.shape)} with groups ${groups} does not fit ${cin} input channels`);
  }
  const P = g.outH * g.outW;
  const taps = g.kH * g.kW;
  const plane = g.inH * g.inW;
  const coutG = cout / groups;
  if (cout * P * cinG * taps > MAX_ENTRIES) {
    throw new ArgumentError(`${op}: C would have up to ${cout * P * cinG * taps} nonzeros; it is meant for small geometries (at most ${MAX_ENTRIES})`);
  }
  const index = patternIndex(g);
  const rowPtr = new Int32Array(cout * P + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let co = 0; co < cout; co++) {
    const grp = Math.floor(co / coutG);
    for (let p = 0; p < P; p++) {
      for (let ci = 0; ci < cinG; ci++) {
        for (let t = 0; t < taps; t++) {
          const at = index[t * P + p]!;
          if (at < 0) continue;
          colIndex.push((grp * cinG + ci) * plane + at);
          values.push(w.data[(co * cinG + ci) * taps + t]!);
        }
      }
      rowPtr[co * P + p + 1] = colIndex.length;
    }
  }
  return new CsrMatrix(cout * P, cin * plane, rowPtr, Int32Array.from(colIndex), Float64Array.from(values));
}
