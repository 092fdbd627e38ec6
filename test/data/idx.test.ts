import { describe, expect, it } from 'vitest';
import {
  findIdxFile,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdxImages,
  parseIdxLabels,
} from '../../src/data/idx.js';
import { UserError } from '../../src/primitives/errors.js';

/** Builds an IDX file: big-endian 32-bit header words, then the data bytes. */
function idxFile(header: number[], data: number[]): Uint8Array {
  const bytes = new Uint8Array(4 * header.length + data.length);
  const view = new DataView(bytes.buffer);
  header.forEach((word, k) => view.setUint32(4 * k, word));
  bytes.set(data, 4 * header.length);
  return bytes;
}

describe('parseIdxImages', () => {
  it('reads two 2x3 images', () => {
    const file = idxFile([IDX_IMAGES_MAGIC, 2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const parsed = parseIdxImages(file, 'images');
    expect(parsed.rows).toBe(2);
    expect(parsed.cols).toBe(3);
    expect(parsed.images.map((image) => Array.from(image))).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
    ]);
  });

  it('reads the magic number big-endian', () => {
    // 2051 = 0x00000803: bytes 00 00 08 03.
    const file = idxFile([IDX_IMAGES_MAGIC, 0, 28, 28], []);
    expect(Array.from(file.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    expect(parseIdxImages(file, 'images').images).toEqual([]);
  });

  it('reads a file inside a larger buffer', () => {
    const file = idxFile([IDX_IMAGES_MAGIC, 1, 1, 2], [5, 6]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(parseIdxImages(padded.subarray(3), 'images').images[0])).toEqual([5, 6]);
  });
});

describe('parseIdxLabels', () => {
  it('reads three labels', () => {
    expect(parseIdxLabels(idxFile([IDX_LABELS_MAGIC, 3], [7, 0, 9]), 'labels')).toEqual([7, 0, 9]);
  });
});

describe('findIdxFile', () => {
  it('prefers the plain file', () => {
    expect(findIdxFile(['a', 'a.gz'], 'a')).toBe('a');
  });

  it('finds the gzipped file', () => {
    expect(findIdxFile(['b', 'a.gz'], 'a')).toBe('a.gz');
  });

  it('returns undefined when missing', () => {
    expect(findIdxFile(['b'], 'a')).toBeUndefined();
  });
});

describe('idx errors', () => {
  it('rejects a file shorter than the header', () => {
    expect(() => parseIdxImages(new Uint8Array(10), 'train-images')).toThrow(
      'train-images: the file has 10 bytes, fewer than the 16-byte header of an IDX images ' +
        'file; it is truncated or not an IDX file, so download it again',
    );
  });

  it('rejects a labels file passed as images', () => {
    const file = idxFile([IDX_LABELS_MAGIC, 0, 0, 0], []);
    expect(() => parseIdxImages(file, 'x')).toThrow(
      'x: the magic number is 2049 but an IDX images file starts with 2051; it is an IDX ' +
        'labels file, so pass the images file',
    );
  });

  it('rejects an images file passed as labels', () => {
    const file = idxFile([IDX_IMAGES_MAGIC, 0], []);
    expect(() => parseIdxLabels(file, 'y')).toThrow(
      'y: the magic number is 2051 but an IDX labels file starts with 2049; it is an IDX ' +
        'images file, so pass the labels file',
    );
  });

  it('rejects an unknown magic number', () => {
    // A gzip file that was not unpacked starts with 1f 8b 08 00 = 529205248.
    const file = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(() => parseIdxLabels(file, 'z.gz')).toThrow(UserError);
    expect(() => parseIdxLabels(file, 'z.gz')).toThrow(
      'z.gz: the magic number is 529205248 but an IDX labels file starts with 2049; it is not ' +
        'an IDX file or it is corrupt',
    );
  });

  it('rejects truncated pixel data', () => {
    const file = idxFile([IDX_IMAGES_MAGIC, 2, 2, 2], [1, 2, 3, 4, 5]);
    expect(() => parseIdxImages(file, 'img')).toThrow(
      'img: the header describes 2 images of 2x2 (8 bytes) but only 5 bytes follow it; the ' +
        'file is truncated, so download it again',
    );
  });

  it('rejects extra label bytes', () => {
    const file = idxFile([IDX_LABELS_MAGIC, 2], [1, 2, 3]);
    expect(() => parseIdxLabels(file, 'lab')).toThrow(
      'lab: the header describes 2 labels (2 bytes) but 3 bytes follow it; the file is ' +
        'corrupt, so download it again',
    );
  });
});
