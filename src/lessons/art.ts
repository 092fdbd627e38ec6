/**
 * Layer 4: terminal art. Grids of numbers drawn as characters, so a decision boundary, a
 * kernel or a digit shows in a terminal and in the Markdown transcript alike.
 *
 * Every function returns lines of plain ASCII without trailing spaces; a lesson puts them in a
 * `diagram` section with `lines.join('\n')`.
 */
import { fixed } from './format.js';

/** Characters from low to high value; each step reads darker than the one before. */
export const SHADE_RAMP = ' .:-=+*#%@';

/** Marks for labelled points, by label: label 0 is `o`, label 1 is `x`, and so on. */
export const POINT_MARKS = 'ox+*#@123456789';

export interface ShadeOptions {
  /** The value drawn with the first ramp character; lower values clamp to it. */
  min: number;
  /** The value drawn with the last ramp character; higher values clamp to it. */
  max: number;
  /** Characters from low to high; default SHADE_RAMP. */
  ramp?: string;
  /** Characters per cell; 2 makes square cells in most terminal fonts. Default 1. */
  cellWidth?: number;
}

/**
 * Draws a grid of values as characters, row 0 on the first line. The range [min, max] is cut
 * into as many equal bins as the ramp has characters; NaN draws as `?`.
 *
 * @param values the grid, (rows, cols)
 * @returns one line per row, `cols * cellWidth` characters before trailing spaces are trimmed
 * @throws RangeError when max is not above min or the rows differ in length
 */
export function shadeGrid(values: readonly (readonly number[])[], options: ShadeOptions): string[] {
  const { min, max, ramp = SHADE_RAMP, cellWidth = 1 } = options;
  checkGrid('shadeGrid', values, min, max);
  return values.map((row) => {
    let line = '';
    for (const value of row) line += shadeChar(value, min, max, ramp).repeat(cellWidth);
    return line.trimEnd();
  });
}

/**
 * Returns the ramp character for one value: bin floor((v - min) / (max - min) * rampLength),
 * clamped to the ends of the ramp.
 */
export function shadeChar(value: number, min: number, max: number, ramp = SHADE_RAMP): string {
  if (Number.isNaN(value)) return '?';
  const bin = Math.floor(((value - min) / (max - min)) * ramp.length);
  return ramp[Math.min(ramp.length - 1, Math.max(0, bin))];
}

/** A decision surface with labelled points; the same shape as a `boundary` chart panel. */
export interface BoundaryPanel {
  /** Optional heading printed above the map. */
  title?: string;
  /** Grid coordinates: values[row][col] is the value at (xs[col], ys[row]). */
  xs: readonly number[];
  ys: readonly number[];
  values: readonly (readonly number[])[];
  points: readonly { x: number; y: number; label: number }[];
}

export interface BoundaryOptions {
  /** Value range of the surface; default 0 to 1, such as a predicted probability. */
  min?: number;
  max?: number;
  /** Ramp for the surface; default a light ramp so point marks stay readable. */
  ramp?: string;
  /** Mark per label, indexed by label; default POINT_MARKS. */
  marks?: string;
  /** Decimals of the axis labels; default 1. */
  digits?: number;
}

/** A light ramp for boundary maps: the dense characters are left for the point marks. */
export const BOUNDARY_RAMP = ' .:-=';

/**
 * Draws a decision surface in a frame, with each point's label mark on the grid cell nearest to
 * it, the y range at the left and the x range below. The largest y is on top, whichever way ys
 * is ordered.
 *
 * ```
 *     +---+
 * 1.0 |.=x|
 *     | :=|
 * 0.0 |o o|
 *     +---+
 *     0.0 1.0
 * ```
 *
 * @throws RangeError when the grid does not match xs and ys, or a label has no mark
 */
