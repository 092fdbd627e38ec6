/**
 * Edge: `npm run bench`. Times every registered case in modelwerk and its peers, prints the
 * table and writes it to docs/benchmarks.md.
 *
 *   npm run bench                          all cases, written to docs/benchmarks.md
 *   npm run bench -- --case lenet          only cases whose model contains "lenet"; prints only
 *   npm run bench -- --time 500            500 ms per implementation instead of 2000
 */
import { Command, CommanderError } from 'commander';
import { writeTextAtomic } from '../cli/io.js';
import { parseOptionValue } from '../cli/options.js';
import { UserError } from '../primitives/errors.js';
import { cases } from './cases/index.js';
import { benchmarksMarkdown, machineInfo, runBenchmarks } from './harness.js';

/** The page a full run writes its table to. */
const BENCHMARKS_PAGE = 'docs/benchmarks.md';

/** The default time budget per implementation, in milliseconds. */
const DEFAULT_TIME_MS = 2000;

async function main(args: string[]): Promise<void> {
  const program = new Command('npm run bench --')
    .description('Times one training step of each model in modelwerk and in peer libraries.')
    .option(
      '--case <TEXT>',
      'time only the cases whose model name contains TEXT, and write no file',
    )
    .option(
      '--time <MS>',
      `time budget per implementation, in milliseconds (default: ${DEFAULT_TIME_MS})`,
    )
    .option('--out <FILE>', `file to write the table to (default: ${BENCHMARKS_PAGE})`)
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .parse(args, { from: 'user' });
  const options = program.opts<{ case?: string; time?: string; out?: string }>();

  const timeMs =
    options.time === undefined
      ? DEFAULT_TIME_MS
      : (parseOptionValue(
          { name: 'time', description: '', type: 'integer', min: 50, max: 60_000, valueName: 'MS' },
          options.time,
        ) as number);
  const filter = options.case?.toLowerCase();
  const selected =
    filter === undefined ? cases : cases.filter((c) => c.model.toLowerCase().includes(filter));
  if (cases.length === 0) {
    throw new UserError('no benchmark cases are registered; add one to src/bench/cases/index.ts');
  }
  if (selected.length === 0) {
    const models = cases.map((c) => c.model).join(', ') || 'none registered yet';
    throw new UserError(
      `no benchmark case matches '${options.case ?? ''}'; the models are: ${models}`,
    );
  }

  const rows = await runBenchmarks(selected, {
    timeMs,
    onStart: (benchCase, implementation) =>
      process.stderr.write(`timing ${benchCase.model}: ${implementation.name}\n`),
  });
  const command = ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  const page = benchmarksMarkdown(rows, machineInfo(), command);
  process.stdout.write(page);
  if (filter === undefined || options.out !== undefined) {
    const out = options.out ?? BENCHMARKS_PAGE;
    await writeTextAtomic(out, page);
    process.stderr.write(`wrote ${out}\n`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode !== 0) process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UserError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
