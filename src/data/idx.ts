/**
 * Layer 3: a parser for IDX files, the format in which MNIST (LeCun, Cortes and Burges) and
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) are distributed.
 *
 * An IDX file is a header of big-endian 32-bit integers followed by the data, one unsigned
 * byte per value:
 *
 *   offset  images file                         labels file
 *   0       magic 2051 (0x00000803)             magic 2049 (0x00000801)
 *   4       item count n                        item count n
 *   8       rows                                n label bytes, 0 to 255
 *   12      cols
 *   16      n * rows * cols pixel bytes, image by image, row by row; 0 is background
 *
 * The magic number's third byte, 0x08, is the value type (unsigned byte) and its fourth the
 * number of dimensions (3 for images, 1 for labels). This file parses bytes it is handed;
 * reading and gunzipping the files belongs to the caller.
 */
import { UserError } from '../primitives/errors.js';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

/** The standard file names of a training and a test set, without the optional `.gz`. */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The images of one IDX file. */
export interface IdxImages {
  rows: number;
  cols: number;
  /** One view per image into the file's bytes, rows * cols pixels row by row. */
  images: Uint8Array[];
}

/**
 * Parses an IDX images file.
 *
 * @param bytes the whole file, already gunzipped
 * @param fileName named in error messages
 * @throws UserError when the file is shorter than its header, has another magic number, or
 *   contains fewer or more pixel bytes than its header describes
 */
export function parseIdxImages(bytes: Uint8Array, fileName: string): IdxImages {
  const headerLength = 16;
  checkHeader(bytes, fileName, IDX_IMAGES_MAGIC, headerLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  checkDataLength(
    bytes,
    fileName,
    headerLength,
    count * rows * cols,
    `${count} images of ${rows}x${cols}`,
  );

  const size = rows * cols;
  const images = new Array<Uint8Array>(count);
  for (let n = 0; n < count; n++) {
    const start = headerLength + n * size;
    images[n] = bytes.subarray(start, start + size);
  }
  return { rows, cols, images };
}

/**
 * Parses an IDX labels file.
 *
 * @param bytes the whole file, already gunzipped
 * @param fileName named in error messages
 * @returns one label per item, 0 to 255
 * @throws UserError when the file is shorter than its header, has another magic number, or
 *   contains fewer or more label bytes than its header describes
 */
export function parseIdxLabels(bytes: Uint8Array, fileName: string): number[] {
  const headerLength = 8;
  checkHeader(bytes, fileName, IDX_LABELS_MAGIC, headerLength);
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  checkDataLength(bytes, fileName, headerLength, count, `${count} labels`);
  return Array.from(bytes.subarray(headerLength, headerLength + count));
}

/**
 * Finds a file among a folder's names, plain or gzipped.
 * @returns `name` or `name.gz`, whichever `names` contains (plain first), or undefined
 */
export function findIdxFile(names: readonly string[], name: string): string | undefined {
  if (names.includes(name)) return name;
  if (names.includes(`${name}.gz`)) return `${name}.gz`;
  return undefined;
}

function checkHeader(bytes: Uint8Array, fileName: string, magic: number, length: number): void {
  const kind = magic === IDX_IMAGES_MAGIC ? 'images' : 'labels';
  if (bytes.length < length) {
    throw new UserError(
      `${fileName}: the file has ${bytes.length} bytes, fewer than the ${length}-byte header ` +
        `of an IDX ${kind} file; it is truncated or not an IDX file, so download it again`,
    );
  }
  const found = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (found !== magic) {
    const hint =
      found === IDX_IMAGES_MAGIC || found === IDX_LABELS_MAGIC
        ? `it is an IDX ${kind === 'images' ? 'labels' : 'images'} file, so pass the ${kind} file`
        : 'it is not an IDX file or it is corrupt';
    throw new UserError(
      `${fileName}: the magic number is ${found} but an IDX ${kind} file starts with ` +
        `${magic}; ${hint}`,
    );
  }
}

function checkDataLength(
  bytes: Uint8Array,
  fileName: string,
  headerLength: number,
  expected: number,
  described: string,
): void {
  const found = bytes.length - headerLength;
  if (found < expected) {
    throw new UserError(
      `${fileName}: the header describes ${described} (${expected} bytes) but only ${found} ` +
        'bytes follow it; the file is truncated, so download it again',
    );
  }
  if (found > expected) {
    throw new UserError(
      `${fileName}: the header describes ${described} (${expected} bytes) but ${found} ` +
        'bytes follow it; the file is corrupt, so download it again',
    );
  }
}
