/**
 * Edge: the terminal narrator, which prints a lesson's sections as they arrive.
 *
 * Prose wraps to the terminal width, at most 100 columns; diagrams, worked examples and
 * samples print verbatim; tables align. Colour (picocolors) is on only when the stream is a
 * TTY and NO_COLOR is unset or empty. On a TTY, a training loop that runs longer than a moment
 * gets a progress bar with an ETA (cli-progress), and each report's line prints above the bar.
 * Elsewhere only the lines print.
 */
import cliProgress, { type MultiBar } from 'cli-progress';
import { createColors } from 'picocolors';
import { alignColumns } from '../lessons/format.js';
import type { Narrator, Progress, Section } from '../lessons/narrator.js';
import { columnAlignment } from './markdown.js';

/** Widest line of wrapped prose, in columns, however wide the terminal is. */
export const MAX_WIDTH = 100;

/** A terminal narrower than this is taken as one whose width is unknown. */
const MIN_WIDTH = 20;

/** A loop shows a bar only once it has run this long, so short loops do not flicker. */
const BAR_DELAY_MS = 300;

/** Longest loop label shown in front of a bar, in characters. */
const MAX_BAR_LABEL = 32;

/** Minimum time between two redraws of a bar, in milliseconds. */
const REDRAW_MS = 100;

/** The part of a writable stream the narrator uses; `process.stdout` fits. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface TerminalOptions {
  /** Output stream; default process.stdout. */
  stream?: OutputStream;
  /** Colour on or off; default on for a TTY unless NO_COLOR is set. */
  color?: boolean;
  /** Wrap width in columns; default the terminal's width capped at MAX_WIDTH. */
  width?: number;
  /** Progress bars on or off; default on for a TTY. */
  progressBars?: boolean;
  /** The folder charts are written to, shown next to each chart's title. */
  chartDir?: string;
}

/** A terminal narrator; call `close` when the lesson ends or fails, to stop any bar. */
export interface TerminalNarrator extends Narrator {
  close(): void;
}

type Colors = ReturnType<typeof createColors>;

/** Creates a narrator that prints to a terminal or, without a TTY, plain text to any stream. */
export function createTerminalNarrator(options: TerminalOptions = {}): TerminalNarrator {
  const stream = options.stream ?? process.stdout;
  const isTTY = stream.isTTY === true;
  const noColor = (process.env.NO_COLOR ?? '') !== '';
  const colors = createColors(options.color ?? (isTTY && !noColor));
  const width = options.width ?? terminalWidth(stream.columns);
  const progressBars = options.progressBars ?? isTTY;
  const active = new Set<MultiBar>();
  let previous: Section['kind'] | 'progress' | undefined;

  /** Prints lines as one block, after a blank line unless it is the first block. */
  function printBlock(kind: Section['kind'] | 'progress', lines: string[]): void {
    const joinsPrevious = kind === 'result' && previous === 'result';
    if (previous !== undefined && !joinsPrevious) stream.write('\n');
    stream.write(lines.map((line) => `${line}\n`).join(''));
    previous = kind;
  }

  return {
    emit(section: Section) {
      printBlock(section.kind, sectionToTerminal(section, colors, width, options.chartDir));
    },
    progress(label: string, total: number): Progress {
      const started = Date.now();
      let printedLabel = false;
      let multibar: MultiBar | undefined;
      let bar: ReturnType<MultiBar['create']> | undefined;
      let lastDraw = 0;

      function printLine(line: string): void {
        if (!printedLabel) {
          printBlock('progress', [colors.dim(`${label}:`)]);
          printedLabel = true;
        }
        if (multibar) multibar.log(`${line}\n`);
        else stream.write(`${line}\n`);
      }

      return {
        update(report) {
          if (report.line !== undefined) printLine(report.line);
          if (!progressBars) return;
          const now = Date.now();
          if (!multibar && now - started >= BAR_DELAY_MS && report.done < total) {
            multibar = createBar(stream, label);
            bar = multibar.create(total, report.done);
            active.add(multibar);
          }
          if (!multibar || !bar) return;
          bar.update(report.done);
          // Training loops block the event loop, so cli-progress's redraw timer never fires:
          // redraw here, at once for a new line and otherwise at most every REDRAW_MS.
          if (report.line !== undefined || now - lastDraw >= REDRAW_MS) {
            multibar.update();
            lastDraw = now;
          }
        },
        finish() {
          if (!multibar) return;
          multibar.stop();
          active.delete(multibar);
          multibar = undefined;
        },
      };
    },
    close() {
      for (const multibar of active) multibar.stop();
      active.clear();
    },
  };
}

