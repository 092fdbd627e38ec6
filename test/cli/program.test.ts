import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Lesson, LessonContext } from '../../src/lessons/lesson.js';
import { TrainingDivergedError, UserError } from '../../src/primitives/errors.js';

/** Creates a stream that stores what is written to it. */
function recorder() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), text: () => chunks.join('') };
}

/** Creates a lesson that records its context and fails on request through its `fail` option. */
function fakeLesson(seen: LessonContext[] = []): Lesson {
  return {
    number: 7,
    name: 'toy',
    title: 'A toy lesson',
    paper: 'Nobody, 2024',
    learns: 'nothing at all',
    needs: 'no data',
    runTime: 'instant',
    options: [
      {
        name: 'hidden-units',
        description: 'hidden units (default: 4)',
        type: 'integer',
        min: 1,
        max: 64,
        valueName: 'N',
      },
      {
        name: 'rate',
        description: 'learning rate (default: 0.1)',
        type: 'number',
        min: 0.001,
        valueName: 'RATE',
      },
      { name: 'fail', description: 'how to fail', type: 'string', valueName: 'KIND' },
      { name: 'save', description: 'where to save', type: 'string', valueName: 'FILE' },
    ],
    async run(context) {
      seen.push(context);
      if (context.options.fail === 'user') {
        throw new UserError("'data.idx' not found; check the path");
      }
      if (context.options.fail === 'diverge')
        throw new TrainingDivergedError(12, 'dense 1', 'loss', NaN);
      if (context.options.fail === 'bug') throw new TypeError('x is undefined');
      context.narrator.emit({ kind: 'heading', text: 'Toy', level: 1 });
      context.narrator.emit({
        kind: 'chart',
        name: 'loss',
        title: 'Loss',
        chart: {
          type: 'line',
          xLabel: 'step',
          yLabel: 'loss',
          series: [{ name: 'a', points: [[0, 1]] }],
        },
      });
      return { settings: { quick: context.quick }, metrics: { accuracy: 0.75 } };
    },
  };
}

async function run(args: string[], lessons: Lesson[] = [fakeLesson()]) {
  const stdout = recorder();
  const stderr = recorder();
  const code = await runCli(args, lessons, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runCli lesson options', () => {
  it('passes validated values to the lesson', async () => {
    const seen: LessonContext[] = [];
    const out = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const result = await run(
      ['toy', '--hidden-units', '8', '--rate', '0.5', '--seed', '9', '--quick', '--out', out],
      [fakeLesson(seen)],
    );
    expect(result.code).toBe(0);
    expect(seen[0].options).toEqual({ 'hidden-units': 8, rate: 0.5, fail: undefined });
    expect(seen[0].seed).toBe(9);
    expect(seen[0].quick).toBe(true);
  });

  it('defaults the seed to 1', async () => {
    const seen: LessonContext[] = [];
    await run(['7', '--json'], [fakeLesson(seen)]);
    expect(seen[0].seed).toBe(1);
    expect(seen[0].quick).toBe(false);
  });

  const invalid: [string[], string][] = [
    [
      ['--hidden-units', '0'],
      'error: --hidden-units 0 is out of range; give an integer from 1 to 64\n',
    ],
    [
      ['--hidden-units', '2.5'],
      "error: --hidden-units '2.5' is not an integer; give an integer from 1 to 64\n",
    ],
    [['--rate', 'fast'], "error: --rate 'fast' is not a number; give a number of at least 0.001\n"],
    [['--rate', '0'], 'error: --rate 0 is out of range; give a number of at least 0.001\n'],
    [['--fail', ''], 'error: --fail is empty; give a KIND\n'],
    [
      ['--seed', 'abc'],
      "error: --seed 'abc' is not an integer; give an integer from 0 to 4294967295\n",
    ],
    [['--seed', '-1'], 'error: --seed -1 is out of range; give an integer from 0 to 4294967295\n'],
    [
      ['--seed', '4294967296'],
      'error: --seed 4294967296 is out of range; give an integer from 0 to 4294967295\n',
    ],
    [['--out', ' '], 'error: --out is empty; give a folder path, for example --out output\n'],
  ];
  for (const [args, message] of invalid) {
    it(`rejects ${args.join(' ')}`, async () => {
      const result = await run(['7', ...args, '--json']);
      expect(result.stderr).toBe(message);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
    });
  }
});

