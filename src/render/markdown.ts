/**
 * Edge: the Markdown narrator, which builds a lesson's `transcript.md` from its sections.
 *
 * The transcript is a pure function of the sections and progress lines it receives: no
 * timings, no dates, no trailing spaces, one blank line between blocks and one newline at the
 * end. Charts become image links to `<name>.svg`, which the caller writes beside the transcript
 * (see writeLessonOutput).
 */
import type { Chart, Narrator, Progress, Section } from '../lessons/narrator.js';

/** A chart the transcript links to, with the file name it expects. */
export interface ChartFile {
  /** File name without the folder, for example `boundaries.svg`. */
  fileName: string;
  title: string;
  chart: Chart;
}

/** A narrator that records a transcript; read it with `toMarkdown` once the lesson is done. */
export interface MarkdownNarrator extends Narrator {
  /** Returns the transcript of everything emitted so far. */
  toMarkdown(): string;
  /** The charts emitted so far, in order. */
  readonly charts: ChartFile[];
}

/** A finished section, or a training loop's lines, which keep growing until it finishes. */
type Block = { lines: string[] } | { progressLabel: string; lines: string[] };

/** Creates an empty Markdown narrator. */
export function createMarkdownNarrator(): MarkdownNarrator {
  const blocks: Block[] = [];
  const charts: ChartFile[] = [];
  return {
    charts,
    emit(section: Section) {
      if (section.kind === 'chart') charts.push(chartFile(section, charts));
      blocks.push({ lines: sectionToMarkdown(section) });
    },
    progress(label: string): Progress {
      // The block takes its place at the loop's first line, as in the terminal narrator.
      const block = { progressLabel: label, lines: [] as string[] };
      return {
        update(report) {
          if (report.line === undefined) return;
          if (block.lines.length === 0) blocks.push(block);
          block.lines.push(report.line);
        },
        finish() {},
      };
    },
    toMarkdown() {
      const text = blocks
        .map(blockLines)
        .filter((lines) => lines.length > 0)
        .map((lines) => lines.map((line) => line.trimEnd()).join('\n'))
        .join('\n\n');
      return text.length === 0 ? '' : `${text}\n`;
    },
  };
}

/**
 * Returns the file a chart section goes to.
 * @throws Error when the name is not a plain file name or another chart already has it
 */
function chartFile(section: Extract<Section, { kind: 'chart' }>, charts: ChartFile[]): ChartFile {
  if (!CHART_NAME.test(section.name)) {
    throw new Error(
      `chart name '${section.name}' is invalid; use letters, digits, '-' and '_' only`,
    );
  }
  const fileName = `${section.name}.svg`;
  if (charts.some((chart) => chart.fileName === fileName)) {
    throw new Error(`chart name '${section.name}' is used twice; give each chart its own name`);
  }
  return { fileName, title: section.title, chart: section.chart };
}

/** A chart name: the file name of its SVG without the extension. */
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Returns a block's Markdown lines; a loop's lines go in a fence under its label. */
function blockLines(block: Block): string[] {
  if (!('progressLabel' in block)) return block.lines;
  if (block.lines.length === 0) return [];
  return [`${block.progressLabel}:`, '', ...fenced(block.lines)];
}

/** Renders one section as Markdown lines. */
export function sectionToMarkdown(section: Section): string[] {
  switch (section.kind) {
    case 'heading':
      return [`${'#'.repeat(section.level)} ${escapeAsterisks(section.text)}`];
    case 'prose':
      return escapeAsterisks(section.text).split('\n');
    case 'diagram':
      return [...fenced(section.text.split('\n')), ...caption(section.caption)];
    case 'math':
      return fenced(section.text.split('\n'));
    case 'table':
      return [
        ...markdownTable(section.columns, section.rows, section.align),
        ...caption(section.caption),
      ];
    case 'example':
      return [`**${escapeAsterisks(section.title)}**`, '', ...fenced(section.lines)];
    case 'chart':
      return [`![${section.title}](${section.name}.svg)`];
    case 'result':
      return [`**${escapeAsterisks(section.label)}:** ${escapeAsterisks(section.value)}`];
    case 'sample':
      return [escapeAsterisks(section.caption), '', ...fenced(section.text.split('\n'))];
  }
}

/**
 * Formats a GitHub-flavoured Markdown table with padded columns, so the source reads as a
 * table too. Pipes inside cells are escaped.
 */
export function markdownTable(
  columns: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align?: readonly ('left' | 'right')[],
): string[] {
  const alignment = columnAlignment(columns, rows, align);
  const cells = [columns, ...rows].map((row) =>
    columns.map((_, j) => escapeAsterisks(String(row[j] ?? '').replaceAll('|', '\\|'))),
  );
  const widths = columns.map((_, j) => Math.max(3, ...cells.map((row) => row[j].length)));
  const rule = widths.map((width, j) =>
    alignment[j] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [cells[0], rule, ...cells.slice(1)].map(
    (row) => `| ${row.map((cell, j) => pad(cell, widths[j], alignment[j])).join(' | ')} |`,
  );
}

/**
 * Returns the alignment of each column: as given, or right when every cell in the column is a
 * number or reads as one (`0.125`, `-3`, `1,024`, `95.3%`, `1.2e-4`), else left.
 */
export function columnAlignment(
  columns: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  align?: readonly ('left' | 'right')[],
): ('left' | 'right')[] {
  return columns.map((_, j) => {
    if (align?.[j] !== undefined) return align[j];
    const numeric = rows.length > 0 && rows.every((row) => isNumeric(row[j]));
    return numeric ? 'right' : 'left';
  });
}

function isNumeric(cell: string | number | undefined): boolean {
  if (typeof cell === 'number') return true;
  if (cell === undefined) return false;
  return /^[-+]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?(e[-+]?\d+)?%?$/i.test(cell) && /\d/.test(cell);
}

function pad(cell: string, width: number, alignment: 'left' | 'right'): string {
  return alignment === 'right' ? cell.padStart(width) : cell.padEnd(width);
}

/** Wraps lines in a code fence longer than any run of backticks inside them. */
function fenced(lines: readonly string[]): string[] {
  const longestRun = Math.max(0, ...lines.map((line) => longestBacktickRun(line)));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}text`, ...lines, fence];
}

function longestBacktickRun(line: string): number {
  const runs = line.match(/`+/g) ?? [];
  return Math.max(0, ...runs.map((run) => run.length));
}

function caption(text: string | undefined): string[] {
  return text === undefined ? [] : ['', `*${escapeAsterisks(text)}*`];
}

/**
 * Escapes each lone `*` that Markdown could read as emphasis, such as both in `w1*x1 + w2*x2`,
 * which would otherwise italicise `x1 + w2`. Code spans, `**` bold markers and a `*` with
 * spaces on both sides (a list marker, or `a * b`) are left as they are.
 */
export function escapeAsterisks(text: string): string {
  // Odd parts of the split are code spans, where a backslash would print as is.
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(EMPHASIS_STAR, '\\*')))
    .join('');
}

/** A `*` not next to another `*`, with a character other than a space before or after it. */
const EMPHASIS_STAR = /(?<=[^*\s])\*(?!\*)|(?<!\*)\*(?=[^*\s])/g;
