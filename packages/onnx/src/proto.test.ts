import { expect } from 'chai';
import { AttributeType, DataType, decodeModel, encodeModel, type ModelProto } from './proto.js';

describe('proto: ONNX ModelProto through onnx-proto', () => {
  const weights = new Float32Array([1.5, -2, 0.25, 3]);
  const model: ModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'tensorgrad',
    graph: {
      name: 'g',
      node: [
        {
          name: 'gemm', opType: 'Gemm', input: ['x', 'fc.weight'], output: ['y'],
          attribute: [
            { name: 'transB', type: AttributeType.INT, i: 1 },
            { name: 'alpha', type: AttributeType.FLOAT, f: 0.5 },
            { name: 'pads', type: AttributeType.INTS, ints: [0, 1, 2, 3] },
            { name: 'mode', type: AttributeType.STRING, s: new TextEncoder().encode('constant') },
          ],
        },
      ],
      initializer: [{ name: 'fc.weight', dims: [2, 2], dataType: DataType.FLOAT, rawData: new Uint8Array(weights.buffer) }],
      input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 2 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DataType.FLOAT } } }],
    },
  };

  it('round-trips a model: names, attributes of each kind, initializer bytes, symbolic dims', () => {
    const bytes = encodeModel(model);
    expect(Object.getPrototypeOf(bytes)).to.equal(Uint8Array.prototype);
    const back = decodeModel(bytes);
    expect(back.irVersion).to.equal(8);
    expect(back.opsetImport).to.deep.equal([{ domain: '', version: 17 }]);
    const node = back.graph!.node![0]!;
    expect(node.opType).to.equal('Gemm');
    expect(node.input).to.deep.equal(['x', 'fc.weight']);
    const attrs = Object.fromEntries(node.attribute!.map((a) => [a.name, a]));
    expect(attrs.transB!.i).to.equal(1);
    expect(attrs.alpha!.f).to.equal(0.5);
    expect(attrs.pads!.ints).to.deep.equal([0, 1, 2, 3]);
    expect(new TextDecoder().decode(attrs.mode!.s)).to.equal('constant');
    const init = back.graph!.initializer![0]!;
    expect(init.dims).to.deep.equal([2, 2]);
    expect(init.dataType).to.equal(DataType.FLOAT);
    expect(Array.from(new Float32Array(init.rawData!.slice().buffer))).to.deep.equal([1.5, -2, 0.25, 3]);
    expect(back.graph!.input![0]!.type!.tensorType!.shape!.dim).to.deep.equal([{ dimParam: 'batch' }, { dimValue: 2 }]);
    // Re-encoding the decoded object gives the same bytes.
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(bytes))).to.equal(true);
  });

  it('gives rawData as a plain Uint8Array (slice copies) even when decoding a Node Buffer', () => {
    const bytes = encodeModel(model);
    const raw = decodeModel(Buffer.from(bytes)).graph!.initializer![0]!.rawData!;
    expect(Object.getPrototypeOf(raw)).to.equal(Uint8Array.prototype);
    expect(Array.from(new Float32Array(raw.slice().buffer))).to.deep.equal([1.5, -2, 0.25, 3]);
  });

  it('gives int64 fields as numbers, including negative ones', () => {
    const back = decodeModel(encodeModel({ graph: { node: [{ opType: 'Flatten', attribute: [{ name: 'axis', type: AttributeType.INT, i: -1 }] }] } }));
    expect(back.graph!.node![0]!.attribute![0]!.i).to.equal(-1);
    expect(typeof back.graph!.node![0]!.attribute![0]!.i).to.equal('number');
  });

  it('rejects bytes that are not a model, naming decodeModel', () => {
    expect(() => decodeModel(new Uint8Array([0xff, 0xff, 0xff]))).to.throw(/decodeModel/);
  });
});
