/**
 * `create-chatkit-backend doctor [check-id...]`: parse options, prepare the
 * context, run the checks, print the report. Exit codes: 0 nothing failed
 * (warnings allowed), 1 a check failed (or warned, with --strict), 2 bad usage.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { findProjectRoot } from '../project/root.js';
import { enterProjectRoot } from '../project/enter-directory.js';
import { CHECKS } from './checks/index.js';
import { endpointFromUrl, prepareContext, type DoctorOptions } from './context.js';
import { renderJson } from './report-json.js';
import { reportJsonSchema } from './report-schema.js';
import { renderText } from './report-text.js';
import { renderGithub, renderGithubError } from './report-github.js';
import { runChecks } from './runner.js';
import type { Check, DoctorReport } from './types.js';
import { colorEnabled } from '../shared/colors.js';

export interface DoctorIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal that may show colour. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIO = (): DoctorIO => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
});

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

/**
 * The format asked for, read from the raw arguments: a usage error is found
 * while parsing them, and must still come out in that format.
 */
function requestedFormat(argv: string[]): Format {
  let format: Format = 'text';
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') break;
    if (arg === '--json') format = 'json';
    const value = arg === '--format' ? argv[index + 1] : arg.startsWith('--format=') ? arg.slice('--format='.length) : undefined;
    if (value && (FORMATS as readonly string[]).includes(value)) format = value as Format;
  }
  return format;
}

