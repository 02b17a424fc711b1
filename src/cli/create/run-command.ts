/**
 * Runs a program to completion with node:child_process. The scaffolder uses
 * this instead of a process library so that it has no dependency that needs
 * a newer Node than the one npx brings (execa 10 needs Node 22).
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  cwd: string;
  /** `inherit` shows the program's output to the user (an install must not look like a hang). */
  stdio?: 'pipe' | 'inherit';
  env?: NodeJS.ProcessEnv;
  /** Kills the program (SIGTERM) after this long; none by default. */
  timeoutMs?: number;
}

/**
 * Resolves with the outcome whatever the exit code; rejects only when the
 * program could not be started (`error.code` is `ENOENT` when it is not on PATH).
 */
export function runCommand(command: string, args: readonly string[], { cwd, stdio = 'pipe', env, timeoutMs }: RunCommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Windows runs npm/pnpm/yarn as .cmd shims, which only a shell can start.
    const child = spawn(command, args, { cwd, env, stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32', timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}

/** "exit code 1" / "killed by SIGTERM": how a failed run is described to the user. */
export function describeExit(result: Pick<CommandResult, 'exitCode' | 'signal'>): string {
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
}
