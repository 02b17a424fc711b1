#!/usr/bin/env node
/**
 * `npm run build`: the runtime and the Fastify plugin are compiled file by
 * file with tsc (dist/runtime, dist/http: what generated projects import),
 * and the CLI is bundled with esbuild into dist/cli, so that
 * `npx create-chatkit-backend` installs our tarball and nothing else.
 *
 * What stays outside the bundle, and why:
 * - node: builtins;
 * - every package a generated project installs (fastify, openai, zod, tsx...:
 *   PROJECT_PACKAGES in src/cli/create/project-packages.ts): `dev`, `doctor`
 *   and `replay` must run on the versions the project installed (and `dev`
 *   starts its children with tsx's loader by path);
 * - our own runtime and plugin modules (src/runtime, src/http): the
 *   project's code loads them too, and `dev` reads objects the project's app
 *   created (instanceof, module state), so both must be the same files in
 *   dist/. They are rewritten to paths relative to dist/cli.
 * Everything else the CLI imports (CLI-only packages such as commander or
 * @clack/prompts) is bundled; their licences go to dist/cli/THIRD-PARTY-LICENSES.txt.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const projectPackages = new Set(await loadProjectPackages());
const outdir = join(root, 'dist', 'cli');
/** Compiled separately by tsc; the bundle refers to them, never copies them. */
const SHARED_TREES = ['runtime', 'http'].map((tree) => join(root, 'src', tree) + sep);

/** The list from the TypeScript source, compiled in memory (any Node runs this script). */
async function loadProjectPackages() {
  const compiled = await build({ entryPoints: [join(root, 'src', 'cli', 'create', 'project-packages.ts')], write: false, format: 'esm', logLevel: 'warning' });
  const module = await import(`data:text/javascript,${encodeURIComponent(compiled.outputFiles[0].text)}`);
  return module.PROJECT_PACKAGES;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const externals = {
  name: 'externals',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (projectPackages.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
    context.onResolve({ filter: /^\./ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      const tree = SHARED_TREES.find((prefix) => target.startsWith(prefix));
      if (tree === undefined) return undefined;
      // Every bundle file sits directly in dist/cli, so dist/<tree>/x.js is ../<tree>/x.js from all of them.
      const fromDist = relative(join(root, 'src'), target).split(sep).join('/');
      return { path: `../${fromDist}`, external: true };
    });
  },
};

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
step(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
// The dev playground (src/playground): a browser app built by Vite into dist/playground.
step(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'src/playground/vite.config.ts', '--logLevel', 'warn']);

const result = await build({
  absWorkingDir: root,
  // `dev` starts child.js by its path next to the supervisor: it must be an entry point of its own.
  entryPoints: { main: 'src/cli/main.ts', child: 'src/cli/dev/child.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // The create path must run on the Node that npx brings (20.19+).
  target: 'node20.19',
  plugins: [externals],
  // Bundled CommonJS packages (handlebars) call require() for builtins: give the ESM bundle one.
  banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

/** One file with the licence of every package the bundle contains (MIT and friends require the notice). */
function thirdPartyLicenses(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match) continue;
    const dir = join(root, input.slice(0, match.index + match[0].length));
    packages.set(match[1], dir);
  }
  const sections = [...packages.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)/i.test(file));
    const text = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : `License: ${manifest.license}`;
    return `${name}@${manifest.version} (${manifest.license})\n\n${text}`;
  });
  return `The CLI in this directory bundles the following packages.\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile));
