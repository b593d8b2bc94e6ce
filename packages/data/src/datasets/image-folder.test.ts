import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../errors.js';
import { decodeImage } from './decode-node.js';
import { ImageFolder } from './image-folder-node.js';

/** RGBA pixels of a w x h image whose red channel encodes the column, green the row. */
function gradient(w: number, h: number): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set([x * 40, y * 40, 200, 255], 4 * (y * w + x));
  }
  return data;
}

function png(w: number, h: number): Buffer {
  const image = new pngjs.PNG({ width: w, height: h });
  gradient(w, h).copy(image.data);
  return pngjs.PNG.sync.write(image);
}

describe('image decoding and ImageFolder', () => {
  it('decodes PNG exactly into HWC RGB and luma', () => {
    const rgb = decodeImage(png(3, 2));
    expect([rgb.height, rgb.width, rgb.channels]).to.deep.equal([2, 3, 3]);
    expect(Array.from(rgb.data.subarray(3 * (1 * 3 + 2), 3 * (1 * 3 + 2) + 3))).to.deep.equal([80, 40, 200]);
    const grey = decodeImage(png(3, 2), 1);
    expect(grey.data[5]).to.equal(Math.round(0.299 * 80 + 0.587 * 40 + 0.114 * 200));
  });

  it('decodes JPEG close to the encoded pixels', () => {
    const bytes = jpeg.encode({ width: 8, height: 8, data: gradient(8, 8) }, 100).data;
    const img = decodeImage(bytes);
    expect([img.height, img.width, img.channels]).to.deep.equal([8, 8, 3]);
    expect(img.data[3 * (2 * 8 + 3)]).to.be.closeTo(120, 8);
  });

  it('lists one class per sub-directory and labels files by it', () => {
    const root = mkdtempSync(join(tmpdir(), 'tg-folder-'));
    mkdirSync(join(root, 'cat'));
    mkdirSync(join(root, 'ant'));
    writeFileSync(join(root, 'cat', 'a.png'), png(4, 4));
    writeFileSync(join(root, 'ant', 'b.JPG'), jpeg.encode({ width: 4, height: 4, data: gradient(4, 4) }, 90).data);
    writeFileSync(join(root, 'ant', 'notes.txt'), 'not an image');
    const folder = new ImageFolder(root);
    expect(folder.classes).to.deep.equal(['ant', 'cat']);
    expect(folder.length).to.equal(2);
    expect(folder.get(0).label).to.equal(0);
    expect(folder.get(1).label).to.equal(1);
    expect(folder.get(1).input.width).to.equal(4);
    // Extensions match ignoring case, as the default ones do (b.JPG above).
    const pngOnly = new ImageFolder(root, { extensions: ['.PNG'], channels: 1 });
    expect(pngOnly.files.map((f) => f.path)).to.deep.equal([join(root, 'cat', 'a.png')]);
    expect(pngOnly.get(0).input.channels).to.equal(1);
  });

  it('rejects corrupt, truncated and unknown files, naming them', () => {
    const good = png(4, 4);
    expect(() => decodeImage(good.subarray(0, good.length - 20), 3, 'a.png')).to.throw(DataError, 'a.png is a corrupt or truncated PNG');
    const jpg = jpeg.encode({ width: 8, height: 8, data: gradient(8, 8) }, 90).data;
    expect(() => decodeImage(jpg.subarray(0, 200), 3, 'b.jpg')).to.throw(DataError, 'b.jpg is a corrupt or truncated JPEG');
    expect(() => decodeImage(Buffer.from('GIF89a'), 3, 'c.gif')).to.throw(DataError, 'c.gif is neither PNG (89 50 4e 47) nor JPEG (ff d8): it starts with 47 49 46 38');
    const root = mkdtempSync(join(tmpdir(), 'tg-folder-'));
    mkdirSync(join(root, 'x'));
    writeFileSync(join(root, 'x', 'bad.png'), good.subarray(0, 30));
    expect(() => new ImageFolder(root).get(0)).to.throw(DataError, join(root, 'x', 'bad.png'));
  });
});
