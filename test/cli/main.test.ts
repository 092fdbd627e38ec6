// Runs the installed command, `node bin/modelwerk.js`, as a user would. It runs the compiled
// dist/ folder, so build first: `npm test` does, or run `npm run build` before vitest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons } from '../../src/lessons/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

function modelwerk(...args: string[]) {
  const result = spawnSync('node', ['bin/modelwerk.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('modelwerk command', () => {
  it('lists every lesson', () => {
    const result = modelwerk('list');
    expect(result.code).toBe(0);
    for (const lesson of lessons) {
      expect(result.stdout).toContain(`${lesson.number}  ${lesson.name}`);
      expect(result.stdout).toContain(`learns: ${lesson.learns}`);
      expect(result.stdout).toContain(`needs:  ${lesson.needs}`);
    }
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('describes the common options', () => {
    const result = modelwerk('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--seed <N>');
    expect(result.stdout).toContain('--out <DIR>');
    expect(result.stdout).toContain('--quick');
    expect(result.stdout).toContain('--json');
    expect(result.stderr).toBe('');
  });

  it('rejects an unknown lesson with exit code 2', () => {
    const result = modelwerk('no-such-lesson');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: unknown lesson 'no-such-lesson'; .*'modelwerk list' shows them\n$/,
    );
    expect(result.stdout).toBe('');
  });

  it('rejects an unknown option with exit code 2', () => {
    const result = modelwerk('--bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: unknown option '--bogus'; run 'modelwerk --help' to see the options\n",
    );
  });
});

// The tests below need a lesson; they run the first one registered, in quick mode.
const first = lessons[0];

describe.skipIf(first === undefined)('modelwerk lesson', () => {
  it('prints exactly one JSON object with --json', () => {
    const result = modelwerk(String(first.number), '--quick', '--json', '--seed', '2');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['lesson', 'seed', 'settings', 'metrics', 'seconds']);
    expect(report.lesson).toBe(first.name);
    expect(report.seed).toBe(2);
    expect(typeof report.seconds).toBe('number');
  });

  it('writes the transcript under --out', () => {
    const out = mkdtempSync(join(tmpdir(), 'modelwerk-cli-'));
    const result = modelwerk(first.name, '--quick', '--out', out);
    expect(result.code).toBe(0);
    const folder = `${String(first.number).padStart(2, '0')}-${first.name}`;
    const files = readdirSync(join(out, folder));
    expect(files).toContain('transcript.md');
    expect(files.every((file) => !file.endsWith('.tmp'))).toBe(true);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('rejects an invalid seed with exit code 2', () => {
    const result = modelwerk(String(first.number), '--seed', 'abc');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: --seed 'abc' is not an integer; give an integer from 0 to 4294967295\n",
    );
  });

  it('rejects a seed out of range with exit code 2', () => {
    const result = modelwerk(String(first.number), '--seed', '-3');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --seed -3 is out of range; give an integer from 0 to 4294967295\n',
    );
  });

  it('rejects an --out that cannot be written with exit code 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'modelwerk-cli-')), 'file');
    writeFileSync(file, '');
    const result = modelwerk(String(first.number), '--quick', '--out', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: cannot write to --out '${file}': .*; choose a folder you can write to\\n$`,
      ),
    );
    expect(result.stderr).not.toContain('    at ');
  });

  it('rejects an unknown lesson option with exit code 2', () => {
    const result = modelwerk(String(first.number), '--bogus', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: unknown option '--bogus'; run 'modelwerk ${first.number} --help' to see the options\n`,
    );
  });

  it('shows the lesson help', () => {
    const result = modelwerk(String(first.number), '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Lesson ${first.number}: ${first.title}`);
    for (const option of first.options) expect(result.stdout).toContain(`--${option.name}`);
  });
});
