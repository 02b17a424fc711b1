/**
 * The variables templates can use. Every key is always present (strict
 * mode fails on a missing one), with booleans for each choice so templates
 * never compare strings.
 */
import { hasWidgetTools } from './choices.js';
import { ciInstallCommand, installCommand, quietRunScript, runScript, scriptArgsSeparator } from './package-manager.js';
import { PROJECT_SCRIPTS, type ProjectScript } from './package-json.js';
import type { Settings } from './settings.js';

export interface TemplateView {
  packageName: string;
  cliVersion: string;
  template: string;
  provider: string;
  model: string;
  port: number;
  isBasic: boolean;
  usesAgents: boolean;
  hasTools: boolean;
  isMultiAgent: boolean;
  hasClientTool: boolean;
  isOpenAI: boolean;
  isGemini: boolean;
  isCompatible: boolean;
  isScripted: boolean;
  isSqlite: boolean;
  isPostgres: boolean;
  isMemory: boolean;
  isJwt: boolean;
  isS3: boolean;
  hasFrontend: boolean;
  isReact: boolean;
  isVanilla: boolean;
  /** pnpm installs this project (it needs build scripts allowed: pnpm-workspace.yaml). */
  isPnpm: boolean;
  /** yarn installs this project (Yarn 2+ would use Plug'n'Play without .yarnrc.yml). */
  isYarn: boolean;
  /** bun installs this project (CI needs a step that brings bun). */
  isBun: boolean;
  /** `npm`, `pnpm`, `yarn` or `bun`. */
  packageManager: string;
  /** The pnpm CI sets up: the version that made the lockfile, or the latest when it is not known. */
  pnpmVersion: string;
  /** How to run each script of the generated package.json (`npm run dev`, `pnpm dev`...). */
  run: Record<ProjectScript, string>;
  /** Between `{{run.x}}` and the script's own options: ` --` for npm, nothing otherwise. */
  argsSeparator: string;
  install: string;
  /** The install a CI job runs (from the lockfile). */
  ciInstall: string;
  /** `doctor --json` with nothing of the package manager's own on stdout, for `> report.json`. */
  doctorJson: string;
}

export function templateView(settings: Settings, cliVersion: string): TemplateView {
  const hasTools = hasWidgetTools(settings.template);
  return {
    packageName: settings.packageName,
    cliVersion,
    template: settings.template,
    provider: settings.provider,
    model: settings.model,
    port: settings.port,
    isBasic: settings.template === 'basic',
    usesAgents: settings.template !== 'basic',
    hasTools,
    isMultiAgent: settings.template === 'multi-agent',
    // The client tool (switch_theme) ships with the widget tools; its own name says which feature a template needs.
    hasClientTool: hasTools,
    isOpenAI: settings.provider === 'openai',
    isGemini: settings.provider === 'gemini',
    isCompatible: settings.provider === 'openai-compatible',
    isScripted: settings.provider === 'scripted',
    isSqlite: settings.store === 'sqlite',
    isPostgres: settings.store === 'postgres',
    isMemory: settings.store === 'memory',
    isJwt: settings.auth === 'jwt',
    isS3: settings.attachments === 's3',
    hasFrontend: settings.frontend !== 'none',
    isReact: settings.frontend === 'react',
    isVanilla: settings.frontend === 'vanilla',
    isPnpm: settings.packageManager === 'pnpm',
    isYarn: settings.packageManager === 'yarn',
    isBun: settings.packageManager === 'bun',
    packageManager: settings.packageManager,
    pnpmVersion: settings.packageManager === 'pnpm' ? (settings.packageManagerVersion ?? 'latest') : '',
    // Only the scripts package.json has: `{{run.x}}` for any other x fails strict rendering.
    run: Object.fromEntries(Object.keys(PROJECT_SCRIPTS).map((script) => [script, runScript(settings.packageManager, script)])) as Record<
      ProjectScript,
      string
    >,
    argsSeparator: scriptArgsSeparator(settings.packageManager),
    install: installCommand(settings.packageManager),
    ciInstall: ciInstallCommand(settings.packageManager),
    doctorJson: `${quietRunScript(settings.packageManager, 'doctor')}${scriptArgsSeparator(settings.packageManager)} --json`,
  };
}
