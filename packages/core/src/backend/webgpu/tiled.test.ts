// The tiled shader's host-side choices: which block a result gets, and how grids larger than
// WebGPU's 65535 workgroups per dimension are cut into dispatches (too large to run on the software
// adapter in a test; the products themselves are tested through gemm.test.ts and conv.test.ts).
import { expect } from 'chai';
import { TILES, chooseTile, gridPieces } from './tiled.js';

describe('webgpu tiled shader: blocks and grids', () => {
  it('every block has 128 invocations of 4x4 and fits 16 KiB of workgroup memory', () => {
    for (const { tm, tn, tk } of TILES) {
      expect((tm / 4) * (tn / 4)).to.equal(128);
      expect((tm + tn) * tk * 4).to.be.at.most(16384);
    }
  });

  it('picks the block with the fewest padding elements, the tallest among equals', () => {
    expect(chooseTile(64, 640)).to.equal(TILES[0]);
    expect(chooseTile(16, 1000)).to.equal(TILES[1]);
    expect(chooseTile(6, 5000)).to.equal(TILES[2]);
    expect(chooseTile(1, 5000)).to.equal(TILES[3]);
    // 1×100: 32×64 pads to 4096 elements, the others to 2048; the tallest of those is kept.
    expect(chooseTile(1, 100)).to.equal(TILES[1]);
  });

  it('cuts a grid into dispatches that cover each workgroup once', () => {
    expect(gridPieces([70000, 1, 1])).to.deep.equal([
      { first: [0, 0, 0], count: [65535, 1, 1] },
      { first: [65535, 0, 0], count: [4465, 1, 1] },
    ]);
    expect(gridPieces([0, 3, 1])).to.deep.equal([]);
    const size: [number, number, number] = [5, 3, 4];
    const seen = new Map<string, number>();
    for (const { first, count } of gridPieces(size, 2)) {
      expect(count.every((c) => c >= 1 && c <= 2)).to.equal(true);
      for (let z = 0; z < count[2]; z++) for (let y = 0; y < count[1]; y++) for (let x = 0; x < count[0]; x++) {
        const key = `${first[0] + x},${first[1] + y},${first[2] + z}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    expect(seen.size).to.equal(5 * 3 * 4);
    expect([...seen.values()].every((n) => n === 1)).to.equal(true);
  });
});
