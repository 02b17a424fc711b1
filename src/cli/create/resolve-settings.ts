/**
 * Turns flags into `Settings`, asking the user for whatever is missing when
 * interactive. Each step declares the part of the context it reads, in the
 * style of create-astro. Nothing here writes to disk: every answer is in
 * before any file is touched.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ExitError, EXIT } from '../shared/exit-error.js';
import { OWN_PACKAGE_NAME } from '../shared/own-package.js';
import {
  ATTACHMENT_HINTS,
  ATTACHMENTS,
  AUTH_HINTS,
  AUTHS,
  DEFAULT_BASE_URL,
  DEFAULT_MODELS,
  DEFAULTS,
  FRONTEND_HINTS,
  FRONTENDS,
  PROVIDERS,
  PROVIDER_HINTS,
  STORE_HINTS,
  STORES,
  TEMPLATES,
  TEMPLATE_HINTS,
  type Provider,
} from './choices.js';
import type { CreateFlags } from './flags.js';
import { detectPackageManager } from './package-manager.js';
import { packageNameFor, packageNameProblems, toValidPackageName } from './project-name.js';
import { PromptCancelled, type Prompter } from './prompter.js';
import type { Settings } from './settings.js';
import { resolveRuntimeSpec } from './runtime-spec.js';
import { conflictingEntries, describeConflicts, fileInTheWay } from './target-directory.js';

export interface ResolveContext {
  flags: CreateFlags;
  cwd: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  prompt: Prompter;
  version: string;
  /** Lists what in a directory would block scaffolding (injected for tests). */
  conflictsIn?: (dir: string) => Promise<string[]>;
}

/** What most steps read: the flags, and whether and how to ask. */
type StepContext = Pick<ResolveContext, 'flags' | 'interactive' | 'prompt'>;

async function directoryStep({ flags, interactive, prompt, cwd }: StepContext & Pick<ResolveContext, 'cwd'>) {
  if (flags.directory !== undefined) return flags.directory.trim().replace(/[/\\]+$/, '') || '.';
  if (!interactive) {
    if (flags.yes === true) return DEFAULTS.directory;
    throw new ExitError(
      EXIT.usage,
      `error: no project directory given.\nPass one, e.g. create-chatkit-backend my-app --no-interactive (or "." for the current directory), or -y to use "${DEFAULTS.directory}".`,
    );
  }
  return prompt.text({
    message: 'Where should the project be created?',
    placeholder: DEFAULTS.directory,
    defaultValue: DEFAULTS.directory,
    validate: (value) =>
      value.trim() === '' ? 'Enter a directory, or "." for the current one.' : fileInTheWay(resolve(cwd, value.trim()), value.trim()),
  });
}

async function packageNameStep(
  targetDir: string,
  { flags, interactive, prompt }: StepContext,
): Promise<string> {
  // Already checked by the flag parser.
  if (flags.name !== undefined) return flags.name;
  const name = packageNameFor(targetDir);
  const problems = packageNameProblems(name);
  if (problems.length === 0) return name;
  if (!interactive) {
    throw new ExitError(
      EXIT.usage,
      `error: "${name}" is not a valid npm package name:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nChoose a directory name such as "${toValidPackageName(name)}", or keep this one and add --name ${toValidPackageName(name)}.`,
    );
  }
  return prompt.text({
    message: `"${name}" is not a valid package name. Package name:`,
    defaultValue: toValidPackageName(name),
    placeholder: toValidPackageName(name),
    validate: (value) => packageNameProblems(value)[0],
  });
}

async function targetStep(
  targetDir: string,
  displayDir: string,
  { flags, interactive, prompt, conflictsIn = conflictingEntries }: Pick<ResolveContext, 'flags' | 'interactive' | 'prompt' | 'conflictsIn'>,
): Promise<boolean> {
  const conflicts = await conflictsIn(targetDir);
  if (conflicts.length === 0) return false;
  if (flags.overwrite === true) return true;
  const where = displayDir === '.' ? 'The current directory' : `Directory "${displayDir}"`;
  if (!interactive) {
    throw new ExitError(
      EXIT.failure,
      `error: ${where} is not empty (${describeConflicts(conflicts)}).\nChoose another directory, or pass --overwrite to remove its contents first (.git is kept).`,
    );
  }
  const choice = await prompt.select({
    message: `${where} is not empty (${describeConflicts(conflicts)}). What now?`,
    options: [
      { value: 'cancel', label: 'Cancel' },
      { value: 'overwrite', label: 'Remove its contents and continue', hint: '.git is kept' },
    ],
    initialValue: 'cancel',
  });
  if (choice === 'cancel') throw new PromptCancelled();
  const sure = await prompt.confirm({ message: `Delete ${conflicts.length} existing entr${conflicts.length === 1 ? 'y' : 'ies'} in ${displayDir}?`, initialValue: false });
  if (!sure) throw new PromptCancelled();
  return true;
}

async function chooseStep<T extends string>(
  given: T | undefined,
  fallback: T,
  { interactive, prompt }: Pick<ResolveContext, 'interactive' | 'prompt'>,
  message: string,
  values: readonly T[],
  hints: Record<T, string>,
): Promise<T> {
  if (given !== undefined || !interactive) return given ?? fallback;
  return prompt.select({
    message,
    options: values.map((value) => ({ value, label: value, hint: hints[value] })),
    initialValue: fallback,
  });
}

