// Guards the layering: each layer imports only from the layers below it, and layers 0 to 3
// (primitives, blocks, models, data) use the language's built-ins only, so they run in a
// browser as well as in Node.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** The layer of each top folder under src/; edge folders may import anything. */
const LAYERS: Record<string, number> = {
  primitives: 0,
  blocks: 1,
  models: 2,
  data: 3,
  lessons: 4,
  cli: 5,
  render: 5,
  bench: 5,
};

/** Which lower layers each core layer may import; the data layer needs only primitives. */
const ALLOWED: Record<string, string[]> = {
  primitives: ['primitives'],
  blocks: ['primitives', 'blocks'],
  models: ['primitives', 'blocks', 'models'],
  data: ['primitives', 'data'],
  lessons: ['primitives', 'blocks', 'models', 'data', 'lessons'],
};

const PORTABLE = ['primitives', 'blocks', 'models', 'data'];

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Returns every module specifier in `import … from`, `export … from` and `import(…)`, read by
 * the TypeScript compiler's own scanner, so text in comments and strings is never mistaken for
 * an import.
 */
export function parseImports(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** Lists the layering violations of one file, given its path relative to src/. */
export function findViolations(file: string, source: string): string[] {
  const folder = file.split('/')[0];
  const problems: string[] = [];
  if (!(folder in LAYERS)) {
    return [`${file}: folder src/${folder} is not a known layer; add it to LAYERS`];
  }
  if (/\bMath\.random\b/.test(source)) {
    problems.push(`${file}: uses Math.random; draw from the seeded Rng instead`);
  }
  for (const spec of parseImports(source)) {
    if (spec.startsWith('.')) {
      const target = join(file, '..', spec).split('/')[0];
      const allowed = ALLOWED[folder];
      if (allowed && !allowed.includes(target)) {
        problems.push(`${file}: imports ${spec} from layer src/${target}`);
      }
    } else if (PORTABLE.includes(folder)) {
      problems.push(
        `${file}: imports package or Node API '${spec}'; layers 0-3 use built-ins only`,
      );
    }
  }
  if (PORTABLE.includes(folder)) {
    for (const name of ['process', 'Buffer', 'require', '__dirname']) {
      if (new RegExp(`\\b${name}\\b[.(]`).test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))) {
        problems.push(`${file}: uses the Node global ${name}; layers 0-3 use built-ins only`);
      }
    }
  }
  return problems;
}

describe('layers', () => {
  it('src imports only downward', () => {
    const problems = listSources(SRC).flatMap((path) =>
      findViolations(relative(SRC, path).split('\\').join('/'), readFileSync(path, 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it('guard rejects primitive importing a model', () => {
    const source = "import { createMlp } from '../models/mlp.js';\n";
    expect(findViolations('primitives/vector.ts', source)).toEqual([
      'primitives/vector.ts: imports ../models/mlp.js from layer src/models',
    ]);
  });

  it('guard rejects Node API in data layer', () => {
    const source = "import { readFileSync } from 'node:fs';\n";
    expect(findViolations('data/mnist.ts', source)).toHaveLength(1);
  });

  it('guard rejects a package in blocks', () => {
    expect(findViolations('blocks/dense.ts', "import x from 'mathjs';")).toHaveLength(1);
  });

  it('guard rejects Math.random', () => {
    expect(findViolations('cli/main.ts', 'const r = Math.random();')).toHaveLength(1);
  });

  it('guard ignores imports quoted in comments', () => {
    const source = "// the pattern from 'the cat' is not an import\nconst a = 1;\n";
    expect(findViolations('blocks/dense.ts', source)).toEqual([]);
  });

  it('guard allows lessons importing models', () => {
    const source = "import { trainMlp } from '../models/mlp.js';";
    expect(findViolations('lessons/mlp.ts', source)).toEqual([]);
  });
});
