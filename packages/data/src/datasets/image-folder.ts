import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type Dataset, type Sample, checkIndex } from '../dataset.js';
import { DataError } from '../errors.js';
import type { RawImage } from '../image.js';
import { decodeImage } from './decode.js';
import { readFileBytes } from './idx.js';

export interface ImageFolderOptions {
  /** 3 for RGB (default), 1 for greyscale. */
  channels?: 1 | 3;
  /** File extensions taken as images (lower case, with the dot). */
  extensions?: readonly string[];
}

/**
 * One sub-directory per class (torchvision's ImageFolder): classes are the sub-directory
 * names in sorted order, label i is classes[i]. Files are decoded on every get, so memory
 * stays small and each epoch re-reads the disk (the OS page cache makes that cheap).
 */
export class ImageFolder implements Dataset<Sample<RawImage>> {
  readonly classes: readonly string[];
  readonly files: ReadonlyArray<{ path: string; label: number }>;
  private readonly channels: 1 | 3;

  constructor(readonly root: string, options: ImageFolderOptions = {}) {
    this.channels = options.channels ?? 3;
    const extensions = options.extensions ?? ['.png', '.jpg', '.jpeg'];
    this.classes = listDir(root).filter((name) => statSync(join(root, name)).isDirectory());
    if (this.classes.length === 0) throw new DataError(`ImageFolder: ${root} has no class sub-directories`);
    this.files = this.classes.flatMap((name, label) =>
      listDir(join(root, name))
        .filter((file) => extensions.includes(extname(file).toLowerCase()))
        .map((file) => ({ path: join(root, name, file), label })),
    );
    if (this.files.length === 0) throw new DataError(`ImageFolder: no ${extensions.join('/')} files under the class directories of ${root}`);
  }

  get length(): number {
    return this.files.length;
  }

  get(index: number): Sample<RawImage> {
    checkIndex('ImageFolder.get', index, this.files.length);
    const { path, label } = this.files[index]!;
    return { input: decodeImage(readFileBytes('ImageFolder', path), this.channels, path), label };
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (e) {
    throw new DataError(`ImageFolder: cannot list ${dir}: ${(e as Error).message}`);
  }
}