async function modelStep(provider: Provider, { flags, interactive, prompt }: StepContext) {
  if (flags.model !== undefined) return flags.model;
  if (!interactive || provider === 'scripted') return DEFAULT_MODELS[provider];
  return prompt.text({
    message: 'Model id:',
    placeholder: DEFAULT_MODELS[provider],
    defaultValue: DEFAULT_MODELS[provider],
  });
}

async function baseUrlStep(provider: Provider, { flags, interactive, prompt }: StepContext) {
  if (provider !== 'openai-compatible') {
    if (flags.baseUrl !== undefined) {
      throw new ExitError(EXIT.usage, `error: --base-url is only used with --provider openai-compatible (got --provider ${provider}).\nDrop --base-url, or add --provider openai-compatible.`);
    }
    return undefined;
  }
  if (flags.baseUrl !== undefined) return flags.baseUrl;
  if (!interactive) {
    throw new ExitError(
      EXIT.usage,
      `error: --provider openai-compatible needs the model server's URL.\nAdd --base-url <url>, e.g. --base-url ${DEFAULT_BASE_URL} for Ollama.`,
    );
  }
  return prompt.text({
    message: 'Base URL of the OpenAI-compatible server:',
    placeholder: DEFAULT_BASE_URL,
    defaultValue: DEFAULT_BASE_URL,
    validate: (value) => (URL.canParse(value) ? undefined : `Enter an http(s) URL, e.g. ${DEFAULT_BASE_URL}`),
  });
}

async function yesNoStep(given: boolean | undefined, { interactive, prompt }: Pick<ResolveContext, 'interactive' | 'prompt'>, message: string) {
  if (given !== undefined || !interactive) return given ?? true;
  return prompt.confirm({ message, initialValue: true });
}

/** `--runtime` checked and resolved before any question, so a typo costs no answers. */
function runtimeStep(targetDir: string, { flags, cwd, version }: Pick<ResolveContext, 'flags' | 'cwd' | 'version'>): string {
  if (flags.runtime === undefined) return `^${version}`;
  const resolved = resolveRuntimeSpec(flags.runtime, { name: OWN_PACKAGE_NAME, cwd, targetDir });
  if (!resolved.ok) {
    throw new ExitError(
      EXIT.usage,
      `error: --runtime ${flags.runtime} is not something npm can install (${resolved.problem}).\nGive a version range (^${version}), a tag (latest), a tarball or directory (file:../create-chatkit-backend-${version}.tgz) or a git URL.`,
    );
  }
  if (resolved.localPath !== undefined && !existsSync(resolved.localPath)) {
    throw new ExitError(
      EXIT.usage,
      `error: --runtime ${flags.runtime}: ${resolved.localPath} does not exist.\nA relative path is read from the directory you run this command in (${cwd}).`,
    );
  }
  return resolved.spec;
}

export async function resolveSettings(context: ResolveContext): Promise<Settings> {
  const { flags, cwd, env } = context;
  const directory = await directoryStep(context);
  const targetDir = resolve(cwd, directory);
  const displayDir = isAbsolute(directory) ? directory : relative(cwd, targetDir) || '.';
  const blocked = fileInTheWay(targetDir, displayDir);
  if (blocked) throw new ExitError(EXIT.usage, `error: ${blocked}.\nChoose another directory, or move the file out of the way.`);
  const runtimeSpec = runtimeStep(targetDir, context);
  const packageName = await packageNameStep(targetDir, context);
  const emptyTargetFirst = await targetStep(targetDir, displayDir, context);
  const template = await chooseStep(flags.template, DEFAULTS.template, context, 'Which template?', TEMPLATES, TEMPLATE_HINTS);
  const provider = await chooseStep(flags.provider, DEFAULTS.provider, context, 'Which model provider?', PROVIDERS, PROVIDER_HINTS);
  const model = await modelStep(provider, context);
  const baseUrl = await baseUrlStep(provider, context);
  const store = await chooseStep(flags.store, DEFAULTS.store, context, 'Where should threads be stored?', STORES, STORE_HINTS);
  const auth = await chooseStep(flags.auth, DEFAULTS.auth, context, 'Authentication?', AUTHS, AUTH_HINTS);
  const attachments = await chooseStep(flags.attachments, DEFAULTS.attachments, context, 'Where should uploaded files go?', ATTACHMENTS, ATTACHMENT_HINTS);
  const frontend = await chooseStep(flags.frontend, DEFAULTS.frontend, context, 'Frontend snippet?', FRONTENDS, FRONTEND_HINTS);
  const install = await yesNoStep(flags.install, context, 'Install dependencies?');
  const git = await yesNoStep(flags.git, context, 'Initialise a git repository?');
  return {
    targetDir,
    displayDir,
    packageName,
    template,
    provider,
    model,
    baseUrl,
    store,
    auth,
    attachments,
    frontend,
    port: flags.port ?? DEFAULTS.port,
    packageManager: flags.packageManager ?? detectPackageManager(env),
    install,
    git,
    emptyTargetFirst,
    runtimeSpec,
    runtimeFlag: flags.runtime,
    dryRun: flags.dryRun === true,
  };
}
