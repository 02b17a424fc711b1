/**
 * The scaffolder's command line, declared with commander. Parsing only: what
 * the flags mean is decided in `resolve-settings.ts`.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { COMMANDS } from '../shared/command-table.js';
import { ExitError, EXIT } from '../shared/exit-error.js';
import {
  ATTACHMENTS,
  AUTHS,
  DEFAULT_BASE_URL,
  DEFAULTS,
  FRONTENDS,
  PACKAGE_MANAGERS,
  PROVIDERS,
  STORES,
  TEMPLATES,
  type AttachmentsKind,
  type Auth,
  type Frontend,
  type PackageManager,
  type Provider,
  type StoreKind,
  type Template,
} from './choices.js';
import { packageNameProblems } from './project-name.js';

/** What the user typed; `undefined` means "not given". */
export interface CreateFlags {
  directory?: string;
  name?: string;
  template?: Template;
  provider?: Provider;
  model?: string;
  baseUrl?: string;
  store?: StoreKind;
  auth?: Auth;
  attachments?: AttachmentsKind;
  frontend?: Frontend;
  port?: number;
  packageManager?: PackageManager;
  install?: boolean;
  git?: boolean;
  overwrite?: boolean;
  yes?: boolean;
  interactive?: boolean;
  dryRun?: boolean;
  runtime?: string;
}

export type ParsedCommandLine = { kind: 'flags'; flags: CreateFlags } | { kind: 'printed'; text: string };

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new InvalidArgumentError('expected a whole number from 1 to 65535, e.g. --port 8000.');
  }
  return Number(value);
}

function parseUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InvalidArgumentError(`expected an http(s) URL, e.g. --base-url ${DEFAULT_BASE_URL}.`);
  }
  return value;
}

function parsePackageName(value: string): string {
  const problems = packageNameProblems(value);
  if (problems.length > 0) throw new InvalidArgumentError(`not a valid npm package name (${problems.join('; ')}).`);
  return value;
}

function nonEmpty(what: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new InvalidArgumentError(`${what} must not be empty.`);
    return value.trim();
  };
}

function createProgram(version: string): Command {
  const choice = (flags: string, description: string, values: readonly string[], fallback?: string) => {
    // The default goes into the text, not the parsed value: "not given" must stay detectable.
    return new Option(flags, fallback === undefined ? description : `${description} (default: ${fallback})`).choices(values);
  };
  const program = new Command('create-chatkit-backend')
    .usage('[dir] [options]')
    .description('Scaffold a ChatKit backend: Fastify, the ChatKit protocol, and an Agents SDK agent.')
    .argument('[dir]', `where to create the project ("." for the current directory; default ${DEFAULTS.directory})`)
    .addOption(new Option('--name <package-name>', "the package's name (default: the directory's name)").argParser(parsePackageName))
    .addOption(choice('-t, --template <name>', 'what the project starts with', TEMPLATES, DEFAULTS.template))
    .addOption(choice('--provider <name>', 'model provider', PROVIDERS, DEFAULTS.provider))
    .addOption(new Option('--model <id>', 'model id (default depends on the provider)').argParser(nonEmpty('--model')))
    .addOption(new Option('--base-url <url>', 'model server URL (for --provider openai-compatible)').argParser(parseUrl))
    .addOption(choice('--store <kind>', 'where threads are stored', STORES, DEFAULTS.store))
    .addOption(choice('--auth <kind>', 'how requests are authenticated', AUTHS, DEFAULTS.auth))
    .addOption(choice('--attachments <kind>', 'where uploaded files go (s3 for several instances)', ATTACHMENTS, DEFAULTS.attachments))
    .addOption(choice('--frontend <kind>', 'frontend snippet to generate', FRONTENDS, DEFAULTS.frontend))
    .addOption(new Option('--port <n>', `port the server listens on (default: ${DEFAULTS.port})`).argParser(parsePort))
    .addOption(choice('--package-manager <name>', 'package manager (default: the one running this command)', PACKAGE_MANAGERS))
    .option('--install', 'install dependencies (default)')
    .option('--no-install', 'skip installing dependencies')
    .option('--git', 'initialise a git repository (default)')
    .option('--no-git', 'skip git init')
    .option('--overwrite', 'empty a non-empty target directory first (.git is kept)')
    .option('-y, --yes', 'accept the defaults for everything not given')
    .option('--interactive', 'ask questions even when flags are given')
    .option('--no-interactive', 'never ask: use flags and defaults')
    .option('--dry-run', 'print the files that would be written, write nothing')
    .addOption(
      new Option('--runtime <spec>', `npm spec written for the create-chatkit-backend dependency (default: ^${version})`).argParser(
        nonEmpty('--runtime'),
      ),
    )
    .helpOption('-h, --help', 'show this help')
    .version(version, '-v, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      'after',
      `
Other commands (run inside a generated project):
${commandLines()}

Examples:
  npx create-chatkit-backend my-app
  npx create-chatkit-backend my-app --template agent --provider gemini --no-interactive
  npx create-chatkit-backend . --provider scripted --store memory --no-install`,
    );
  // Commander's booleans default to true for `--no-x`; we need "not given" to stay undefined.
  program.setOptionValueWithSource('install', undefined, 'default');
  program.setOptionValueWithSource('git', undefined, 'default');
  program.setOptionValueWithSource('interactive', undefined, 'default');
  return program;
}

