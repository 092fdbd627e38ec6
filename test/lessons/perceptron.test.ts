import { describe, expect, it } from 'vitest';
import type { LessonIO } from '../../src/lessons/lesson.js';
import type { Section } from '../../src/lessons/narrator.js';
import { perceptronLesson } from '../../src/lessons/perceptron.js';
import { arithmeticErrors } from './arithmetic.js';
import { recordingNarrator } from './recorder.js';

async function runLesson(seed: number, quick: boolean) {
  const narrator = recordingNarrator();
  const result = await perceptronLesson.run({
    seed,
    quick,
    narrator,
    io: {} as LessonIO,
    options: {},
  });
  return { narrator, result };
}

describe('perceptron lesson', () => {
  it('quick run narrates without NaN or undefined', async () => {
    const { narrator } = await runLesson(1, true);
    const text = narrator.text();
    expect(text).not.toContain('NaN');
    expect(text).not.toContain('undefined');
    expect(narrator.sections.some((s) => s.kind === 'example')).toBe(true);
    expect(narrator.sections.filter((s) => s.kind === 'chart')).toHaveLength(2);
  });

  it('same seed gives the same narration', async () => {
    const first = await runLesson(3, true);
    const second = await runLesson(3, true);
    expect(second.narrator.text()).toBe(first.narrator.text());
  });

  it('another seed changes the worked update', async () => {
    const example = (sections: Section[]) => sections.find((s) => s.kind === 'example');
    const first = await runLesson(1, true);
    const second = await runLesson(2, true);
    expect(example(second.narrator.sections)).not.toEqual(example(first.narrator.sections));
  });

  it('worked update adds up on printed digits', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { narrator } = await runLesson(seed, true);
      const example = narrator.sections.find((s) => s.kind === 'example');
      expect(example?.kind).toBe('example');
      if (example?.kind === 'example') expect(arithmeticErrors(example.lines)).toEqual([]);
    }
  });

  it('arithmetic check finds a wrong sum', () => {
    // 0.069 + 0.289 is 0.358
    expect(arithmeticErrors(['z = 0.069*1 + 0.289', '  = 0.359'])).toEqual([
      'z = 0.069*1 + 0.289 = 0.359: 0.069*1 + 0.289 is 0.358, not 0.359',
    ]);
    expect(arithmeticErrors(['w1 <- 0.069 + 0.1 * (-1) * 1 = -0.031'])).toEqual([]);
    expect(arithmeticErrors(['y = step(-0.001) = 1'])).toHaveLength(1);
  });

  it('explains a separable gate left unlearned', async () => {
    // With 10 passes, seed 4 does not finish AND
    const { narrator, result } = await runLesson(4, true);
    expect((result.metrics.accuracy as Record<string, number>).AND).toBeLessThan(1);
    const prose = narrator.sections.flatMap((s) => (s.kind === 'prose' ? [s.text] : []));
    expect(prose.join('\n')).toContain(
      'AND is linearly separable as well, so more passes would find a line, but 10 passes ' +
        'were not enough in this run.',
    );
  });

  it.each([1, 2, 3, 4, 5])('seed %i learns all but XOR', async (seed) => {
    const { result } = await runLesson(seed, false);
    const accuracy = result.metrics.accuracy as Record<string, number>;
    expect(accuracy.AND).toBe(1);
    expect(accuracy.OR).toBe(1);
    expect(accuracy.NAND).toBe(1);
    expect(accuracy.XOR).toBeLessThan(1);
  });
});
