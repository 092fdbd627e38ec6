import { describe, expect, it } from 'vitest';
import { BACKPROP_SETTINGS, backpropLesson, type XorRun } from '../../src/lessons/backprop.js';
import { localMinima, vanishingGradients } from '../../src/lessons/backprop.prose.js';
import type { LessonIO } from '../../src/lessons/lesson.js';
import type { Section } from '../../src/lessons/narrator.js';
import { arithmeticErrors } from './arithmetic.js';
import { recordingNarrator } from './recorder.js';

async function runLesson(seed: number, quick: boolean) {
  const narrator = recordingNarrator();
  const result = await backpropLesson.run({
    seed,
    quick,
    narrator,
    io: {} as LessonIO,
    options: {},
  });
  return { narrator, result };
}

describe('backprop lesson', () => {
  it('quick run narrates without NaN or undefined', async () => {
    const { narrator } = await runLesson(1, true);
    const text = narrator.text();
    expect(text).not.toContain('NaN');
    expect(text).not.toContain('undefined');
    const charts = narrator.sections.flatMap((s) => (s.kind === 'chart' ? [s.name] : []));
    expect(charts).toEqual(['xor-units', 'xor-loss', 'circles-boundary', 'gradient-norms']);
  });

  it('same seed gives the same narration', async () => {
    const first = await runLesson(2, true);
    const second = await runLesson(2, true);
    expect(second.narrator.text()).toBe(first.narrator.text());
  });

  it('another seed changes the chain-rule trace', async () => {
    const trace = (sections: Section[]) => sections.find((s) => s.kind === 'example');
    const first = await runLesson(1, true);
    const second = await runLesson(2, true);
    expect(trace(second.narrator.sections)).not.toEqual(trace(first.narrator.sections));
  });

  it('chain rule adds up on printed digits', async () => {
    for (const seed of [1, 2, 3]) {
      const { narrator } = await runLesson(seed, true);
      const examples = narrator.sections.flatMap((s) => (s.kind === 'example' ? [s] : []));
      expect(examples).toHaveLength(2);
      for (const example of examples) expect(arithmeticErrors(example.lines)).toEqual([]);
    }
  });

  it('arithmetic check reads sigmoid and powers', () => {
    // sigmoid(0) = 0.5, and (0.5 - 1)^2 = 0.25
    expect(arithmeticErrors(['h = sigmoid(0.0000) = 0.5000'])).toEqual([]);
    expect(arithmeticErrors(['L = (0.5000 - 1)^2 = 0.2500'])).toEqual([]);
    expect(arithmeticErrors(['L = (0.5000 - 1)^2 = 0.2600'])).toHaveLength(1);
  });

  it('full run hits the targets', async () => {
    const { result } = await runLesson(1, false);
    const metrics = result.metrics as {
      xor: { accuracy: number };
      circles: { testAccuracy: number };
      gradients: { sigmoidFirstLayer: number; sigmoidOutputLayer: number };
    };
    expect(metrics.xor.accuracy).toBe(1);
    expect(metrics.circles.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(metrics.gradients.sigmoidFirstLayer).toBeLessThan(
      metrics.gradients.sigmoidOutputLayer / 100,
    );
  });
});

/** Joins the text of every prose section. */
function proseText(sections: Section[]): string {
  return sections.flatMap((s) => (s.kind === 'prose' ? [s.text] : [])).join('\n');
}

describe('backprop prose', () => {
  const solved = { loss: 0.0001, accuracy: 1 };
  const stalled = { loss: 0.12521, accuracy: 0.5 };

  it('groups equal stalled starts', () => {
    const xor = { attempts: [solved], accuracy: 1 } as XorRun;
    const text = proseText(localMinima(xor, [stalled, solved, stalled], BACKPROP_SETTINGS));
    expect(text).toContain('2 of them stalled, each at accuracy 0.50 with loss 0.1252.');
  });

  it('lists different stalled starts', () => {
    const xor = { attempts: [solved], accuracy: 1 } as XorRun;
    const other = { loss: 0.16688, accuracy: 0.75 };
    const text = proseText(localMinima(xor, [stalled, other, stalled], BACKPROP_SETTINGS));
    expect(text).toContain(
      '3 of them stalled, 2 at accuracy 0.50 with loss 0.1252 and 1 at accuracy 0.75 with ' +
        'loss 0.1669.',
    );
  });

  it('says when every attempt stalled', () => {
    const xor = { attempts: [stalled, stalled], accuracy: 0.5 } as XorRun;
    const text = proseText(localMinima(xor, [solved], BACKPROP_SETTINGS));
    expect(text).toContain('Attempt 2 stalled too, and no attempts were left.');
    expect(text).not.toContain('found a solution');
  });

  it('gives gradient ratios from printed norms', () => {
    const norms = (first: number, last: number) => [
      { layer: 'hidden1', weights: first, bias: 0 },
      { layer: 'output', weights: last, bias: 0 },
    ];
    // 4.66e-1 / 6.83e-6 = 68,228, about 68,000; 2.87e-2 / 4.78e-2 = 0.6004, about 0.60
    const sections = vanishingGradients(
      { sigmoid: norms(6.8289e-6, 0.46555), tanh: norms(0.04775, 0.02869) },
      BACKPROP_SETTINGS,
    );
    const text = proseText(sections);
    expect(text).toContain("the output layer's gradient is about 68,000 times the first layer's");
    expect(text).toContain('the ratio is about 0.60.');
  });
});
