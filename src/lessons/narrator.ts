/**
 * Layer 4: a lesson's narration, as data.
 *
 * A lesson never prints. It emits sections to a Narrator; the terminal narrator prints them
 * with colour, the Markdown narrator writes `transcript.md`, and a JSON run discards them.
 * Every number inside a section comes from the run, so a section is built after the numbers
 * exist. Wall-clock times never enter a section, because the transcript must be the same byte
 * for byte for the same seed.
 */

/** A chart, described by its data; the render layer draws it as an SVG file. */
export type Chart =
  | {
      type: 'line';
      xLabel: string;
      yLabel: string;
      /** One named series per curve; points are [x, y]. */
      series: { name: string; points: [number, number][] }[];
      /** Plot y on a log scale (values must be positive). */
      logY?: boolean;
    }
  | {
      /** A 2-D decision surface: grid values in [0, 1] coloured, with labelled points on top. */
      type: 'boundary';
      xLabel: string;
      yLabel: string;
      /** Panels side by side, one per model or task. */
      panels: {
        title: string;
        /** Grid x and y coordinates, and value[row][col] at (xs[col], ys[row]). */
        xs: number[];
        ys: number[];
        values: number[][];
        points: { x: number; y: number; label: number }[];
      }[];
    }
  | {
      /** A heatmap of a matrix, such as a confusion matrix or attention weights. */
      type: 'heatmap';
      xLabel: string;
      yLabel: string;
      rowLabels: string[];
      colLabels: string[];
      values: number[][];
      /** Print each cell's value on the cell. */
      showValues?: boolean;
    }
  | {
      /** Small greyscale images in a grid, such as kernels or digits. */
      type: 'images';
      images: { title: string; pixels: number[][] }[];
      columns: number;
      /**
       * A scale symmetric about 0, from -m to m where m is the largest absolute pixel, so 0 is
       * middle grey, positive pixels are dark and negative ones light. A legend shows the range.
       * Without it, the scale runs from the lowest pixel (white) to the highest (black).
       */
      signed?: boolean;
    }
  | {
      type: 'bar';
      xLabel: string;
      yLabel: string;
      bars: { label: string; value: number; group?: string }[];
      logY?: boolean;
    };

export type Section =
  | { kind: 'heading'; text: string; level: 1 | 2 | 3 }
  | { kind: 'prose'; text: string }
  /** Monospace text drawn as-is: an ASCII diagram or terminal art. */
  | { kind: 'diagram'; text: string; caption?: string }
  /** A formula block, in plain text. */
  | { kind: 'math'; text: string }
  | {
      kind: 'table';
      columns: string[];
      rows: (string | number)[][];
      caption?: string;
      /** Per-column alignment; numbers default to right, text to left. */
      align?: ('left' | 'right')[];
    }
  /** A worked example: monospace lines of arithmetic with this run's numbers. */
  | { kind: 'example'; title: string; lines: string[] }
  /** A chart saved as `<name>.svg` in the lesson's output folder. */
  | { kind: 'chart'; name: string; title: string; chart: Chart }
  /** A key result, shown highlighted. */
  | { kind: 'result'; label: string; value: string }
  /** Generated text, shown between fences. */
  | { kind: 'sample'; caption: string; text: string };

/** One line of training progress with fixed fields, for example `epoch 3 loss 0.1234`. */
export interface ProgressReport {
  /** How far along, in `total` units (steps or epochs). */
  done: number;
  /** The fixed-format line for the transcript, or undefined to update the bar only. */
  line?: string;
}

/** A progress display for one loop. */
export interface Progress {
  update(report: ProgressReport): void;
  /** Ends the display. */
  finish(): void;
}

/** Receives a lesson's sections in order. */
export interface Narrator {
  emit(section: Section): void;
  /** Starts a progress display for a loop of `total` units named by `label`. */
  progress(label: string, total: number): Progress;
}

/** Emits each section in order. */
export function emitAll(narrator: Narrator, sections: Section[]): void {
  for (const section of sections) {
    narrator.emit(section);
  }
}

/** A narrator that discards everything, for `--json` runs and tests. */
export const silentNarrator: Narrator = {
  emit() {},
  progress() {
    return { update() {}, finish() {} };
  },
};
