/**
 * `npm run bench:npx`: what a new user waits for and downloads, next to
 * create-vite@latest measured in the same run on the same machine:
 *
 * - a cold `npx <pkg> --help` (empty npm cache: everything is fetched);
 * - a cold `--no-install` scaffold (empty cache again);
 * - what npx installed for each (size and package count);
 * - the production install of a generated project (`npm install
 *   --omit=dev`: what a deployment runs), per store.
 *
 * Our package comes from `npm pack` of this checkout (it is not on the
 * registry yet, so npx reads it from disk), create-vite from the registry.
 * Each cold number is the median of BENCH_RUNS (default 5) runs, each with
 * its own fresh cache, ours and create-vite's interleaved.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'ccb-bench-npx-'));
const SIZE_GOAL_MB = 10;
const TIME_GOAL_RATIO = 2;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', npm_config_update_notifier: 'false', ...env } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/** Bytes on disk under `dir` (files' sizes, as du --apparent-size), and the package count. */
function installed(nodeModules: string): { bytes: number; packages: number } {
  let bytes = 0;
  let packages = 0;
  for (const entry of readdirSync(nodeModules, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
    if (entry.isFile() && entry.name === 'package.json' && /node_modules[/\\](@[^/\\]+[/\\])?[^/\\@]+$/.test(entry.parentPath)) packages += 1;
  }
  return { bytes, packages };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Cold {
  ms: number;
  bytes: number;
  packages: number;
}

/** One `npx` run with an empty cache of its own: its time, and what npx installed. */
function coldOnce(npxArgs: string[], cwd: string, cache: string): Cold {
  const { ms } = run('npx', ['--yes', ...npxArgs], cwd, { npm_config_cache: cache });
  const npxDir = join(cache, '_npx');
  const [hash] = readdirSync(npxDir);
  const size = installed(join(npxDir, hash, 'node_modules'));
  rmSync(cache, { recursive: true, force: true });
  return { ms, ...size };
}

/**
 * Ours and create-vite's, RUNS times each, interleaved (and the order
 * swapped every run) so that load from other processes falls on both alike.
 */
function coldPair(label: string, ours: string[], theirs: string[]): [Cold, Cold] {
  const results: [Cold[], Cold[]] = [[], []];
  for (let index = 0; index < RUNS; index += 1) {
    const order = index % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      const cwd = join(work, `${label}-${which}-${index}`);
      mkdirSync(cwd, { recursive: true });
      results[which].push(coldOnce(which === 0 ? ours : theirs, cwd, join(work, `cache-${label}-${which}-${index}`)));
    }
  }
  const summary = (runs: Cold[]): Cold => ({ ...runs[0], ms: median(runs.map((one) => one.ms)) });
  return [summary(results[0]), summary(results[1])];
}

console.log(`node ${process.version}, npm ${run('npm', ['--version'], work).stdout.trim()}, ${process.platform}/${process.arch}; ${RUNS} cold runs each (median)\n`);

run('npm', ['run', 'build'], repo);
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo).stdout) as { filename: string; size: number; unpackedSize: number }[];
const tarball = join(work, packed[0].filename);
const vite = `create-vite@${run('npm', ['view', 'create-vite@latest', 'version'], work).stdout.trim()}`;
console.log(`${packed[0].filename}: ${mb(packed[0].size)} packed, ${mb(packed[0].unpackedSize)} unpacked; ${vite} from the registry\n`);

const [oursHelp, viteHelp] = coldPair('help', ['--package', tarball, 'create-chatkit-backend', '--help'], [vite, '--help']);
const [oursScaffold, viteScaffold] = coldPair(
  'scaffold',
  ['--package', tarball, 'create-chatkit-backend', 'app', '--provider', 'scripted', '--no-install', '--no-git', '--no-interactive'],
  [vite, 'app', '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'],
);

const row = (label: string, ours: Cold, theirs: Cold) => {
  const ratio = ours.ms / theirs.ms;
  console.log(
    `${label.padEnd(28)} ours ${ours.ms.toFixed(0).padStart(6)} ms ${mb(ours.bytes).padStart(9)} ${String(ours.packages).padStart(3)} pkgs | ` +
      `create-vite ${theirs.ms.toFixed(0).padStart(6)} ms ${mb(theirs.bytes).padStart(9)} ${String(theirs.packages).padStart(3)} pkgs | ` +
      `time ×${ratio.toFixed(2)} (goal ≤ ${TIME_GOAL_RATIO}: ${ratio <= TIME_GOAL_RATIO ? 'met' : 'NOT MET'}), size ${ours.bytes <= SIZE_GOAL_MB * 1e6 ? 'met' : 'NOT MET'} (goal ≤ ${SIZE_GOAL_MB} MB)`,
  );
};
row('cold npx --help', oursHelp, viteHelp);
row('cold --no-install scaffold', oursScaffold, viteScaffold);

// A generated project's production install: what a deployment runs (warm cache: size, not speed).
console.log('');
const extracted = join(work, 'cli');
mkdirSync(extracted);
run('tar', ['-xzf', tarball, '-C', extracted], work);
for (const [template, store] of [['tools', 'sqlite'], ['tools', 'postgres'], ['basic', 'memory']] as const) {
  const projects = join(work, `projects-${template}-${store}`);
  mkdirSync(projects);
  run(process.execPath, [join(extracted, 'package', 'bin', 'create-chatkit-backend.js'), 'app', '--template', template, '--store', store, '--provider', 'scripted', '--no-install', '--no-git', '--no-interactive', '--runtime', `file:${tarball}`], projects);
  const app = join(projects, 'app');
  const { ms } = run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], app);
  const size = installed(join(app, 'node_modules'));
  console.log(`production install (${template}, ${store})`.padEnd(40) + `${mb(size.bytes).padStart(9)} ${String(size.packages).padStart(3)} pkgs (npm install --omit=dev, ${(ms / 1000).toFixed(1)} s)`);
}

rmSync(work, { recursive: true, force: true });
