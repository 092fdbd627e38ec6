import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  listDir,
  mnistDigits,
  readMaybeGzip,
  readUserFile,
  sonnets,
  writeTextAtomic,
} from '../../src/cli/io.js';
import { UserError } from '../../src/primitives/errors.js';

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'modelwerk-io-'));
}

describe('readUserFile', () => {
  it('returns a plain Uint8Array', async () => {
    const path = join(tempFolder(), 'bytes');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    const bytes = await readUserFile(path);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect([...bytes]).toEqual([1, 2, 3]);
  });

  it('names a missing file', async () => {
    const path = join(tempFolder(), 'missing.idx');
    await expect(readUserFile(path)).rejects.toThrow(
      new UserError(`'${path}' not found; check the path`),
    );
  });

  it('names a folder given as a file', async () => {
    const path = tempFolder();
    await expect(readUserFile(path)).rejects.toThrow(
      `cannot read '${path}': it is a folder, not a file; check the path`,
    );
  });
});

describe('readMaybeGzip', () => {
  it('gunzips a gzip file', async () => {
    const path = join(tempFolder(), 'data.gz');
    writeFileSync(path, gzipSync(Buffer.from([7, 8, 9])));
    expect([...(await readMaybeGzip(path))]).toEqual([7, 8, 9]);
  });

  it('passes a plain file through', async () => {
    const path = join(tempFolder(), 'data');
    writeFileSync(path, Buffer.from([0, 0, 8, 1]));
    expect([...(await readMaybeGzip(path))]).toEqual([0, 0, 8, 1]);
  });

  it('names a corrupt gzip file', async () => {
    const path = join(tempFolder(), 'broken.gz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readMaybeGzip(path)).rejects.toThrow(
      new RegExp(
        `^'${path}' starts like a gzip file but does not decompress \\(.+\\); download it again or pass the uncompressed file$`,
      ),
    );
  });
});

describe('listDir', () => {
  it('lists names in sorted order', async () => {
    const folder = tempFolder();
    for (const name of ['b', 'c', 'a']) writeFileSync(join(folder, name), '');
    expect(await listDir(folder)).toEqual(['a', 'b', 'c']);
  });

  it('names a missing folder', async () => {
    const path = join(tempFolder(), 'nowhere');
    await expect(listDir(path)).rejects.toThrow(
      new UserError(`folder '${path}' not found; check the path`),
    );
  });
});

describe('writeTextAtomic', () => {
  it('creates the folder and writes the text', async () => {
    const path = join(tempFolder(), 'deep', 'er', 'transcript.md');
    await writeTextAtomic(path, 'hello\n');
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
  });

  it('replaces an existing file', async () => {
    const path = join(tempFolder(), 'transcript.md');
    writeFileSync(path, 'old');
    await writeTextAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('leaves no partial file when the rename fails', async () => {
    const folder = tempFolder();
    // The target is a non-empty folder, so renaming the temporary file over it fails.
    const path = join(folder, 'transcript.md');
    mkdirSync(path);
    writeFileSync(join(path, 'keep'), '');
    await expect(writeTextAtomic(path, 'text')).rejects.toThrow(UserError);
    expect(readdirSync(folder)).toEqual(['transcript.md']);
  });

  it('names a path below a file', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'file'), '');
    const path = join(folder, 'file', 'model.json');
    await expect(writeTextAtomic(path, 'text')).rejects.toThrow(
      new UserError(
        `cannot write '${path}': a part of the path is a file or a broken link, not a folder; ` +
          'choose a path you can write to',
      ),
    );
  });

  it('names a path two levels below a file', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'file'), '');
    const path = join(folder, 'file', 'checkpoints', 'model.json');
    await expect(writeTextAtomic(path, 'text')).rejects.toThrow(
      new UserError(
        `cannot write '${path}': a part of the path is a file, not a folder; ` +
          'choose a path you can write to',
      ),
    );
  });

  it('names a path below a broken link', async () => {
    const folder = tempFolder();
    symlinkSync(join(folder, 'missing'), join(folder, 'dangling'));
    const path = join(folder, 'dangling', 'checkpoints', 'model.json');
    await expect(writeTextAtomic(path, 'text')).rejects.toThrow(
      new UserError(
        `cannot write '${path}': a part of the path is a file or a broken link, not a folder; ` +
          'choose a path you can write to',
      ),
    );
  });

  it('writes through a link to a folder', async () => {
    const folder = tempFolder();
    mkdirSync(join(folder, 'target'));
    symlinkSync(join(folder, 'target'), join(folder, 'link'));
    await writeTextAtomic(join(folder, 'link', 'deep', 'model.json'), 'text');
    expect(readFileSync(join(folder, 'target', 'deep', 'model.json'), 'utf8')).toBe('text');
  });

  // mkdir under /proc fails with ENOENT although /proc exists, and Node's recursive mkdir
  // retries that forever.
  it.runIf(existsSync('/proc/self'))('rejects a path under /proc', async () => {
    const path = '/proc/modelwerk-missing/checkpoints/model.json';
    await expect(writeTextAtomic(path, 'text')).rejects.toThrow(
      new UserError(
        `cannot write '${path}': the file or a missing folder above it cannot be created; ` +
          'choose a path you can write to',
      ),
    );
  });
});

describe('bundled data', () => {
  it('reads ten classes of 784-pixel digits', async () => {
    const digits = await mnistDigits();
    expect(digits).toHaveLength(10);
    for (const flat of digits) {
      expect(flat.length % 784).toBe(0);
      expect(flat.length).toBeGreaterThan(0);
    }
    const total = digits.reduce((sum, flat) => sum + flat.length / 784, 0);
    expect(total).toBeGreaterThanOrEqual(10_000);
  });

  it('reads all 154 sonnets as plain values', async () => {
    const all = await sonnets();
    expect(all).toHaveLength(154);
    expect(all[0].number).toBe(1);
    expect(all[0].lines[0]).toBe('From fairest creatures we desire increase,');
    expect(all.every((sonnet) => typeof sonnet.number === 'number')).toBe(true);
  });
});
