/**
 * Layer 4: number formatting shared by every lesson, so the same quantity reads the same way in
 * every transcript.
 *
 * All functions are pure and locale-independent: `toLocaleString` would make a transcript
 * depend on the machine that wrote it.
 */

/**
 * Formats `x` with exactly `digits` decimals, for example `fixed(0.12345, 3)` is `0.123`.
 * A value that rounds to zero prints without a minus sign (`-0.0001` gives `0.000`), and NaN or
 * an infinity prints as `NaN`, `Infinity` or `-Infinity`.
 */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const text = x.toFixed(digits);
  return isNegativeZeroText(text) ? text.slice(1) : text;
}

/** Formats `x` with `digits` decimals and an explicit sign: `+0.250`, `-1.500`, `0.000`. */
export function signed(x: number, digits: number): string {
  const text = fixed(x, digits);
  if (!Number.isFinite(x) || text.startsWith('-') || Number(text) === 0) return text;
  return `+${text}`;
}

/** Formats a fraction as a percentage with `digits` decimals: `percent(0.9534, 1)` is `95.3%`. */
export function percent(fraction: number, digits = 1): string {
  return `${fixed(fraction * 100, digits)}%`;
}

/**
 * Formats `x` in exponent notation with `digits` decimals in the mantissa, for quantities that
 * span orders of magnitude such as gradient norms: `exponential(0.000123, 2)` is `1.23e-4`.
 */
export function exponential(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(digits).replace('e+', 'e');
}

/** Formats an integer with commas between thousands: `integer(61706)` is `61,706`. */
export function integer(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const digits = Math.abs(Math.round(n)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 && Math.round(n) !== 0 ? `-${grouped}` : grouped;
}

/** Pads `text` on the left with spaces to `width` characters; longer text is kept whole. */
export function padLeft(text: string, width: number): string {
  return text.padStart(width, ' ');
}

/** Pads `text` on the right with spaces to `width` characters; longer text is kept whole. */
export function padRight(text: string, width: number): string {
  return text.padEnd(width, ' ');
}

/**
 * Aligns rows of cells into columns separated by `gap` spaces and returns one line per row.
 * Column j aligns left unless `align[j]` is `right`. Lines carry no trailing
 * spaces, so the output can go into a transcript as is.
 *
 * @param rows cells, (rows, columns); shorter rows are treated as padded with empty cells
 * @param align alignment per column; missing entries align left
 */
export function alignColumns(
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
  gap = 2,
): string[] {
  const columnCount = Math.max(0, ...rows.map((row) => row.length));
  const widths = new Array<number>(columnCount).fill(0);
  for (const row of rows) {
    for (let j = 0; j < row.length; j++) widths[j] = Math.max(widths[j], row[j].length);
  }
  const separator = ' '.repeat(gap);
  return rows.map((row) => {
    const cells: string[] = [];
    for (let j = 0; j < columnCount; j++) {
      const cell = row[j] ?? '';
      cells.push(align[j] === 'right' ? padLeft(cell, widths[j]) : padRight(cell, widths[j]));
    }
    return cells.join(separator).trimEnd();
  });
}

/** True for `-0`, `-0.00` and the like, which toFixed prints for tiny negative values. */
function isNegativeZeroText(text: string): boolean {
  return /^-0(\.0*)?$/.test(text);
}