export function boundaryMap(panel: BoundaryPanel, options: BoundaryOptions = {}): string[] {
  const { min = 0, max = 1, ramp = BOUNDARY_RAMP, marks = POINT_MARKS, digits = 1 } = options;
  const { xs, ys, values, points } = panel;
  checkGrid('boundaryMap', values, min, max);
  if (values.length !== ys.length || (values.length > 0 && values[0].length !== xs.length)) {
    const cols = values.length === 0 ? 0 : values[0].length;
    throw new RangeError(
      `boundaryMap: values are (${values.length}, ${cols}) but ys has length ${ys.length} and ` +
        `xs has length ${xs.length}; values must be (ys.length, xs.length)`,
    );
  }

  const cells = values.map((row) => row.map((value) => shadeChar(value, min, max, ramp)));
  for (const point of points) {
    const mark = marks[point.label];
    if (mark === undefined) {
      throw new RangeError(
        `boundaryMap: label ${point.label} has no mark; marks has ${marks.length} characters`,
      );
    }
    cells[nearestIndex(ys, point.y)][nearestIndex(xs, point.x)] = mark;
  }

  // Put the largest y on the first line, as on a plot.
  const topDown = ys.length > 1 && ys[0] < ys[ys.length - 1];
  const rows = topDown ? cells.reverse() : cells;
  const yTop = fixed(topDown ? ys[ys.length - 1] : ys[0], digits);
  const yBottom = fixed(topDown ? ys[0] : ys[ys.length - 1], digits);
  const labelWidth = Math.max(yTop.length, yBottom.length);
  const indent = ' '.repeat(labelWidth + 1);
  const border = `${indent}+${'-'.repeat(xs.length)}+`;

  const lines: string[] = [];
  if (panel.title !== undefined) lines.push(`${indent}${panel.title}`);
  lines.push(border);
  rows.forEach((row, i) => {
    let label = '';
    if (i === 0) label = yTop;
    else if (i === rows.length - 1) label = yBottom;
    lines.push(`${label.padStart(labelWidth)} |${row.join('')}|`);
  });
  lines.push(border);
  const xLeft = fixed(xs[0], digits);
  const xRight = fixed(xs[xs.length - 1], digits);
  const xGap = Math.max(1, xs.length + 2 - xLeft.length - xRight.length);
  lines.push(`${indent}${xLeft}${' '.repeat(xGap)}${xRight}`);
  return lines;
}

/**
 * Places blocks of lines side by side, each padded to its widest line, `gap` spaces apart, and
 * aligned at the top. Use it to show several boundary maps in one diagram.
 */
export function sideBySide(blocks: readonly (readonly string[])[], gap = 4): string[] {
  const widths = blocks.map((block) => Math.max(0, ...block.map((line) => line.length)));
  const height = Math.max(0, ...blocks.map((block) => block.length));
  const lines: string[] = [];
  for (let i = 0; i < height; i++) {
    const parts = blocks.map((block, b) => (block[i] ?? '').padEnd(widths[b]));
    lines.push(parts.join(' '.repeat(gap)).trimEnd());
  }
  return lines;
}

/**
 * Describes what each ramp character stands for, for a caption:
 * `' ' below 0.2, '.' 0.2 to 0.4, ..., '=' 0.8 and above` for BOUNDARY_RAMP over [0, 1].
 */
export function rampLegend(min: number, max: number, ramp = SHADE_RAMP, digits = 1): string {
  const step = (max - min) / ramp.length;
  const parts: string[] = [];
  for (let k = 0; k < ramp.length; k++) {
    const low = fixed(min + k * step, digits);
    const high = fixed(min + (k + 1) * step, digits);
    if (k === 0) parts.push(`'${ramp[k]}' below ${high}`);
    else if (k === ramp.length - 1) parts.push(`'${ramp[k]}' ${low} and above`);
    else parts.push(`'${ramp[k]}' ${low} to ${high}`);
  }
  return parts.join(', ');
}

/** Index of the coordinate closest to `value`; the first one wins a tie. */
function nearestIndex(coordinates: readonly number[], value: number): number {
  let best = 0;
  for (let i = 1; i < coordinates.length; i++) {
    if (Math.abs(coordinates[i] - value) < Math.abs(coordinates[best] - value)) best = i;
  }
  return best;
}

function checkGrid(
  fn: string,
  values: readonly (readonly number[])[],
  min: number,
  max: number,
): void {
  if (!(max > min)) {
    throw new RangeError(`${fn}: min is ${min} and max is ${max}; max must be above min`);
  }
  for (let i = 1; i < values.length; i++) {
    if (values[i].length !== values[0].length) {
      throw new RangeError(
        `${fn}: row ${i} has length ${values[i].length} but row 0 has length ` +
          `${values[0].length}; every row must have the same length`,
      );
    }
  }
}