/** Returns the wrap width: the terminal's columns capped at MAX_WIDTH, or MAX_WIDTH when unknown. */
function terminalWidth(columns: number | undefined): number {
  // A pseudo-terminal without a size reports 0 columns.
  if (columns === undefined || columns < MIN_WIDTH) return MAX_WIDTH;
  return Math.min(columns, MAX_WIDTH);
}

function createBar(stream: OutputStream, label: string): MultiBar {
  // cli-progress cuts the bar line at the terminal width, counting colour codes as
  // characters, so the line stays plain and the label short.
  const name = label.length > MAX_BAR_LABEL ? `${label.slice(0, MAX_BAR_LABEL - 3)}...` : label;
  return new cliProgress.MultiBar({
    stream: stream as NodeJS.WritableStream,
    format: (options, params) => {
      const bar = cliProgress.Format.BarFormat(params.progress, options);
      const percent = Math.floor(params.progress * 100);
      return (
        `${name} [${bar}] ${percent}% | ${params.value}/${params.total} | ` +
        `ETA ${formatEta(params.eta)}`
      );
    },
    barsize: 30,
    clearOnComplete: true,
    // Ctrl-C must stop a training loop at once. A SIGINT handler would wait for the loop to
    // yield, which it never does, so the bar installs none. It also changes no terminal
    // setting (cursor, line wrapping) that a killed process would leave changed.
    gracefulExit: false,
    hideCursor: false,
    linewrap: true,
  });
}

/** Formats an ETA in seconds as `42s`, `3m05s` or `1h02m`; `--` before there is an estimate. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.floor((whole % 3600) / 60);
  return `${Math.floor(whole / 3600)}h${String(minutes).padStart(2, '0')}m`;
}

/** Renders one section as terminal lines. */
export function sectionToTerminal(
  section: Section,
  colors: Colors,
  width: number,
  chartDir?: string,
): string[] {
  switch (section.kind) {
    case 'heading': {
      const text = colors.bold(section.level === 1 ? colors.cyan(section.text) : section.text);
      if (section.level === 3) return [text];
      const rule = (section.level === 1 ? '=' : '-').repeat(section.text.length);
      return [text, colors.dim(rule)];
    }
    case 'prose':
      return styleInline(wrapProse(section.text, width, colors.isColorSupported), colors);
    case 'diagram':
      return [...section.text.split('\n'), ...captionLines(section.caption, colors, width)];
    case 'math':
      return section.text.split('\n').map((line) => `    ${line}`);
    case 'table':
      return [...tableLines(section, colors), ...captionLines(section.caption, colors, width)];
    case 'example':
      return [
        colors.bold(colors.yellow(section.title)),
        ...section.lines.map((line) => `  ${line}`),
      ];
    case 'chart': {
      const where =
        chartDir === undefined ? `${section.name}.svg` : `${chartDir}/${section.name}.svg`;
      return [`${colors.magenta('chart')} ${section.title}: ${colors.dim(where)}`];
    }
    case 'result':
      return [`${section.label}: ${colors.bold(colors.green(section.value))}`];
    case 'sample': {
      const fence = colors.dim('-'.repeat(Math.min(width, 60)));
      return [colors.bold(section.caption), fence, ...section.text.split('\n'), fence];
    }
  }
}

function captionLines(text: string | undefined, colors: Colors, width: number): string[] {
  if (text === undefined) return [];
  return wrapProse(text, width, false).map((line) => colors.dim(colors.italic(line)));
}

function tableLines(section: Extract<Section, { kind: 'table' }>, colors: Colors): string[] {
  const alignment = columnAlignment(section.columns, section.rows, section.align);
  const cells = section.rows.map((row) => section.columns.map((_, j) => String(row[j] ?? '')));
  const widths = section.columns.map((column, j) =>
    Math.max(column.length, ...cells.map((row) => row[j].length)),
  );
  const rule = widths.map((columnWidth) => '-'.repeat(columnWidth));
  const lines = alignColumns([section.columns, rule, ...cells], alignment);
  return lines.map((line, i) => {
    if (i === 0) return colors.bold(line);
    if (i === 1) return colors.dim(line);
    return line;
  });
}

/**
 * Wraps prose to `width` columns. Paragraphs are separated by blank lines; inside one, a line
 * starting with `- `, `* ` or `1. ` starts a list item, wrapped with a hanging indent, and other
 * line breaks are joined with a space as Markdown does. `**` markers take no width when they
 * will become bold, and backticks take none when they will become colour.
 *
 * Inline math stays on one line where it fits: no break falls next to an operator such as `+`,
 * `>=` or `<-`, or inside a bracketed group of at most MAX_GROUP characters such as `(1, 0)` or
 * `[-0.5, 0.5)`. A run of words joined this way that is wider than a line breaks after its
 * operators.
 */