/** Doctor could not run: the message on stderr, and in the requested format on stdout (one JSON document for --json). */
function couldNotRun(io: DoctorIO, format: Format, code: 'usage' | 'no-project', message: string): number {
  io.stderr(`doctor: ${message}\n`);
  if (format === 'json') {
    const document: DoctorReport = { schemaVersion: 1, ok: false, summary: { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 }, checks: [], error: { code, message } };
    io.stdout(renderJson(document));
  }
  if (format === 'github') io.stdout(renderGithubError(message));
  return 2;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildProgram(io: DoctorIO): Command {
  return new Command('create-chatkit-backend doctor')
    .description('Diagnose keys, frontend config, secrets, CORS, streaming, protocol, auth and code patterns.')
    .argument('[check-id...]', 'run only these checks (see --list-checks)')
    .option('--url <url>', 'probe a running backend (its base URL or its ChatKit endpoint) instead of only the local app')
    .addOption(new Option('--origin <origin>', 'a frontend origin to test CORS and the allowlist with (repeatable)').argParser(collect).default([], 'CHATKIT_CORS_ORIGINS'))
    .option('--auth-header <value>', 'credentials for --url: "Bearer <token>" or "Header-Name: value"')
    .option('--diagnostics-token <token>', 'the plugin\'s diagnostics token, to measure streaming through --url')
    .option('--no-local', 'with --url, do not also start the project\'s app')
    .option('--cwd <dir>', 'the project directory', io.cwd)
    .option('--json', 'print the report as JSON on stdout (logs go to stderr); the same as --format json')
    .addOption(new Option('--format <format>', 'text, json (one JSON document on stdout) or github (the text report plus workflow annotations)').choices(FORMATS))
    .option('--strict', 'treat warnings as failures')
    .option('--online', 'also confirm the provider key with a live models call (5 s timeout)')
    .option('--long', 'add a long stream with 65 s gaps to find idle timeouts (takes about 3.5 minutes)')
    .option('--verbose', 'show evidence for passing checks too')
    .addOption(new Option('--timeout <ms>', 'per-check time limit').default('15000').argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds, got ${JSON.stringify(v)}`);
      return String(n);
    }))
    .option('--list-checks', 'list the checks and exit')
    .option('--schema', 'print the JSON Schema of the --json report and exit')
    .helpOption('-h, --help')
    .addHelpText('after', '\nExit codes: 0 nothing failed (warnings allowed), 1 a check failed or crashed (with --strict: or warned),\n2 bad usage or no project and no --url.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

function selectChecks(ids: string[], all: readonly Check[] = CHECKS): Check[] {
  if (ids.length === 0) return [...all];
  const unknown = ids.filter((id) => !all.some((check) => check.id === id));
  if (unknown.length > 0) throw new UsageError(`unknown check ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the checks are: ${all.map((c) => c.id).join(', ')}`);
  return all.filter((check) => ids.includes(check.id));
}

export async function run(argv: string[], io: DoctorIO = defaultIO()): Promise<number> {
  const asked = requestedFormat(argv);
  // With --json or --format github, commander's own error text goes to stderr and is repeated in that format.
  let commanderMessage = '';
  const program = buildProgram(io).configureOutput({
    writeOut: io.stdout,
    writeErr: (text) => {
      commanderMessage += text;
      io.stderr(text);
    },
  });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (asked === 'text') return 2;
      const message = commanderMessage.replace(/^error: /, '').trim() || error.message;
      return couldNotRun({ ...io, stderr: () => {} }, asked, 'usage', `${message} (see --help)`);
    }
    if (error instanceof UsageError) return couldNotRun(io, asked, 'usage', error.message);
    throw error;
  }
  const opts = program.opts<{
    url?: string; origin: string[]; authHeader?: string; diagnosticsToken?: string; local: boolean; cwd: string;
    json?: boolean; format?: Format; strict?: boolean; online?: boolean; long?: boolean; verbose?: boolean; timeout: string; listChecks?: boolean; schema?: boolean;
  }>();

  if (opts.json && opts.format && opts.format !== 'json') return couldNotRun(io, 'json', 'usage', `--json and --format ${opts.format} ask for two formats; pass one`);
  const format: Format = opts.json ? 'json' : (opts.format ?? 'text');
  let checks: Check[];
  try {
    checks = selectChecks(program.args);
    if (opts.url) endpointFromUrl(opts.url);
    for (const origin of opts.origin) if (!/^https?:\/\/[^/]+\/?$/.test(origin)) throw new UsageError(`--origin ${JSON.stringify(origin)} is not an origin; use scheme://host[:port], e.g. https://app.example.com`);
  } catch (error) {
    const message = error instanceof TypeError ? `--url ${JSON.stringify(opts.url)} is not a URL; use e.g. https://api.example.com or http://127.0.0.1:8000/chatkit/api` : (error as Error).message;
    return couldNotRun(io, format, 'usage', message);
  }

  if (opts.schema) {
    io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (opts.listChecks) {
    const lines = checks.map((c) => `${c.id.padEnd(16)} ${c.category.padEnd(14)} ${c.title}`);
    io.stdout(format === 'json' ? `${JSON.stringify(checks.map(({ id, title, category }) => ({ id, title, category })), null, 2)}\n` : `${lines.join('\n')}\n`);
    return 0;
  }

  const color = format === 'text' && colorEnabled({ isTTY: io.isTTY, env: io.env });
  const options: DoctorOptions = {
    // Absolute: the working directory may move to the project root below.
    cwd: resolve(io.cwd, opts.cwd),
    url: opts.url,
    origins: opts.origin,
    authHeader: opts.authHeader,
    diagnosticsToken: opts.diagnosticsToken,
    online: Boolean(opts.online),
    long: Boolean(opts.long),
    local: opts.local,
    needBackend: checks.some((check) => check.probes),
  };
  if (io.isTTY && format === 'text') io.stderr(`Running ${checks.length} check${checks.length === 1 ? "" : "s"}…\n`);

  // The project's own code may print with console.log; in JSON mode that would corrupt stdout.
  const restore = format === 'text' ? () => {} : routeConsoleToStderr(io);
  try {
    const root = findProjectRoot(options.cwd);
    // Run from src/ or test/: the app's relative paths (CHATKIT_SCRIPT, .data/) mean the project root.
    if (root) enterProjectRoot(root);
    const prepared = await prepareContext(options, io.env);
    if (!prepared.context.root && !options.url) {
      await prepared.close();
      restore();
      return couldNotRun(io, format, 'no-project', `no project at ${options.cwd} (no src/app.ts here or above). Run it inside a project made by create-chatkit-backend, pass --cwd <project dir>, or probe a running backend with --url <url>.`);
    }
    try {
      // On a terminal, say what is still running after 10 s instead of looking stuck (flutter doctor does the same).
      const pending = new Set(checks.map((c) => c.id));
      const notice = io.isTTY && format === 'text' ? setTimeout(() => io.stderr(`Still waiting on: ${[...pending].join(', ')}…\n`), 10_000) : undefined;
      const report = await runChecks(checks, prepared.context, {
        strict: Boolean(opts.strict),
        defaultTimeoutMs: Number(opts.timeout),
        onResult: (result) => pending.delete(result.id),
      }).finally(() => clearTimeout(notice));
      restore();
      const rendered = {
        json: () => renderJson(report),
        github: () => renderGithub(report, Boolean(opts.strict)),
        text: () => renderText(report, { color, verbose: Boolean(opts.verbose) }),
      }[format]();
      io.stdout(rendered);
      return report.ok ? 0 : 1;
    } finally {
      await prepared.close();
    }
  } finally {
    restore();
  }
}

function routeConsoleToStderr(io: DoctorIO): () => void {
  const { log, info } = console;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => io.stderr(`${args.map(String).join(' ')}\n`);
  console.info = console.log;
  // Raw writes too (a project's own logger writing to process.stdout).
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    io.stderr(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof process.stdout.write;
  return () => {
    console.log = log;
    console.info = info;
    process.stdout.write = write;
  };
}
