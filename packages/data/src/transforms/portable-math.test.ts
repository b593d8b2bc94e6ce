import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Generator, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { affine, randomAffine, randomRotation } from './affine.js';
import { gaussianBlur } from './blur.js';
import { randomErasing } from './erasing.js';
import { randomResizedCrop } from './resize.js';

// Math.exp, log, tan, cos, sin... round differently in browsers and in Node: the transforms take
// core's portable functions, so a seed replays an augmentation bit for bit in every engine.
const INEXACT = ['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'tanh', 'sinh', 'cosh', 'pow', 'sin', 'cos', 'tan', 'atan', 'atan2', 'asin', 'acos', 'cbrt', 'hypot'] as const;

/** Every non-test .ts file under dir (a file URL ending in '/'). */
function sources(dir: URL): URL[] {
  return readdirSync(dir).flatMap((f) => {
    const url = new URL(f, dir);
    if (statSync(url).isDirectory()) return sources(new URL(`${f}/`, dir));
    return f.endsWith('.ts') && !f.endsWith('.test.ts') ? [url] : [];
  });
}

describe('data uses portable math (same bits in every engine)', () => {
  it('no data source calls an inexact Math function or uses **', () => {
    const files = sources(new URL('../', import.meta.url));
    expect(files.length).to.be.greaterThan(20);
    const inexact = new RegExp(`Math\\.(${INEXACT.join('|')})\\b`);
    for (const f of files) {
      const code = readFileSync(f, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n');
      expect(inexact.exec(code)?.[0], `${f.pathname} calls an inexact Math function`).to.equal(undefined);
      expect(/[^*/\s]\s*\*\*[^*/]/.exec(code)?.[0], `${f.pathname} uses **`).to.equal(undefined);
    }
  });

  it("the random transforms with exp, log, tan, cos or sin run with Math's inexact functions throwing", () => {
    const math = Math as unknown as Record<string, unknown>;
    const saved = INEXACT.map((name) => [name, math[name]] as const);
    const img = tensor(Array.from({ length: 3 * 12 * 16 }, (_, i) => (i % 17) / 17), { shape: [3, 12, 16] });
    const shapes: number[][] = [];
    try {
      for (const name of INEXACT) {
        math[name] = () => {
          throw new Error(`Math.${name} called`);
        };
      }
      const ts = [randomErasing({ p: 1 }), randomResizedCrop(8), randomAffine({ degrees: 30, shear: [-10, 10] }), randomRotation(45), gaussianBlur({ kernelSize: 5 }), affine({ angle: 90, shear: 5 })];
      for (const t of ts) shapes.push([...t(img, new Generator(3)).shape]);
    } finally {
      for (const [name, f] of saved) math[name] = f;
    }
    expect(shapes).to.deep.equal([[3, 12, 16], [3, 8, 8], [3, 12, 16], [3, 12, 16], [3, 12, 16], [3, 12, 16]]);
  });

  it('affine angles are checked within ±9e7 degrees, the domain of the portable cosine', () => {
    expect(() => affine({ angle: 1e8 })).to.throw(/affine: angle must be a finite number >= -90000000 and <= 90000000, got 100000000/);
    expect(() => randomRotation(1e8)).to.throw(/randomRotation: degrees must be a finite number >= -90000000 and <= 90000000/);
    expect(affine({ angle: 9e7 })(tensor([1, 2, 3, 4], { shape: [1, 2, 2] }), new Generator(0)).shape).to.deep.equal([1, 2, 2]);
  });
});
