import { describe, expect, it } from 'vitest';
import { createMarkdownNarrator } from '../../src/render/markdown.js';
import { writeLessonOutput } from '../../src/render/output.js';
import { teeNarrator } from '../../src/render/tee.js';

describe('writeLessonOutput', () => {
  it('writes each chart and then the transcript', async () => {
    const narrator = createMarkdownNarrator();
    narrator.emit({ kind: 'heading', text: 'Lesson', level: 1 });
    narrator.emit({
      kind: 'chart',
      name: 'loss',
      title: 'Loss',
      chart: {
        type: 'line',
        xLabel: 'step',
        yLabel: 'loss',
        series: [{ name: 'a', points: [[0, 1]] }],
      },
    });
    const files = new Map<string, string>();
    const written = await writeLessonOutput('out/01-x', narrator, async (path, text) => {
      files.set(path, text);
    });
    expect(written).toEqual(['out/01-x/loss.svg', 'out/01-x/transcript.md']);
    expect(files.get('out/01-x/loss.svg')).toMatch(/^<svg/);
    expect(files.get('out/01-x/transcript.md')).toBe('# Lesson\n\n![Loss](loss.svg)\n');
  });
});

describe('teeNarrator', () => {
  it('forwards sections and progress to each narrator', () => {
    const first = createMarkdownNarrator();
    const second = createMarkdownNarrator();
    const tee = teeNarrator([first, second]);
    tee.emit({ kind: 'prose', text: 'hello' });
    const progress = tee.progress('loop', 1);
    progress.update({ done: 1, line: 'step 1' });
    progress.finish();
    expect(first.toMarkdown()).toBe('hello\n\nloop:\n\n```text\nstep 1\n```\n');
    expect(second.toMarkdown()).toBe(first.toMarkdown());
  });
});