export function wrapProse(text: string, width: number, styled: boolean): string[] {
  const visibleLength = (word: string) => word.replace(styled ? /\*\*|`/g : /\*\*/g, '').length;
  const lines: string[] = [];
  const paragraphs = text.split(/\n\s*\n/);
  paragraphs.forEach((paragraph, p) => {
    if (p > 0) lines.push('');
    for (const item of splitListItems(paragraph)) {
      const indent = ' '.repeat(listMarkerWidth(item));
      let line = '';
      let length = 0;
      const place = (word: string, wordLength: number) => {
        if (length > 0 && length + 1 + wordLength > width) {
          lines.push(line);
          line = indent + word;
          length = indent.length + wordLength;
        } else {
          line = length === 0 ? word : `${line} ${word}`;
          length = length === 0 ? wordLength : length + 1 + wordLength;
        }
      };
      const words = item.split(/\s+/).filter((w) => w.length > 0);
      const runLength = (run: readonly string[]) =>
        run.reduce((total, word) => total + visibleLength(word), run.length - 1);
      for (const run of unbreakableRuns(words)) {
        if (indent.length + runLength(run) <= width) {
          place(run.join(' '), runLength(run));
          continue;
        }
        // The run is wider than any line, so it breaks after operators and each line ends with one.
        for (const piece of splitAfterOperators(run)) place(piece.join(' '), runLength(piece));
      }
      lines.push(line);
    }
  });
  return lines;
}

/** Longest bracketed group, in characters with its brackets, that wrapProse keeps on one line. */
const MAX_GROUP = 16;

/** A word that is only an operator, such as `+`, `*`, `=`, `>=`, `<-` or `->`. */
const OPERATOR = /^(?:[-+*/=<>^]|<-|->|<=|>=|==|!=)$/;

/**
 * Splits words into runs that wrapProse must not break: words joined by an operator, and short
 * bracketed groups. Every word lands in exactly one run, in order.
 */
function unbreakableRuns(words: readonly string[]): string[][] {
  // glued[k] is true when no line break may fall between words k and k + 1.
  const glued = new Array<boolean>(Math.max(0, words.length - 1)).fill(false);
  for (let k = 0; k + 1 < words.length; k++) {
    if (OPERATOR.test(words[k]) || OPERATOR.test(words[k + 1])) glued[k] = true;
  }
  // Each open bracket records its position, and its close glues the words in between.
  const open: { word: number; offset: number }[] = [];
  let offset = 0;
  words.forEach((word, k) => {
    for (let i = 0; i < word.length; i++) {
      const character = word[i];
      if (character === '(' || character === '[') open.push({ word: k, offset: offset + i });
      else if ((character === ')' || character === ']') && open.length > 0) {
        const start = open.pop() as { word: number; offset: number };
        const groupLength = offset + i - start.offset + 1;
        if (groupLength <= MAX_GROUP) glued.fill(true, start.word, k);
      }
    }
    offset += word.length + 1;
  });

  const runs: string[][] = [];
  words.forEach((word, k) => {
    if (k > 0 && glued[k - 1]) runs[runs.length - 1].push(word);
    else runs.push([word]);
  });
  return runs;
}

/** Splits a run of words after each operator: `a + b = c` gives `a +`, `b =`, `c`. */
function splitAfterOperators(run: readonly string[]): string[][] {
  const pieces: string[][] = [[]];
  for (const word of run) {
    pieces[pieces.length - 1].push(word);
    if (OPERATOR.test(word)) pieces.push([]);
  }
  return pieces.filter((piece) => piece.length > 0);
}

const LIST_MARKER = /^\s*([-*]|\d+\.)\s+/;

function splitListItems(paragraph: string): string[] {
  const items: string[] = [];
  for (const line of paragraph.split('\n')) {
    if (items.length === 0 || LIST_MARKER.test(line)) items.push(line.trim());
    else items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

function listMarkerWidth(item: string): number {
  const match = LIST_MARKER.exec(item);
  return match === null ? 0 : match[0].length;
}

/**
 * Turns `**bold**` and `` `code` `` markers into colour, carrying an open marker across line
 * breaks. Without colour, `**` markers are dropped and backticks kept.
 */
export function styleInline(lines: string[], colors: Colors): string[] {
  let bold = false;
  let code = false;
  return lines.map((line) => {
    let out = '';
    for (const part of line.split(/(\*\*|`)/)) {
      if (part === '**') bold = !bold;
      else if (part === '`') {
        code = !code;
        if (!colors.isColorSupported) out += part;
      } else if (part.length > 0) {
        let text = part;
        if (code) text = colors.cyan(text);
        if (bold) text = colors.bold(text);
        out += text;
      }
    }
    return out;
  });
}
