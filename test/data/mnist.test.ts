import { describe, expect, it } from 'vitest';
import {
  imageSetFromDigits,
  imageSetFromIdx,
  NO_DISTORTION,
  createDisplacementField,
  randomDisplacementField,
  randomDistortion,
  readDistortedImage,
  readImage,
  splitImageSet,
  type ImageSet,
} from '../../src/data/mnist.js';
import { zerosMatrix } from '../../src/primitives/matrix.js';
import { createRng } from '../../src/primitives/random.js';

/** Ten classes with `perClass` blank digits each, pixel 0 of each digit set to its index. */
function fakeDigits(perClass: number): number[][] {
  return Array.from({ length: 10 }, () => {
    const pixels = new Array<number>(784 * perClass).fill(0);
    for (let n = 0; n < perClass; n++) pixels[784 * n] = n / 255;
    return pixels;
  });
}

function setOf(count: number): ImageSet {
  return {
    rows: 1,
    cols: 1,
    images: Array.from({ length: count }, (_, n) => new Uint8Array([n])),
    labels: Array.from({ length: count }, (_, n) => n % 10),
  };
}

describe('imageSetFromDigits', () => {
  it('labels each digit by its class', () => {
    const set = imageSetFromDigits(fakeDigits(2));
    expect(set.images).toHaveLength(20);
    expect(set.labels.slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('recovers bytes from rounded fractions', () => {
    // The package stores 253 / 255 = 0.99216 as 0.992; 0.992 * 255 = 252.96 rounds to 253.
    const digits = fakeDigits(1);
    digits[0][1] = 0.992;
    expect(imageSetFromDigits(digits).images[0][1]).toBe(253);
  });
});

describe('splitImageSet', () => {
  it('is the same for the same seed', () => {
    const a = splitImageSet(setOf(50), 10, 3);
    const b = splitImageSet(setOf(50), 10, 3);
    expect(a.test.images.map((image) => image[0])).toEqual(b.test.images.map((image) => image[0]));
  });

  it('holds out disjoint digits', () => {
    const { train, test } = splitImageSet(setOf(50), 10, 3);
    expect(train.images).toHaveLength(40);
    expect(test.images).toHaveLength(10);
    const ids = [...train.images, ...test.images].map((image) => image[0]);
    expect(new Set(ids).size).toBe(50);
  });

  it('keeps labels with their images', () => {
    const { train } = splitImageSet(setOf(50), 10, 3);
    train.images.forEach((image, n) => expect(train.labels[n]).toBe(image[0] % 10));
  });
});

describe('readImage', () => {
  it('scales bytes to [0, 1]', () => {
    const out = zerosMatrix(2, 2);
    expect(readImage(new Uint8Array([0, 51, 255, 102]), out)).toEqual([
      [0, 0.2],
      [1, 0.4],
    ]);
  });
});

describe('readDistortedImage', () => {
  const image = new Uint8Array(16);
  image[5] = 255; // row 1, column 1 of a 4x4 image

  it('identity matches readImage', () => {
    const plain = readImage(image, zerosMatrix(4, 4));
    expect(readDistortedImage(image, NO_DISTORTION, null, zerosMatrix(4, 4))).toEqual(plain);
  });

  it('shifts by whole pixels', () => {
    const out = readDistortedImage(
      image,
      { ...NO_DISTORTION, dx: 1, dy: 2 },
      null,
      zerosMatrix(4, 4),
    );
    expect(out[3][2]).toBe(1);
    expect(out.flat().reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('interpolates half a pixel', () => {
    const out = readDistortedImage(image, { ...NO_DISTORTION, dx: 0.5 }, null, zerosMatrix(4, 4));
    expect(out[1][1]).toBeCloseTo(0.5, 12);
    expect(out[1][2]).toBeCloseTo(0.5, 12);
  });

  it('moves each pixel by its displacement', () => {
    const field = createDisplacementField(4, 4);
    // Output pixel (2, 3) reads the source at (2 - 1, 3 - 2) = (1, 1), the inked pixel.
    field.dy[2][3] = -1;
    field.dx[2][3] = -2;
    const out = readDistortedImage(image, NO_DISTORTION, field, zerosMatrix(4, 4));
    expect(out[2][3]).toBe(1);
    expect(out[1][1]).toBe(1);
    expect(out.flat().reduce((s, v) => s + v, 0)).toBe(2);
  });

  it('draws smooth displacement fields about a pixel in size', () => {
    const rng = createRng(1);
    let sumSquares = 0;
    let neighbourGap = 0;
    const fields = 50;
    const field = createDisplacementField(28, 28);
    for (let n = 0; n < fields; n++) {
      const { dx } = randomDisplacementField(rng, field);
      expect([dx.length, dx[0].length]).toEqual([28, 28]);
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          sumSquares += dx[y][x] ** 2;
          if (x > 0) neighbourGap += Math.abs(dx[y][x] - dx[y][x - 1]);
        }
      }
    }
    const std = Math.sqrt(sumSquares / (fields * 28 * 28));
    expect(std).toBeGreaterThan(0.5);
    expect(std).toBeLessThan(1.5);
    // Neighbours move alike: the step between them is a small part of the displacement.
    expect(neighbourGap / (fields * 28 * 27)).toBeLessThan(std / 3);
  });

  it('rejects a field of the wrong size', () => {
    const field = createDisplacementField(3, 4);
    expect(() => readDistortedImage(image, NO_DISTORTION, field, zerosMatrix(4, 4))).toThrow(
      'readDistortedImage: the field is (3, 4) but out is (4, 4); draw the field at the ' +
        "image's size",
    );
  });

  it('draws distortions within the limits', () => {
    const rng = createRng(1);
    for (let n = 0; n < 100; n++) {
      const d = randomDistortion(rng);
      expect(Math.abs(d.dx)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(d.scale - 1)).toBeLessThanOrEqual(0.05);
    }
  });
});

describe('mnist errors', () => {
  it('imageSetFromIdx rejects a count mismatch', () => {
    const images = { rows: 1, cols: 1, images: [new Uint8Array(1), new Uint8Array(1)] };
    expect(() => imageSetFromIdx(images, [1], 'a-images', 'a-labels')).toThrow(
      'a-images has 2 images but a-labels has 1 labels; pass an images file and the labels ' +
        'file that belongs to it',
    );
  });

  it('imageSetFromIdx rejects a label above 9', () => {
    const images = { rows: 1, cols: 1, images: [new Uint8Array(1), new Uint8Array(1)] };
    expect(() => imageSetFromIdx(images, [3, 12], 'i', 'l')).toThrow(
      'l: label 12 at index 1 is outside 0 to 9; LeNet-5 has 10 outputs, so pass a data set ' +
        'with 10 classes',
    );
  });

  it('imageSetFromDigits rejects a wrong class count', () => {
    expect(() => imageSetFromDigits([[]])).toThrow(
      'imageSetFromDigits: digits has 1 classes; pass one array per digit 0 to 9',
    );
  });

  it('imageSetFromDigits rejects a partial digit', () => {
    const digits = fakeDigits(1);
    digits[4] = [0, 0, 0];
    expect(() => imageSetFromDigits(digits)).toThrow(
      'imageSetFromDigits: class 4 has 3 values, not a multiple of 784; each digit must ' +
        'have 28 * 28 pixels',
    );
  });

  it('splitImageSet rejects a test count of 0', () => {
    expect(() => splitImageSet(setOf(5), 0, 1)).toThrow(
      'splitImageSet: testCount is 0 but the set has 5 images; it must be a whole number in ' +
        '[1, 4]',
    );
  });

  it('readImage rejects a wrong shape', () => {
    expect(() => readImage(new Uint8Array(4), zerosMatrix(3, 3))).toThrow(
      'readImage: out is (3, 3) but the image has 4 pixels; out must have rows * cols = 4 ' +
        'elements',
    );
  });

  it('readDistortedImage rejects a wrong shape', () => {
    expect(() =>
      readDistortedImage(new Uint8Array(4), NO_DISTORTION, null, zerosMatrix(1, 3)),
    ).toThrow(
      'readDistortedImage: out is (1, 3) but the image has 4 pixels; out must have rows * ' +
        'cols = 4 elements',
    );
  });
});
