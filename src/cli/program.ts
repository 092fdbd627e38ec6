/**
 * Edge: the `modelwerk` command line, built with commander.
 *
 *   modelwerk list                      the lessons, what each needs and how long it runs
 *   modelwerk <lesson> [options]        runs a lesson, by number (`1`) or name (`perceptron`)
 *   modelwerk <lesson> --help           that lesson's options
 *
 * Exit codes: 0 success, 1 training diverged or an internal error, 2 bad input (an unknown
 * lesson or option, an invalid value, an output folder that cannot be written, or any
 * UserError a lesson throws). Bad input prints one line on stderr and no stack trace.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { createColors } from 'picocolors';
import { alignColumns } from '../lessons/format.js';
import type { Lesson } from '../lessons/lesson.js';
import { TrainingDivergedError, UserError } from '../primitives/errors.js';
import { wrapProse, type OutputStream } from '../render/terminal.js';
import {
  COMMON_OPTIONS,
  parseOptionValue,
  parseOut,
  parseSeed,
  RESERVED_OPTION_NAMES,
} from './options.js';
import { runLesson } from './run.js';

/** Exit code for bad input: an unknown lesson or option, an invalid value, an unwritable path. */
export const EXIT_USAGE = 2;

/** Exit code for a run that failed: training diverged, or a bug. */
export const EXIT_FAILURE = 1;

/** The output streams of the command line; tests pass recorders. */
export interface CliStreams {
  stdout: OutputStream;
  stderr: OutputStream;
}

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * Runs the command line on `args` (without `node` and the script path) and returns the exit
 * code. Prints errors instead of throwing them, except for internal errors, whose stack trace
 * goes to stderr.
 */
export async function runCli(
  args: string[],
  lessons: readonly Lesson[],
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let lessonInHand: Lesson | undefined;
  const program = buildProgram(lessons, streams, (lesson) => {
    lessonInHand = lesson;
  });
  if (args.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, args, lessons, lessonInHand, streams.stderr);
  }
}

/**
 * Builds the commander program: `list`, then one command per lesson named by its number with
 * its name as an alias, each with the common options and the lesson's own.
 */
function buildProgram(
  lessons: readonly Lesson[],
  streams: CliStreams,
  onLesson: (lesson: Lesson) => void,
): Command {
  const program = new Command('modelwerk')
    .description(
      'Landmark neural networks built from scalar arithmetic up, taught by lessons that train ' +
        'and narrate them.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      // Errors are reported by reportError, in one line with a fix.
      writeErr: () => {},
    })
    .addHelpText('after', commonOptionsHelp());

  program
    .command('list')
    .description('print the lessons: paper, what each learns, the data it needs, its run time')
    .action(() => {
      streams.stdout.write(lessonTable(lessons, streams.stdout.isTTY === true));
    });

  for (const lesson of lessons) {
    const command = program
      .command(String(lesson.number))
      .alias(lesson.name)
      .summary(`${lesson.title} (${lesson.paper})`)
      .description(lessonDescription(lesson));
    for (const option of COMMON_OPTIONS) command.option(option.flags, option.description);
    const lessonOptions = lesson.options.map((option) => {
      if (RESERVED_OPTION_NAMES.includes(option.name)) {
        throw new Error(
          `lesson ${lesson.name}: option --${option.name} clashes with a common option`,
        );
      }
      const flag = new Option(`--${option.name} <${option.valueName}>`, option.description);
      command.addOption(flag);
      return { option, attribute: flag.attributeName() };
    });
    // Extra operands reach the action, which rejects them with a clearer message than commander's.
    command.allowExcessArguments(true);
    command.action(async (values: Record<string, string | boolean | undefined>) => {
      if (command.args.length > 0) {
        throw new UserError(
          `unexpected argument '${command.args[0]}' after the lesson; options start with --, ` +
            `run 'modelwerk ${lesson.number} --help' to see them`,
        );
      }
      const options: Record<string, string | number | undefined> = {};
      for (const { option, attribute } of lessonOptions) {
        const raw = values[attribute];
        options[option.name] = typeof raw === 'string' ? parseOptionValue(option, raw) : undefined;
      }
      await runLesson(
        lesson,
        {
          seed: parseSeed(values.seed as string | undefined),
          out: parseOut(values.out as string | undefined),
          quick: values.quick === true,
          json: values.json === true,
          options,
        },
        streams.stdout,
      );
    });
  }
  // Remember the lesson before its options are parsed, so an option error names its help.
  program.hook('preSubcommand', (_program, command) => {
    const lesson = lessons.find((candidate) => String(candidate.number) === command.name());
    if (lesson) onLesson(lesson);
  });
  return program;
}

