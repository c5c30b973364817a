import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { tempDir } from '../helpers/temp.js';

const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Transpiles the given files of src/ (paths relative to src, e.g. `store/tasks-lock.ts`) to ES
 * modules in a temp dir with the same layout, so that real child processes (`node`) can import
 * the code under test. Returns the temp dir.
 */
export async function transpileSources(files: string[]): Promise<string> {
  const out = await tempDir('adw-js-');
  await writeFile(join(out, 'package.json'), '{"type":"module"}');
  for (const file of files) {
    const source = await readFile(join(srcRoot, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const target = join(out, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return out;
}
