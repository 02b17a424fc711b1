/**
 * The host pages' examples are complete programs: every ```ts block that
 * starts with `// file: <path>` is written to that path in a scratch
 * project and the project is type-checked against the package's sources
 * (its public import names mapped to src/), with the real `hono`,
 * `@hono/node-server` and Node types.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const scratch = join(repo, 'test', 'http', '.docs-examples');
const PAGES = ['host-nextjs.md', 'host-hono.md', 'host-bun-deno.md', 'host-workers.md'];
const ENTRY_POINTS: Record<string, string> = {
  'create-chatkit-backend/fetch': 'src/http/fetch/index.ts',
  'create-chatkit-backend/fastify': 'src/http/index.ts',
  'create-chatkit-backend/runtime': 'src/runtime/index.ts',
  'create-chatkit-backend/agents': 'src/runtime/agents/index.ts',
  'create-chatkit-backend/providers': 'src/runtime/providers/index.ts',
  'create-chatkit-backend/widgets': 'src/runtime/widgets/index.ts',
  'create-chatkit-backend/stores/sqlite': 'src/runtime/stores/sqlite/index.ts',
  'create-chatkit-backend/stores/postgres': 'src/runtime/stores/postgres/index.ts',
};

afterAll(() => rm(scratch, { recursive: true, force: true }));

function exampleFiles(markdown: string): { path: string; code: string }[] {
  const files: { path: string; code: string }[] = [];
  for (const match of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = match[1]!;
    const file = /^\/\/ file: (\S+)\n/.exec(code);
    if (file) files.push({ path: file[1]!, code });
  }
  return files;
}

test.each(PAGES)('docs/%s: its examples type-check', async (page) => {
  const files = exampleFiles(await readFile(join(repo, 'docs', page), 'utf8'));
  expect(files.length).toBeGreaterThan(0);
  const project = join(scratch, page.replace('.md', ''));
  await rm(project, { recursive: true, force: true });
  for (const file of files) {
    await mkdir(dirname(join(project, file.path)), { recursive: true });
    await writeFile(join(project, file.path), file.code);
  }
  const paths = Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, path]) => [name, [join(repo, path)]]));
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2023',
        lib: ['es2023', 'dom', 'dom.iterable'],
        module: 'esnext',
        moduleResolution: 'bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        paths,
      },
      include: ['**/*.ts'],
    }),
  );
  const result = await execa(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.json')], { reject: false, all: true });
  expect(result.all, `tsc on the examples of docs/${page}`).toBe('');
  expect(result.exitCode).toBe(0);
});
