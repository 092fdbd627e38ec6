import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/lessons/narrator.js';
import {
  columnAlignment,
  createMarkdownNarrator,
  escapeAsterisks,
  markdownTable,
} from '../../src/render/markdown.js';

const SECTIONS: Section[] = [
  { kind: 'heading', text: 'The Perceptron', level: 1 },
  { kind: 'prose', text: 'A weighted sum   \nthen a step.' },
  { kind: 'math', text: 'y = step(w . x + b)' },
  { kind: 'diagram', text: 'x1 --w1--\\\n          (+)--> y', caption: 'One neuron.' },
  {
    kind: 'table',
    columns: ['gate', 'accuracy'],
    rows: [
      ['AND', '1.00'],
      ['XOR', 0.5],
    ],
    caption: 'Accuracy after training.',
  },
  { kind: 'example', title: 'One update', lines: ['w1 = 0.10 + 0.5 * 1 = 0.60'] },
  {
    kind: 'chart',
    name: 'loss',
    title: 'Loss by epoch',
    chart: { type: 'line', xLabel: 'epoch', yLabel: 'loss', series: [] },
  },
  { kind: 'result', label: 'XOR accuracy', value: '50.0%' },
  { kind: 'sample', caption: 'Generated text', text: 'Shall I compare ```thee```' },
];

const EXPECTED = `# The Perceptron

A weighted sum
then a step.

\`\`\`text
y = step(w . x + b)
\`\`\`

\`\`\`text
x1 --w1--\\
          (+)--> y
\`\`\`

*One neuron.*

| gate | accuracy |
| ---- | -------: |
| AND  |     1.00 |
| XOR  |      0.5 |

*Accuracy after training.*

**One update**

\`\`\`text
w1 = 0.10 + 0.5 * 1 = 0.60
\`\`\`

![Loss by epoch](loss.svg)

**XOR accuracy:** 50.0%

Generated text

\`\`\`\`text
Shall I compare \`\`\`thee\`\`\`
\`\`\`\`
`;

describe('createMarkdownNarrator', () => {
  it('renders a fixed section list', () => {
    const narrator = createMarkdownNarrator();
    for (const section of SECTIONS) narrator.emit(section);
    expect(narrator.toMarkdown()).toBe(EXPECTED);
  });

  it('records charts with their file names', () => {
    const narrator = createMarkdownNarrator();
    for (const section of SECTIONS) narrator.emit(section);
    expect(narrator.charts.map((chart) => chart.fileName)).toEqual(['loss.svg']);
    expect(narrator.charts[0].title).toBe('Loss by epoch');
  });

  it('fences loop lines under the label', () => {
    const narrator = createMarkdownNarrator();
    const progress = narrator.progress('Training AND', 3);
    narrator.emit({ kind: 'prose', text: 'After.' });
    progress.update({ done: 1 });
    progress.update({ done: 2, line: 'epoch 2 loss 0.5000' });
    progress.finish();
    // The block takes its place at the first line, after the prose emitted before it.
    expect(narrator.toMarkdown()).toBe(
      'After.\n\nTraining AND:\n\n```text\nepoch 2 loss 0.5000\n```\n',
    );
  });

  it('omits a loop without lines', () => {
    const narrator = createMarkdownNarrator();
    narrator.progress('quiet', 10).finish();
    expect(narrator.toMarkdown()).toBe('');
  });

  it('leaves no trailing spaces', () => {
    const narrator = createMarkdownNarrator();
    for (const section of SECTIONS) narrator.emit(section);
    expect(narrator.toMarkdown()).not.toMatch(/ +\n/);
  });

  it('escapes stars in prose, captions and tables', () => {
    const narrator = createMarkdownNarrator();
    narrator.emit({ kind: 'prose', text: 'the line w1*x1 + b = 0' });
    narrator.emit({ kind: 'table', columns: ['f'], rows: [['2*x']], caption: 'f = 2*x' });
    expect(narrator.toMarkdown()).toBe(
      'the line w1\\*x1 + b = 0\n\n| f    |\n| ---- |\n| 2\\*x |\n\n*f = 2\\*x*\n',
    );
  });

  it('rejects a chart name used twice', () => {
    const narrator = createMarkdownNarrator();
    narrator.emit(SECTIONS[6]);
    expect(() => narrator.emit(SECTIONS[6])).toThrow(
      "chart name 'loss' is used twice; give each chart its own name",
    );
  });

  it('rejects a chart name with a slash', () => {
    const narrator = createMarkdownNarrator();
    expect(() => narrator.emit({ ...SECTIONS[6], name: '../loss' } as Section)).toThrow(
      "chart name '../loss' is invalid; use letters, digits, '-' and '_' only",
    );
  });
});

describe('markdownTable', () => {
  it('right-aligns numeric columns and escapes pipes', () => {
    expect(
      markdownTable(
        ['name', 'value'],
        [
          ['a|b', 1.5],
          ['c', '-2'],
        ],
      ),
    ).toEqual(['| name | value |', '| ---- | ----: |', '| a\\|b |   1.5 |', '| c    |    -2 |']);
  });
});

describe('escapeAsterisks', () => {
  it('escapes a product written with stars', () => {
    // Unescaped, Markdown would italicise 'x1 + w2'
    expect(escapeAsterisks('w1*x1 + w2*x2 = 0')).toBe('w1\\*x1 + w2\\*x2 = 0');
  });

  it('escapes a star that opens a word', () => {
    expect(escapeAsterisks('*x and y*')).toBe('\\*x and y\\*');
  });

  it('keeps bold markers', () => {
    expect(escapeAsterisks('**bold** text')).toBe('**bold** text');
  });

  it('keeps a star between spaces', () => {
    expect(escapeAsterisks('* item with a * b')).toBe('* item with a * b');
  });

  it('keeps stars inside code spans', () => {
    expect(escapeAsterisks('see `w1*x1` and w*x')).toBe('see `w1*x1` and w\\*x');
  });
});

describe('columnAlignment', () => {
  it('reads formatted numbers as numeric', () => {
    const rows = [['95.3%', '1,024', '1.2e-4', '+0.250', 'AND']];
    expect(columnAlignment(['a', 'b', 'c', 'd', 'e'], rows)).toEqual([
      'right',
      'right',
      'right',
      'right',
      'left',
    ]);
  });

  it('keeps an explicit alignment', () => {
    expect(columnAlignment(['a'], [[1]], ['left'])).toEqual(['left']);
  });
});