describe('runCli errors', () => {
  it('reports a UserError from the lesson with exit code 2', async () => {
    const result = await run(['7', '--fail', 'user', '--json']);
    expect(result.stderr).toBe("error: 'data.idx' not found; check the path\n");
    expect(result.code).toBe(2);
  });

  it('reports diverged training with exit code 1', async () => {
    const result = await run(['7', '--fail', 'diverge', '--json']);
    expect(result.stderr).toBe(
      'error: training diverged at step 12: loss in dense 1 is NaN; ' +
        'try a smaller learning rate or another seed\n',
    );
    expect(result.code).toBe(1);
  });

  it('reports an internal error with its stack trace', async () => {
    const result = await run(['7', '--fail', 'bug', '--json']);
    expect(result.stderr).toMatch(
      /^internal error, please report it with the command you ran:\nTypeError: x is undefined\n {4}at /,
    );
    expect(result.code).toBe(1);
  });

  it('names the lessons for an unknown lesson', async () => {
    const result = await run(['nine']);
    expect(result.stderr).toBe(
      "error: unknown lesson 'nine'; give a lesson number 7 or a name (toy); 'modelwerk list' shows them\n",
    );
    expect(result.code).toBe(2);
  });

  it('gives the range of lesson numbers', async () => {
    const other = { ...fakeLesson(), number: 9, name: 'other' };
    const result = await run(['8'], [fakeLesson(), other]);
    expect(result.stderr).toBe(
      "error: unknown lesson '8'; give a lesson number from 7 to 9 or a name (toy, other); 'modelwerk list' shows them\n",
    );
  });

  it('says when no lessons are installed', async () => {
    const result = await run(['1'], []);
    expect(result.stderr).toBe("error: unknown lesson '1'; no lessons are installed yet\n");
    expect(result.code).toBe(2);
  });

  it('points an unknown option to the lesson help', async () => {
    const result = await run(['7', '--bogus']);
    expect(result.stderr).toBe(
      "error: unknown option '--bogus'; run 'modelwerk 7 --help' to see the options\n",
    );
    expect(result.code).toBe(2);
  });

  it('reports a missing option value', async () => {
    const result = await run(['7', '--seed']);
    expect(result.stderr).toBe(
      "error: option '--seed <N>' argument missing; run 'modelwerk 7 --help' to see the options\n",
    );
    expect(result.code).toBe(2);
  });

  it('rejects an extra argument', async () => {
    const result = await run(['7', 'extra']);
    expect(result.stderr).toBe(
      "error: unexpected argument 'extra' after the lesson; options start with --, run 'modelwerk 7 --help' to see them\n",
    );
    expect(result.code).toBe(2);
  });

  it('moves a lesson option placed before the lesson', async () => {
    const result = await run(['--seed', '3', '7']);
    expect(result.stderr).toBe(
      "error: option '--seed' goes after the lesson, as in 'modelwerk 7 --seed'\n",
    );
    expect(result.code).toBe(2);
  });

  it('rejects an --out below a file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const file = join(folder, 'taken');
    writeFileSync(file, 'not a folder');
    const result = await run(['7', '--out', file]);
    expect(result.stderr).toBe(
      `error: cannot write to --out '${file}': a part of '${file}/07-toy' is a file, not a folder; choose a folder you can write to\n`,
    );
    expect(result.code).toBe(2);
  });

  it('rejects a --save below a file before running', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const file = join(folder, 'taken');
    writeFileSync(file, 'not a folder');
    const save = join(file, 'model.json');
    const result = await run(['7', '--save', save, '--out', join(folder, 'out')]);
    expect(result.stderr).toBe(
      `error: cannot write --save '${save}': a part of '${file}' is a file or a broken link, ` +
        'not a folder; ' +
        'choose a file path you can write to\n',
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('rejects a --save that is a folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const result = await run(['7', '--save', folder, '--json']);
    expect(result.stderr).toBe(
      `error: cannot write --save '${folder}': it is a folder; name a file in it, such as ` +
        `'${join(folder, 'model.json')}'\n`,
    );
    expect(result.code).toBe(2);
  });

  it('rejects an --out below a dangling link', async () => {
    // Node's recursive mkdir loops forever here, as it does under /proc
    const folder = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const link = join(folder, 'dangling');
    symlinkSync(join(folder, 'missing'), link);
    const out = join(link, 'results');
    const result = await run(['7', '--out', out]);
    expect(result.stderr).toBe(
      `error: cannot write to --out '${out}': a part of '${out}/07-toy' is a file or a broken link, not a folder; choose a folder you can write to\n`,
    );
    expect(result.code).toBe(2);
  });
});

describe('runCli output', () => {
  it('prints one JSON object with --json', async () => {
    const result = await run(['toy', '--json', '--seed', '3', '--quick']);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['lesson', 'seed', 'settings', 'metrics', 'seconds']);
    expect(report.lesson).toBe('toy');
    expect(report.seed).toBe(3);
    expect(report.settings).toEqual({ quick: true });
    expect(report.metrics).toEqual({ accuracy: 0.75 });
    expect(typeof report.seconds).toBe('number');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('writes the transcript and charts to the lesson folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'modelwerk-'));
    const result = await run(['7', '--out', out]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(out, '07-toy')).sort()).toEqual(['loss.svg', 'transcript.md']);
    expect(readFileSync(join(out, '07-toy', 'transcript.md'), 'utf8')).toBe(
      '# Toy\n\n![Loss](loss.svg)\n',
    );
    expect(result.stdout).toContain(
      `Wrote ${join(out, '07-toy', 'transcript.md')} and 1 chart in `,
    );
  });

  it('lists the lessons', async () => {
    const result = await run(['list']);
    expect(result.stdout).toBe(
      '7  toy  Nobody, 2024  instant\n' + '   learns: nothing at all\n' + '   needs:  no data\n',
    );
    expect(result.code).toBe(0);
  });

  it('describes every common option in the help', async () => {
    const result = await run(['--help']);
    expect(result.stdout).toContain('--seed <N>');
    expect(result.stdout).toContain('(default: 1)');
    expect(result.stdout).toContain('--out <DIR>');
    expect(result.stdout).toContain('(default: output)');
    expect(result.stdout).toContain('--quick');
    expect(result.stdout).toContain('--json');
    expect(result.stdout).toContain('7|toy [options]');
    expect(result.code).toBe(0);
  });

  it('prints the help without arguments', async () => {
    const result = await run([]);
    expect(result.stdout).toContain('Usage: modelwerk [options] [command]');
    expect(result.code).toBe(0);
  });

  it('describes the lesson options in the lesson help', async () => {
    const result = await run(['toy', '--help']);
    expect(result.stdout).toContain('Usage: modelwerk 7|toy [options]');
    expect(result.stdout).toContain('Lesson 7: A toy lesson (Nobody, 2024).');
    expect(result.stdout).toContain('--hidden-units <N>');
    expect(result.stdout).toContain('hidden units (default: 4)');
    expect(result.stdout).toContain('--seed <N>');
    expect(result.code).toBe(0);
  });
});