/** Prints one line for an error and returns the exit code; rethrows nothing. */
function reportError(
  error: unknown,
  args: string[],
  lessons: readonly Lesson[],
  lesson: Lesson | undefined,
  stderr: OutputStream,
): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help or --version
    stderr.write(`${commanderMessage(error, args, lessons, lesson)}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UserError) {
    stderr.write(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof TrainingDivergedError) {
    stderr.write(`error: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`internal error, please report it with the command you ran:\n${detail}\n`);
  return EXIT_FAILURE;
}

/** Rewrites commander's error as one line that names the value and the fix. */
function commanderMessage(
  error: CommanderError,
  args: string[],
  lessons: readonly Lesson[],
  lesson: Lesson | undefined,
): string {
  const helpCommand = lesson ? `modelwerk ${lesson.number} --help` : 'modelwerk --help';
  const firstLine = error.message.split('\n')[0].replace(/^error: /, '');
  switch (error.code) {
    case 'commander.unknownCommand': {
      const name = args.find((arg) => !arg.startsWith('-')) ?? '';
      return `error: unknown lesson '${name}'; ${lessonChoices(lessons)}`;
    }
    case 'commander.unknownOption': {
      const flag = /'([^']+)'/.exec(firstLine)?.[1] ?? '';
      const common = COMMON_OPTIONS.some((option) => option.flags.split(' ')[0] === flag);
      if (lesson === undefined && common && lessons.length > 0) {
        const example = `modelwerk ${lessons[0].number} ${flag}`;
        return `error: option '${flag}' goes after the lesson, as in '${example}'`;
      }
      return `error: ${firstLine}; run '${helpCommand}' to see the options`;
    }
    case 'commander.optionMissingArgument':
    case 'commander.excessArguments':
    case 'commander.missingArgument':
      return `error: ${firstLine.replace(/\.$/, '')}; run '${helpCommand}' to see the options`;
    default:
      return `error: ${firstLine}`;
  }
}

/** Tells which lessons exist, for the unknown-lesson message. */
function lessonChoices(lessons: readonly Lesson[]): string {
  if (lessons.length === 0) return 'no lessons are installed yet';
  const numbers = lessons.map((lesson) => lesson.number);
  const names = lessons.map((lesson) => lesson.name).join(', ');
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  const range = first === last ? `${first}` : `from ${first} to ${last}`;
  return `give a lesson number ${range} or a name (${names}); 'modelwerk list' shows them`;
}

function lessonDescription(lesson: Lesson): string {
  return [
    `Lesson ${lesson.number}: ${lesson.title} (${lesson.paper}).`,
    `Learns: ${lesson.learns}.`,
    `Needs: ${lesson.needs}. Run time: ${lesson.runTime}.`,
  ].join('\n');
}

/** Width of the help text, as commander wraps its own part when it cannot read the terminal. */
const HELP_WIDTH = 80;

/** Describes the common options for the top-level help. */
function commonOptionsHelp(): string {
  const flagWidth = Math.max(...COMMON_OPTIONS.map((option) => option.flags.length)) + 4;
  const descriptionWidth = HELP_WIDTH - flagWidth;
  const lines = COMMON_OPTIONS.flatMap((option) =>
    wrapProse(option.description, descriptionWidth, false).map(
      (line, i) => (i === 0 ? `  ${option.flags}` : '').padEnd(flagWidth) + line,
    ),
  );
  return [
    '',
    'Options of every lesson (modelwerk <lesson> --help also lists its own):',
    ...lines,
    '',
    'Examples:',
    '  modelwerk list',
    '  modelwerk 1',
    '  modelwerk perceptron --seed 7 --out results',
    '  modelwerk 2 --quick --json',
  ].join('\n');
}

/**
 * Formats the `list` output: per lesson, a line with number, name, paper and run time, then
 * what it learns and what data it needs, so the text fits an 80-column terminal.
 */
export function lessonTable(lessons: readonly Lesson[], color: boolean): string {
  if (lessons.length === 0) return 'No lessons are installed yet.\n';
  const colors = createColors(color);
  const titles = alignColumns(
    lessons.map((lesson) => [String(lesson.number), lesson.name, lesson.paper, lesson.runTime]),
    ['right'],
  );
  const blocks = lessons.map((lesson, index) =>
    [colors.bold(titles[index]), `   learns: ${lesson.learns}`, `   needs:  ${lesson.needs}`].join(
      '\n',
    ),
  );
  return `${blocks.join('\n\n')}\n`;
}
