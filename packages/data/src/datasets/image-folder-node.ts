import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ArgumentError, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkOneOf, checkPath, show } from '../check.js';
import { type Dataset, type Sample, checkIndex } from '../dataset.js';
import { DataError } from '../errors.js';
import type { RawImage } from '../image.js';
import { decodeImage } from './decode-node.js';
import { readFileBytes } from './idx-node.js';

/** Options of `ImageFolder`. */
export interface ImageFolderOptions {
  /** 3 for RGB (default), 1 for greyscale. */
  channels?: 1 | 3;
  /** File extensions taken as images, with the dot; matched ignoring case. Default .png, .jpg, .jpeg. */
  extensions?: readonly string[];
}
const IMAGE_FOLDER_OPTIONS = optionKeys<ImageFolderOptions>()(['channels', 'extensions']);

/**
 * One sub-directory per class (torchvision's ImageFolder): classes are the sub-directory
 * names in sorted order, label i is classes[i]. Files are decoded on every get, so memory
 * stays small and each epoch re-reads the disk (the OS page cache makes that cheap).
 */
export class ImageFolder implements Dataset<Sample<RawImage>> {
  /** Class names: the sub-directory names, sorted; label i is classes[i]. */
  readonly classes: readonly string[];
  /** Every image file with its label, in sorted order. */
  readonly files: ReadonlyArray<{
    /** The file's path: root/class/file. */
    path: string;
    /** Its class index. */
    label: number;
  }>;
  private readonly channels: 1 | 3;

  constructor(
    /** The directory holding one sub-directory per class. */
    readonly root: string,
    options: ImageFolderOptions = {},
  ) {
    checkPath('ImageFolder', 'root', root);
    checkOptions('ImageFolder', options, IMAGE_FOLDER_OPTIONS);
    const { channels = 3, extensions = ['.png', '.jpg', '.jpeg'] } = options;
    checkOneOf('ImageFolder', 'channels', channels, [1, 3] as const);
    this.channels = channels;
    checkExtensions(extensions);
    this.classes = listDir(root).filter((name) => statSync(join(root, name)).isDirectory());
    if (this.classes.length === 0) throw new DataError(`ImageFolder: ${root} has no class sub-directories`);
    this.files = this.classes.flatMap((name, label) =>
      listDir(join(root, name))
        .filter((file) => extensions.some((e) => e.toLowerCase() === extname(file).toLowerCase()))
        .map((file) => ({ path: join(root, name, file), label })),
    );
    if (this.files.length === 0) throw new DataError(`ImageFolder: no ${extensions.join('/')} files under the class directories of ${root}`);
  }

  /** Number of image files. */
  get length(): number {
    return this.files.length;
  }

  /** Decodes file `index` (PNG or JPEG) to a RawImage with the options' channels, with its label. */
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

/** `png` or `*.png` would match no file: ImageFolder would then read fewer images, or none. */
function checkExtensions(extensions: unknown): void {
  if (!Array.isArray(extensions) || extensions.length === 0) {
    throw new ArgumentError(`ImageFolder: extensions must be a non-empty array such as ['.png', '.jpg'], got ${show(extensions)}`);
  }
  extensions.forEach((e, i) => {
    if (typeof e !== 'string' || !/^\.[^./\\*]+$/.test(e)) {
      throw new ArgumentError(`ImageFolder: extensions[${i}] must be a file extension with its dot, such as '.png', got ${show(e)}`);
    }
  });
}
