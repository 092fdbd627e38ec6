/**
 * Edge: the options every lesson takes, and the validation of option values from the command
 * line. Values are checked once, here, so lessons receive numbers in range.
 */
import type { LessonOption } from '../lessons/lesson.js';
import { UserError } from '../primitives/errors.js';

/** The default of `--seed`. */
export const DEFAULT_SEED = 1;

/** Largest seed: seeds are 32-bit, so larger ones would repeat smaller ones' streams. */
export const MAX_SEED = 0xffffffff;

/** The default of `--out`, relative to the current folder. */
export const DEFAULT_OUT = 'output';

/** An option every lesson takes, for registration and for the top-level help. */
export interface CommonOption {
  flags: string;
  description: string;
}

export const COMMON_OPTIONS: CommonOption[] = [
  {
    flags: '--seed <N>',
    description: `seed of the random generator, an integer from 0 to ${MAX_SEED}; the same seed gives the same transcript (default: ${DEFAULT_SEED})`,
  },
  {
    flags: '--out <DIR>',
    description: `folder for results; the lesson writes transcript.md and its charts (.svg) to DIR/<NN>-<name>/ (default: ${DEFAULT_OUT})`,
  },
  {
    flags: '--quick',
    description: 'small settings that finish in seconds, for a first look and for tests',
  },
  {
    flags: '--json',
    description:
      'print one JSON object {lesson, seed, settings, metrics, seconds} instead of the narrative, and write no files',
  },
];

/** Names the common options use, which a lesson's own options must not reuse. */
export const RESERVED_OPTION_NAMES = ['seed', 'out', 'quick', 'json', 'help', 'version'];

/**
 * Parses `--seed`: an integer from 0 to MAX_SEED.
 * @throws UserError naming the value and the valid range
 */
export function parseSeed(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_SEED;
  return parseOptionValue(
    {
      name: 'seed',
      description: 'seed',
      type: 'integer',
      min: 0,
      max: MAX_SEED,
      valueName: 'N',
    },
    raw,
  ) as number;
}

/**
 * Parses `--out`: any non-empty path.
 * @throws UserError when the value is empty
 */
export function parseOut(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_OUT;
  if (raw.trim() === '') {
    throw new UserError(`--out is empty; give a folder path, for example --out ${DEFAULT_OUT}`);
  }
  return raw;
}

/**
 * Parses one value of a lesson option by its declared type and range.
 * @returns a number for `number` and `integer` options, else the string
 * @throws UserError naming the option, the value and what would be valid
 */
export function parseOptionValue(option: LessonOption, raw: string): string | number {
  const flag = `--${option.name}`;
  if (option.type === 'string') {
    if (raw.trim() === '') {
      throw new UserError(`${flag} is empty; give a ${option.valueName}`);
    }
    return raw;
  }

  const kind = option.type === 'integer' ? 'an integer' : 'a number';
  const pattern = option.type === 'integer' ? INTEGER : DECIMAL;
  const value = Number(raw);
  if (!pattern.test(raw.trim()) || !Number.isFinite(value)) {
    throw new UserError(`${flag} '${raw}' is not ${kind}; give ${rangeText(option)}`);
  }
  if (option.type === 'integer' && !Number.isSafeInteger(value)) {
    throw new UserError(`${flag} ${raw} is too large; give ${rangeText(option)}`);
  }
  const belowMin = option.min !== undefined && value < option.min;
  const aboveMax = option.max !== undefined && value > option.max;
  if (belowMin || aboveMax) {
    throw new UserError(`${flag} ${raw} is out of range; give ${rangeText(option)}`);
  }
  return value;
}

const INTEGER = /^[-+]?\d+$/;
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Describes the valid values, for example `an integer from 1 to 100`. */
function rangeText(option: LessonOption): string {
  const kind = option.type === 'integer' ? 'an integer' : 'a number';
  const { min, max } = option;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}
