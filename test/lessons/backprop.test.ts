import { describe, expect, it } from 'vitest';
import { backpropLesson } from '../../src/lessons/backprop.js';
import type { LessonIO } from '../../src/lessons/lesson.js';
import type { Narrator, Section } from '../../src/lessons/narrator.js';

/** A narrator that records sections and progress lines as text, in order. */
function recordingNarrator(): Narrator & { text(): string; sections: Section[] } {
  const sections: Section[] = [];
  const lines: string[] = [];
  return {
    sections,
    emit(section) {
      sections.push(section);
      lines.push(JSON.stringify(section));
    },
    progress(label) {
      return {
        update(report) {
          if (report.line !== undefined) lines.push(`${label}: ${report.line}`);
        },
        finish() {},
      };
    },
    text: () => lines.join('\n'),
  };
}

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
