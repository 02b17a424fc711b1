/**
 * tsx strips types without checking them, so a type error would go unnoticed
 * until `npm run build`. After each (re)start `dev` runs the project's own
 * `tsc --noEmit` in the background (TypeScript 7 is native and fast) and
 * prints the errors; the app keeps running meanwhile, as type errors do not
 * stop the JavaScript from working.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TypecheckSummary {
  errorCount: number;
  /** The first error lines, `src/app.ts(3,7): error TS2322: …`. */
  shown: string[];
}

/** Pure: the error lines of `tsc --pretty false` output. */
export function summarizeTscOutput(text: string, max = 8): TypecheckSummary {
  const errors = text.split('\n').filter((line) => /: error TS\d+:/.test(line));
  return { errorCount: errors.length, shown: errors.slice(0, max) };
}

/** The project's `tsc`: its own node_modules/.bin first, then the ones above it. */
function findTsc(root: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', 'tsc');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export class BackgroundTypecheck {
  private running: ChildProcess | undefined;
  private lastHadErrors = false;

  constructor(private readonly root: string, private readonly log: (line: string) => void) {}

  /** Start a check, cancelling one still running for older code. */
  run(format: { error: (s: string) => string; ok: (s: string) => string; dim: (s: string) => string }): void {
    // A project without a tsconfig.json or a local TypeScript has nothing to check with.
    const tsc = findTsc(this.root);
    if (!tsc || !existsSync(join(this.root, 'tsconfig.json'))) return;
    this.cancel();
    let output = '';
    // Its own process group: the `tsc` shim starts a native compiler, and both must stop on cancel.
    const child = spawn(tsc, ['--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'], { cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.running = child;
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', () => {});
    // 'close', not 'exit': 'exit' can come before the last output has been read.
    child.on('close', (_code, signal) => {
      const current = this.running === child;
      if (current) this.running = undefined;
      // Cancelled, or superseded by a check of newer code: its verdict is stale.
      if (signal || !current) return;
      const summary = summarizeTscOutput(output);
      if (summary.errorCount > 0) {
        this.log(format.error(`✗ ${summary.errorCount} type error(s) (the app still runs: tsx does not check types):`));
        for (const line of summary.shown) this.log(`    ${line}`);
        if (summary.errorCount > summary.shown.length) this.log(format.dim(`    … and ${summary.errorCount - summary.shown.length} more (npm run typecheck)`));
      } else if (this.lastHadErrors) {
        this.log(format.ok('✓ no type errors'));
      }
      this.lastHadErrors = summary.errorCount > 0;
    });
  }

  cancel(): void {
    const child = this.running;
    this.running = undefined;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  }
}
