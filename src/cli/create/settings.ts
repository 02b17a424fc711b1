/**
 * Everything the scaffolder decided, after flags, defaults and answers. The
 * file plan is a pure function of this (plus the template files).
 */
import type { AttachmentsKind, Auth, Frontend, PackageManager, Provider, StoreKind, Template } from './choices.js';
import { packageNameFor } from './project-name.js';

export interface Settings {
  /** Absolute path of the project directory. */
  targetDir: string;
  /** The directory as the user should `cd` into it (relative when possible). */
  displayDir: string;
  packageName: string;
  template: Template;
  provider: Provider;
  model: string;
  /** Only for `openai-compatible`. */
  baseUrl: string | undefined;
  store: StoreKind;
  auth: Auth;
  /** Where attachment bytes go: this machine's disk, or a bucket every instance shares. */
  attachments: AttachmentsKind;
  frontend: Frontend;
  port: number;
  packageManager: PackageManager;
  /** pnpm's or yarn's version when known: CI sets up that one (pnpm in the workflow, yarn through package.json for corepack). */
  packageManagerVersion?: string;
  install: boolean;
  git: boolean;
  /** The target has files: empty it (keeping `.git`) before writing. */
  emptyTargetFirst: boolean;
  /** npm spec for the `create-chatkit-backend` dependency, as written into package.json. */
  runtimeSpec: string;
  /** `--runtime` as the user typed it (repeated in the equivalent command), if given. */
  runtimeFlag?: string;
  dryRun: boolean;
}

/** `value` as one shell word: quoted when it contains anything a shell would interpret. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The project directory as one shell word. */
export function displayDirArgument(settings: Pick<Settings, 'displayDir'>): string {
  return shellWord(settings.displayDir);
}

/** The settings as the equivalent non-interactive command line (printed so runs can be repeated). */
export function equivalentCommand(settings: Settings): string {
  const parts = [
    'create-chatkit-backend',
    displayDirArgument(settings),
    // Only when it was typed at the prompt or given with --name: otherwise it follows the directory.
    ...(settings.packageName === packageNameFor(settings.targetDir) ? [] : [`--name ${settings.packageName}`]),
    `--template ${settings.template}`,
    `--provider ${settings.provider}`,
    `--model ${settings.model}`,
    ...(settings.baseUrl ? [`--base-url ${settings.baseUrl}`] : []),
    `--store ${settings.store}`,
    `--auth ${settings.auth}`,
    `--attachments ${settings.attachments}`,
    `--frontend ${settings.frontend}`,
    `--port ${settings.port}`,
    `--package-manager ${settings.packageManager}`,
    settings.install ? '--install' : '--no-install',
    settings.git ? '--git' : '--no-git',
    ...(settings.runtimeFlag === undefined ? [] : [`--runtime ${shellWord(settings.runtimeFlag)}`]),
    '--no-interactive',
  ];
  return parts.join(' ');
}
