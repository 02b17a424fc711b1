/**
 * `npm run bench:cli`: how long a user waits for `create-chatkit-backend
 * --help` and for a `--no-install` scaffold, next to `create-vite --help`
 * measured in the same run on the same machine. Each number is the median of
 * several runs of a fresh `node` process (process start included: that is
 * what the user feels).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownPackageJson } from '../src/cli/shared/own-package.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'bin', 'create-chatkit-backend.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'ccb-bench-'));

function run(command: string, args: string[], cwd = work): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function measure(label: string, once: (index: number) => number): number {
  once(-1); // warm the file system cache
  const times = Array.from({ length: RUNS }, (_, index) => once(index));
  const value = median(times);
  console.log(`${label.padEnd(52)} ${value.toFixed(0).padStart(5)} ms  (median of ${RUNS}; min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
  return value;
}

if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) {
  console.log('dist/ is missing: building first (npm run build)');
  const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

console.log(`create-chatkit-backend ${ownPackageJson().version}, node ${process.version}, ${process.platform}/${process.arch}\n`);

measure('create-chatkit-backend --help', () => run(process.execPath, [bin, '--help']));
measure('create-chatkit-backend app --no-install (tools)', (index) =>
  // --runtime as a published install has it: run from this checkout, the CLI would otherwise pack the checkout first.
  run(process.execPath, [bin, `app-${index + 1}`, '--template', 'tools', '--provider', 'scripted', '--no-install', '--no-git', '--no-interactive', '--runtime', `^${ownPackageJson().version}`]),
);

// create-vite, installed into a temp directory so npx's own resolution time is not counted.
const viteDir = join(work, 'vite');
const install = spawnSync('npm', ['install', '--prefix', viteDir, '--no-audit', '--no-fund', '--prefer-offline', 'create-vite'], { encoding: 'utf8' });
const viteBin = join(viteDir, 'node_modules', 'create-vite', 'index.js');
if (install.status === 0 && existsSync(viteBin)) {
  const viteVersion = (JSON.parse(readFileSync(join(viteDir, 'node_modules', 'create-vite', 'package.json'), 'utf8')) as { version: string }).version;
  measure(`create-vite --help (create-vite ${viteVersion})`, () => run(process.execPath, [viteBin, '--help']));
} else {
  console.log(`create-vite --help: unavailable (npm install create-vite failed: ${(install.stderr || install.error?.message || '').trim().split('\n').pop()})`);
}

rmSync(work, { recursive: true, force: true });
