/**
 * The shapes every doctor check shares: what a check receives (the context)
 * and what it returns (a result with evidence, a fix and a docs link).
 */
import type { ProjectEnv } from './project.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
/** `error` is never returned by a check: the runner reports a check that crashed or timed out. */
export type ReportedStatus = CheckStatus | 'error';

export type CheckCategory = 'configuration' | 'security' | 'network' | 'streaming' | 'protocol' | 'code';

export interface CheckOutcome {
  status: CheckStatus;
  /** One line saying what was found. */
  message: string;
  /** What was observed, one fact per line (headers, files, timings). Never a secret. */
  evidence?: string[];
  /** What to do about it, one step per line. */
  fix?: string[];
  /** Where to read more. */
  docs?: string;
}

/** A running backend the network checks probe. */
export interface Target {
  /** `local app` (started in-process) or `url` (given with --url). */
  name: 'local app' | 'url';
  /** The ChatKit endpoint, e.g. `http://127.0.0.1:51234/chatkit/api`. */
  endpoint: string;
  /** Whether the host is loopback (an open endpoint there is not a finding). */
  local: boolean;
  /** Headers that authenticate a request (empty when no auth is known). */
  authHeaders: Record<string, string>;
  /** Sent as `x-chatkit-diagnostics-token` to the diagnostics route. */
  diagnosticsToken?: string;
}

export interface DoctorContext {
  /** The project root, or null when doctor runs outside a project (pure --url mode). */
  root: string | null;
  /** The project's configuration as the project itself sees it (shell over .env). */
  env: ProjectEnv;
  /** The backend(s) to probe; the first is the primary one. Empty when none could be reached. */
  targets: Target[];
  /** Why there is no local target, when there is none. */
  targetProblem?: string;
  /** Origins the browser will send: --origin values, else CHATKIT_CORS_ORIGINS. */
  origins: string[];
  /** Whether auth is configured (CHATKIT_JWT_SECRET, or --auth-header given). */
  authConfigured: boolean;
  online: boolean;
  long: boolean;
  /** Aborted when the check's time is up. */
  signal: AbortSignal;
  /** For --online calls; injectable so tests never touch the network. */
  fetch: typeof globalThis.fetch;
}

export interface Check {
  id: string;
  title: string;
  category: CheckCategory;
  /** Whether the check sends requests to a backend (doctor starts the local app only when one does). */
  probes?: boolean;
  /** Per-check time limit in ms (the runner's default applies otherwise). */
  timeoutMs?: number | ((ctx: DoctorContext) => number);
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export interface CheckReport extends Omit<CheckOutcome, 'status'> {
  id: string;
  title: string;
  category: CheckCategory;
  status: ReportedStatus;
  durationMs: number;
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  error: number;
}

export interface DoctorReport {
  schemaVersion: 1;
  ok: boolean;
  summary: Summary;
  checks: CheckReport[];
  /** Doctor could not run (bad usage, no project): `checks` is empty and the exit code is 2. */
  error?: { code: 'usage' | 'no-project'; message: string };
}