/** One line per command, the summaries in one column after the longest usage. */
function commandLines(): string {
  const width = Math.max(...COMMANDS.map((command) => command.usage.length)) + 2;
  return COMMANDS.map((command) => `  create-chatkit-backend ${command.usage.padEnd(width)}${command.summary}`).join('\n');
}

/**
 * Commander takes the token after `--model` as its value even when it is the
 * next option (`--model --no-install` would name the model "--no-install"):
 * a value-taking option followed by an option is a missing value.
 */
function refuseOptionsTakenAsValues(program: Command, argv: string[]): void {
  for (const [index, token] of argv.entries()) {
    if (token === '--') return;
    const option = program.options.find((candidate) => candidate.required && (candidate.long === token || candidate.short === token));
    const next = argv[index + 1];
    if (option && (next === undefined || next.startsWith('-'))) {
      throw new ExitError(
        EXIT.usage,
        `error: ${option.long} needs a value (${option.flags})${next === undefined ? '' : `, but is followed by ${next}`}.\nRun create-chatkit-backend --help for every option.`,
      );
    }
  }
}

/** Parses argv (after the command name). Help and version become text to print. */
export function parseCommandLine(argv: string[], version: string): ParsedCommandLine {
  const program = createProgram(version);
  let printed = '';
  let problem = '';
  program.configureOutput({
    writeOut: (text) => void (printed += text),
    writeErr: (text) => void (problem += text),
    outputError: (text) => void (problem += text),
  });
  refuseOptionsTakenAsValues(program, argv);
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return { kind: 'printed', text: printed };
    }
    throw new ExitError(EXIT.usage, `${problem.trim() || error.message}\nRun create-chatkit-backend --help for every option.`);
  }
  if (program.args.length > 1) {
    throw new ExitError(
      EXIT.usage,
      `error: expected at most one directory, got ${program.args.map((arg) => JSON.stringify(arg)).join(' ')}.\nQuote a path that contains spaces.`,
    );
  }
  const options = program.opts<Record<string, unknown>>();
  const given = (key: string) => program.getOptionValueSource(key) === 'cli';
  const flags: CreateFlags = {};
  if (program.args[0] !== undefined) flags.directory = program.args[0];
  for (const key of [
    'name',
    'template',
    'provider',
    'model',
    'baseUrl',
    'store',
    'auth',
    'attachments',
    'frontend',
    'port',
    'packageManager',
    'install',
    'git',
    'overwrite',
    'yes',
    'interactive',
    'dryRun',
    'runtime',
  ] as const satisfies readonly (keyof CreateFlags)[]) {
    if (given(key)) (flags as Record<string, unknown>)[key] = options[key];
  }
  return { kind: 'flags', flags };
}
