import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/lessons/narrator.js';
import {
  createTerminalNarrator,
  formatEta,
  sectionToTerminal,
  styleInline,
  wrapProse,
} from '../../src/render/terminal.js';

const plain = pc.createColors(false);
const colored = pc.createColors(true);

/** Creates a non-TTY stream that stores what is written to it. */
function recorder() {
  const chunks: string[] = [];
  return { stream: { write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
}

describe('wrapProse', () => {
  it('wraps words at the width', () => {
    expect(wrapProse('one two three four', 9, false)).toEqual(['one two', 'three', 'four']);
  });

  it('joins single line breaks and keeps paragraphs', () => {
    expect(wrapProse('a\nb\n\nc', 20, false)).toEqual(['a b', '', 'c']);
  });

  it('indents wrapped list items', () => {
    expect(wrapProse('Steps:\n- one two three\n- four', 9, false)).toEqual([
      'Steps:',
      '- one two',
      '  three',
      '- four',
    ]);
  });

  it('gives markers no width when styled', () => {
    // '**ab**' shows as 'ab', so 'ab cd' is 5 wide and fits in 5 columns
    expect(wrapProse('**ab** cd', 5, true)).toEqual(['**ab** cd']);
    expect(wrapProse('`ab` cd', 5, false)).toEqual(['`ab`', 'cd']);
  });

  it('keeps a long word whole', () => {
    expect(wrapProse('abcdefgh ij', 4, false)).toEqual(['abcdefgh', 'ij']);
  });

  it('keeps a short bracketed group on one line', () => {
    expect(wrapProse('the input (1, 0) gives 1', 12, false)).toEqual([
      'the input',
      '(1, 0) gives',
      '1',
    ]);
    expect(wrapProse('values in [-0.5, 0.5) here', 12, false)).toEqual([
      'values in',
      '[-0.5, 0.5)',
      'here',
    ]);
  });

  it('breaks a long bracketed group between words', () => {
    // '(per pass: 2, 3, 4)' is 19 characters, longer than the 16 kept together
    expect(wrapProse('ends (per pass: 2, 3, 4)', 12, false)).toEqual([
      'ends (per',
      'pass: 2, 3,',
      '4)',
    ]);
  });

  it('breaks no line next to an operator', () => {
    expect(wrapProse('so w1 + w2 >= -b holds', 13, false)).toEqual([
      'so',
      'w1 + w2 >= -b',
      'holds',
    ]);
    expect(wrapProse('error t - y is 0', 7, false)).toEqual(['error', 't - y', 'is 0']);
  });

  it('breaks math wider than a line after operators', () => {
    expect(wrapProse('a + b + c + d', 5, false)).toEqual(['a +', 'b +', 'c + d']);
  });
});

describe('formatEta', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatEta(42.4)).toBe('42s');
    // 185 s = 3 min 5 s
    expect(formatEta(185)).toBe('3m05s');
    // 3720 s = 1 h 2 min
    expect(formatEta(3720)).toBe('1h02m');
  });

  it('shows dashes before an estimate exists', () => {
    expect(formatEta(Number.NaN)).toBe('--');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('--');
  });
});

describe('styleInline', () => {
  it('drops bold markers and keeps backticks without colour', () => {
    expect(styleInline(['**a** `b`'], plain)).toEqual(['a `b`']);
  });

  it('carries bold across lines', () => {
    expect(styleInline(['**a', 'b**'], colored)).toEqual([colored.bold('a'), colored.bold('b')]);
  });
});

describe('sectionToTerminal', () => {
  it('underlines a first-level heading', () => {
    const section: Section = { kind: 'heading', text: 'XOR', level: 1 };
    expect(sectionToTerminal(section, plain, 80)).toEqual(['XOR', '===']);
  });

  it('aligns a table with numbers on the right', () => {
    const section: Section = {
      kind: 'table',
      columns: ['gate', 'accuracy'],
      rows: [
        ['AND', 1],
        ['XOR', 0.5],
      ],
    };
    expect(sectionToTerminal(section, plain, 80)).toEqual([
      'gate  accuracy',
      '----  --------',
      'AND          1',
      'XOR        0.5',
    ]);
  });

  it('prints a diagram verbatim', () => {
    const section: Section = { kind: 'diagram', text: '  a   b  \n(+)' };
    expect(sectionToTerminal(section, plain, 3)).toEqual(['  a   b  ', '(+)']);
  });

  it('shows where a chart is written', () => {
    const section: Section = {
      kind: 'chart',
      name: 'loss',
      title: 'Loss',
      chart: { type: 'line', xLabel: 'x', yLabel: 'y', series: [] },
    };
    expect(sectionToTerminal(section, plain, 80, 'output/01-perceptron')).toEqual([
      'chart Loss: output/01-perceptron/loss.svg',
    ]);
  });

  it('indents a worked example', () => {
    const section: Section = { kind: 'example', title: 'Update', lines: ['w = 1'] };
    expect(sectionToTerminal(section, plain, 80)).toEqual(['Update', '  w = 1']);
  });
});

describe('createTerminalNarrator', () => {
  it('separates blocks by one blank line', () => {
    const out = recorder();
    const narrator = createTerminalNarrator({ stream: out.stream, color: false, width: 80 });
    narrator.emit({ kind: 'heading', text: 'A', level: 3 });
    narrator.emit({ kind: 'prose', text: 'text' });
    narrator.emit({ kind: 'result', label: 'x', value: '1' });
    narrator.emit({ kind: 'result', label: 'y', value: '2' });
    expect(out.text()).toBe('A\n\ntext\n\nx: 1\ny: 2\n');
  });

  it('prints only the lines of a loop without a TTY', () => {
    const out = recorder();
    const narrator = createTerminalNarrator({ stream: out.stream, color: false });
    const progress = narrator.progress('Training', 2);
    progress.update({ done: 1 });
    progress.update({ done: 2, line: 'epoch 2 loss 0.1000' });
    progress.finish();
    narrator.close();
    expect(out.text()).toBe('Training:\nepoch 2 loss 0.1000\n');
  });

  it('prints no colour codes when colour is off', () => {
    const out = recorder();
    const narrator = createTerminalNarrator({ stream: out.stream, color: false });
    narrator.emit({ kind: 'heading', text: 'A', level: 1 });
    narrator.emit({ kind: 'result', label: 'x', value: '1' });
    expect(out.text()).not.toContain('\u001b[');
  });

  it('uses colour when asked', () => {
    const out = recorder();
    const narrator = createTerminalNarrator({ stream: out.stream, color: true });
    narrator.emit({ kind: 'result', label: 'x', value: '1' });
    expect(out.text()).toContain('\u001b[');
  });
});
