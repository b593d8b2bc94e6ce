// tensor/storage.ts's uninitialised arrays (on Node not zero-filled: tensor/limits.ts) and the poison
// switch the test suites turn on, which fills them, fresh or recycled, with NaN / -2^31.
import { expect } from 'chai';
import { ArgumentError } from '../errors.js';
import { allocate, allocateUninitialized, recycle, setUninitializedPoison } from './storage.js';

describe('storage: uninitialised arrays and the poison switch', () => {
  // The suites run with the switch on (.mocharc's require); restore that after each test.
  afterEach(() => setUninitializedPoison(true));

  it('fills uninitialised arrays, fresh and recycled, with NaN (int32: -2^31) while on; zeroed arrays stay zeros', () => {
    setUninitializedPoison(true);
    const f = allocateUninitialized('float32', 5000) as Float32Array;
    expect(f.every((v) => Number.isNaN(v))).to.equal(true);
    f.fill(3);
    recycle(f, 'float32');
    const again = allocateUninitialized('float32', 5000) as Float32Array;
    expect(again.every((v) => Number.isNaN(v))).to.equal(true);
    expect((allocateUninitialized('int32', 4096) as Int32Array).every((v) => v === -(2 ** 31))).to.equal(true);
    expect((allocate('float64', 5000) as Float64Array).every((v) => v === 0)).to.equal(true);
  });

  it('hands out an array that owns its whole buffer (so backward can recycle it), with the switch off too', () => {
    setUninitializedPoison(false);
    for (const [dtype, bytes] of [['float32', 4], ['float64', 8], ['int32', 4]] as const) {
      const a = allocateUninitialized(dtype, 6000);
      expect([a.length, a.byteOffset, a.buffer.byteLength], dtype).to.deep.equal([6000, 0, 6000 * bytes]);
    }
  });

  it('refuses anything but a boolean', () => {
    expect(() => setUninitializedPoison(1 as unknown as boolean)).to.throw(ArgumentError, /setUninitializedPoison: on must be a boolean, got number/);
  });
});
