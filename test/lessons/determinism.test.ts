// Every registered lesson, run in quick mode through the Markdown narrator, must give the same
// transcript byte for byte for the same seed, a different one for another seed, and never
// print NaN or undefined.
import { describe, expect, it } from 'vitest';
import { nodeIO } from '../../src/cli/io.js';
import { lessons } from '../../src/lessons/index.js';
import type { Lesson, LessonIO } from '../../src/lessons/lesson.js';
import { createRng } from '../../src/primitives/random.js';
import { createMarkdownNarrator } from '../../src/render/markdown.js';

/** The real files and bundled data, but writes go to memory. */
const testIO: LessonIO = {
  ...nodeIO,
  async writeTextAtomic() {},
};

/** Runs a lesson in quick mode and returns its transcript and its charts as JSON. */
async function transcript(lesson: Lesson, seed: number): Promise<string> {
  const narrator = createMarkdownNarrator();
  await lesson.run({ seed, quick: true, narrator, io: testIO, options: {} });
  return `${narrator.toMarkdown()}\n${JSON.stringify(narrator.charts)}`;
}

/** Checks the three properties for one lesson. */
async function checkDeterminism(lesson: Lesson): Promise<void> {
  const first = await transcript(lesson, 1);
  const second = await transcript(lesson, 1);
  const other = await transcript(lesson, 2);
  expect(second).toBe(first);
  expect(other).not.toBe(first);
  expect(first).not.toContain('NaN');
  expect(first).not.toContain('undefined');
  expect(other).not.toContain('NaN');
  expect(other).not.toContain('undefined');
}

describe('lesson transcripts', () => {
  // Three quick runs per lesson; a training lesson's quick mode may take several seconds each.
  for (const lesson of lessons) {
    it(
      `lesson ${lesson.number} (${lesson.name}) repeats for a seed`,
      { timeout: 180_000 },
      async () => {
        await checkDeterminism(lesson);
      },
    );
  }

  it('check accepts a seeded toy lesson', async () => {
    const toy: Lesson = {
      number: 0,
      name: 'toy',
      title: 'Toy',
      paper: 'none',
      learns: 'nothing',
      needs: 'nothing',
      runTime: 'instant',
      options: [],
      async run({ seed, narrator }) {
        const rng = createRng(seed);
        const weight = rng.uniform().toFixed(3);
        narrator.emit({ kind: 'prose', text: `The weight starts at ${weight}.` });
        const progress = narrator.progress('training', 2);
        progress.update({ done: 2, line: `step 2 weight ${weight}` });
        progress.finish();
        return { settings: {}, metrics: {} };
      },
    };
    await checkDeterminism(toy);
  });

  it('check rejects a lesson that prints NaN', async () => {
    const broken: Lesson = {
      number: 0,
      name: 'broken',
      title: 'Broken',
      paper: 'none',
      learns: 'nothing',
      needs: 'nothing',
      runTime: 'instant',
      options: [],
      async run({ seed, narrator }) {
        narrator.emit({ kind: 'prose', text: `seed ${seed}, loss ${Number.NaN}` });
        return { settings: {}, metrics: {} };
      },
    };
    await expect(checkDeterminism(broken)).rejects.toThrow();
  });
});
