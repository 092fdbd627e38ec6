/**
 * Layer 0: the error types that every layer may throw and the CLI reports as one line.
 */

/**
 * An error caused by the user's input: a bad file, a bad option value, a checkpoint that does
 * not fit. The CLI prints its message as one line and exits with code 2, without a stack trace.
 * The message names the value, what is wrong with it and what to do.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/**
 * Training stopped because a loss or a gradient became NaN or infinite. The message names the
 * step and the layer, so a reader can tell where the numbers went wrong.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';

  constructor(
    readonly step: number,
    readonly layer: string,
    readonly quantity: string,
    readonly value: number,
  ) {
    super(
      `training diverged at step ${step}: ${quantity} in ${layer} is ${value}; ` +
        'try a smaller learning rate or another seed',
    );
  }
}
