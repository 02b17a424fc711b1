/**
 * Builds the test Next.js app (test/http/hosts/next-app) with `next build`
 * and serves it with `next start`, as a deployment would. The app imports
 * the package by name, so the package is first compiled into the app's own
 * node_modules (never into the repository's dist/, which other tests pack
 * while this runs). Two test files use the app: a lock makes the second wait
 * for the first build, and a hash of the inputs skips a build that would
 * produce the same output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const appDir = fileURLToPath(new URL('./next-app/', import.meta.url));
const nextBin = join(repo, 'node_modules', 'next', 'dist', 'bin', 'next');
const lockDir = join(appDir, '.next-build-lock');
const hashFile = join(appDir, '.next', 'test-inputs.sha256');
const installed = join(appDir, 'node_modules', 'create-chatkit-backend');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };

export interface RunningNext {
  origin: string;
  close(): Promise<void>;
}

export async function buildNextApp(): Promise<void> {
  await acquireLock();
  try {
    await installPackage();
    const inputs = await hashInputs();
    const previous = await readFile(hashFile, 'utf8').catch(() => '');
    if (previous === inputs) return;
    await execa(process.execPath, [nextBin, 'build'], { cwd: appDir, env, all: true }).catch((error: { all?: string }) => {
      throw new Error(`next build failed:\n${error.all ?? String(error)}`);
    });
    await writeFile(hashFile, inputs);
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

export async function startNextApp(uploadDir: string): Promise<RunningNext> {
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...env, CHATKIT_UPLOAD_DIR: uploadDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Ready in/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The package as an app installs it: its package.json and a fresh dist/ compiled from src/. */
async function installPackage(): Promise<void> {
  await rm(join(installed, 'dist'), { recursive: true, force: true });
  await execa(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(repo, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], { cwd: repo });
  const own = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  const manifest = { name: own.name, version: own.version, type: own.type, exports: own.exports };
  await writeFile(join(installed, 'package.json'), JSON.stringify(manifest, null, 2));
}

async function acquireLock(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lockDir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a run that was killed is stale after ten minutes.
      const age = Date.now() - (await stat(lockDir).then((s) => s.mtimeMs).catch(() => Date.now()));
      if (age > 600_000) await rm(lockDir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** What the build depends on: the app's own files and the built package. */
async function hashInputs(): Promise<string> {
  const hash = createHash('sha256');
  for (const root of [join(appDir, 'app'), join(installed, 'dist')]) {
    const files = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.(m?js|json)$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files) hash.update(file).update(await readFile(file));
  }
  hash.update(await readFile(join(appDir, 'next.config.mjs')));
  return hash.digest('hex');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
