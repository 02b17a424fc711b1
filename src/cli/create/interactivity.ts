/**
 * Whether the scaffolder may ask questions. It asks only on a real terminal
 * outside CI, and any option flag means "I have told you what I want": the
 * rest is filled with defaults instead of prompting (agents and scripts give
 * up on prompts). `--interactive` / `--no-interactive` override both rules.
 */
import type { CreateFlags } from './flags.js';

export interface Terminal {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Flags that answer no question: how we run (`--interactive`, `--dry-run`) or
 * what no prompt asks (`--runtime`, a packaging detail). They keep prompts on.
 */
const NON_ANSWER_FLAGS = new Set<keyof CreateFlags>(['directory', 'interactive', 'dryRun', 'runtime']);

function anyAnswerFlagGiven(flags: CreateFlags): boolean {
  return (Object.keys(flags) as (keyof CreateFlags)[]).some((key) => !NON_ANSWER_FLAGS.has(key) && flags[key] !== undefined);
}

export function shouldPrompt(flags: CreateFlags, terminal: Terminal, env: NodeJS.ProcessEnv): boolean {
  if (flags.interactive !== undefined) return flags.interactive;
  if (flags.yes === true) return false;
  if (!terminal.stdinIsTTY || !terminal.stdoutIsTTY || isCI(env)) return false;
  return !anyAnswerFlagGiven(flags);
}
