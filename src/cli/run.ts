/**
 * Edge: runs one lesson, either narrated (terminal output plus `transcript.md` and charts in
 * the lesson's output folder) or as JSON (one object on stdout, no files).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Lesson } from '../lessons/lesson.js';
import { silentNarrator } from '../lessons/narrator.js';
import { UserError } from '../primitives/errors.js';
import { createMarkdownNarrator } from '../render/markdown.js';
import { writeLessonOutput } from '../render/output.js';
import { teeNarrator } from '../render/tee.js';
import { createTerminalNarrator, type OutputStream } from '../render/terminal.js';
import { makeFolders, nodeIO } from './io.js';

/** The validated request from the command line. */
export interface RunRequest {
  seed: number;
  /** The parent folder of the lesson's output folder. */
  out: string;
  quick: boolean;
  json: boolean;
  /** The lesson's own options, keyed by option name. */
  options: Record<string, string | number | undefined>;
}

/** Returns the folder a lesson writes to: `<out>/<NN>-<name>`, such as `output/01-perceptron`. */
export function lessonFolder(out: string, lesson: Lesson): string {
  return join(out, `${String(lesson.number).padStart(2, '0')}-${lesson.name}`);
}

/**
 * Runs a lesson with the requested seed, settings and output, printing to `stdout`.
 * @throws UserError for bad input, including an output folder that cannot be written
 * @throws TrainingDivergedError when training produces NaN or infinity
 */
export async function runLesson(
  lesson: Lesson,
  request: RunRequest,
  stdout: OutputStream = process.stdout,
): Promise<void> {
  const savePath = request.options.save;
  if (typeof savePath === 'string') await ensureWritableFile(savePath);
  if (request.json) {
    await runJson(lesson, request, stdout);
    return;
  }

  const folder = lessonFolder(request.out, lesson);
  await ensureWritableFolder(folder, request.out);
  const terminal = createTerminalNarrator({ stream: stdout, chartDir: folder });
  const markdown = createMarkdownNarrator();
  const started = performance.now();
  try {
    await lesson.run({
      seed: request.seed,
      quick: request.quick,
      narrator: teeNarrator([terminal, markdown]),
      io: nodeIO,
      options: request.options,
    });
  } finally {
    terminal.close();
  }
  const written = await writeLessonOutput(folder, markdown, nodeIO.writeTextAtomic);
  const seconds = (performance.now() - started) / 1000;
  const charts = written.length - 1;
  stdout.write(
    `\nWrote ${join(folder, 'transcript.md')} and ${charts} chart${charts === 1 ? '' : 's'} ` +
      `in ${seconds.toFixed(1)} s.\n`,
  );
}

async function runJson(lesson: Lesson, request: RunRequest, stdout: OutputStream): Promise<void> {
  const started = performance.now();
  const result = await lesson.run({
    seed: request.seed,
    quick: request.quick,
    narrator: silentNarrator,
    io: nodeIO,
    options: request.options,
  });
  const seconds = Math.round(performance.now() - started) / 1000;
  const report = {
    lesson: lesson.name,
    seed: request.seed,
    settings: result.settings,
    metrics: result.metrics,
    seconds,
  };
  stdout.write(`${JSON.stringify(report)}\n`);
}

/**
 * Creates the lesson's output folder and checks that it can be written, before the lesson
 * runs, so a long run does not fail at its end.
 * @throws UserError naming `--out` and the problem
 */
async function ensureWritableFolder(folder: string, out: string): Promise<void> {
  try {
    await makeFolders(folder);
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new UserError(
      `cannot write to --out '${out}': ${folderProblem(error, folder)}; choose a folder you ` +
        'can write to',
    );
  }
}

/**
 * Checks that `--save` names a file that can be written, before the lesson runs, so a long
 * run does not fail at its end. Its folder must exist or be creatable and be writable, and no
 * folder may have the file's name. The file itself is written only when training ends.
 * @throws UserError naming `--save` and the problem
 */
async function ensureWritableFile(path: string): Promise<void> {
  const folder = dirname(path);
  try {
    await makeFolders(folder);
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new UserError(
      `cannot write --save '${path}': ${folderProblem(error, folder)}; choose a file path ` +
        'you can write to',
    );
  }
  const isFolder = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (isFolder) {
    throw new UserError(
      `cannot write --save '${path}': it is a folder; name a file in it, such as ` +
        `'${join(path, 'model.json')}'`,
    );
  }
}

/** Describes why a folder could not be created or written, from the file system error. */
function folderProblem(error: unknown, folder: string): string {
  const { code, path } = error as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: `no folder can be created at '${path ?? folder}'`,
    EEXIST: `a part of '${folder}' is a file or a broken link, not a folder`,
    ENOTDIR: `a part of '${folder}' is a file, not a folder`,
    EACCES: `permission denied for '${folder}'`,
    EPERM: `permission denied for '${folder}'`,
    EROFS: `'${folder}' is on a read-only file system`,
  };
  return (code && reasons[code]) ?? (error as Error).message;
}
