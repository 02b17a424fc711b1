/**
 * The scaffolder as a library: resolve settings (all questions first), plan
 * the files, then run the queued work (write, install, git) only after the
 * last answer. The CLI in command.ts is a thin shell around this.
 */
import { relative } from 'node:path';
import { EXIT, ExitError } from '../shared/exit-error.js';
import type { Output } from '../shared/output.js';
import { installOnOlderNodeNotice, projectNodeNotice } from '../shared/node-version.js';
import { OWN_PACKAGE_NAME, ownPackageJson, type OwnPackageJson } from '../shared/own-package.js';
import type { CreateFlags } from './flags.js';
import { initGit } from './git.js';
import { installDependencies } from './install.js';
import { layersFor } from './layers.js';
import { dryRunText, nextStepsText, resolvedSettingsText } from './messages.js';
import { askPackageManagerVersion } from './ask-package-manager-version.js';
import { installCommand, packageManagerVersionFromAgent, pinnedInCI } from './package-manager.js';
import { planFiles, type FilePlan } from './plan.js';
import { PromptCancelled, type Prompter } from './prompter.js';
import { resolveSettings } from './resolve-settings.js';
import { resolveRuntimeSpec } from './runtime-spec.js';
import { PackError } from './source-checkout.js';
import { equivalentCommand, type Settings } from './settings.js';
import { readLayers, TEMPLATES_DIR } from './template-files.js';
import { writePlan } from './write-plan.js';

export interface CreateOptions {
  flags: CreateFlags;
  cwd: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  prompt: Prompter;
  output: Output;
  own?: OwnPackageJson;
  templatesDir?: string;
  /**
   * Packs the running checkout's build and returns the tarball (only when the
   * CLI runs from a source checkout): the project then depends on it.
   */
  packRuntime?: () => Promise<string>;
  /** Replaceable for tests; default runs the package manager / git. */
  install?: typeof installDependencies;
  git?: typeof initGit;
  /** Asks the package manager its version (when the user agent did not say); default runs `<pm> --version`. */
  packageManagerVersion?: typeof askPackageManagerVersion;
  /** The Node the user runs (tests pass an old one to see the notice). */
  nodeVersion?: string;
}

export interface CreateResult {
  settings: Settings;
  plan: FilePlan;
  written: boolean;
  /** The install ran and failed: the files are complete, the command to finish was printed. */
  installFailed: boolean;
}

/** Settings → plan, reading only the template layers this configuration uses. */
export async function planProject(settings: Settings, own: OwnPackageJson, templatesDir = TEMPLATES_DIR): Promise<FilePlan> {
  const layers = await readLayers(layersFor(settings.template, settings.frontend), templatesDir);
  return planFiles(settings, layers, own);
}

export async function createProject(options: CreateOptions): Promise<CreateResult> {
  const own = options.own ?? ownPackageJson();
  const { output } = options;
  let settings: Settings;
  try {
    settings = await resolveSettings({ ...options, version: own.version });
  } catch (error) {
    if (error instanceof PromptCancelled) throw new ExitError(EXIT.cancelled, 'Operation cancelled: nothing was written.');
    throw error;
  }
  if (!options.interactive) output.info(resolvedSettingsText(settings, output.color));
  if (options.packRuntime && settings.runtimeFlag === undefined && !settings.dryRun) {
    settings = await dependOnPackedCheckout(settings, options.packRuntime, options);
  }

  if (!settings.dryRun && pinnedInCI(settings.packageManager)) {
    // The user agent says it when pnpm or yarn ran us; otherwise the program is asked.
    const version =
      packageManagerVersionFromAgent(options.env, settings.packageManager) ??
      (await (options.packageManagerVersion ?? askPackageManagerVersion)(settings.packageManager, options.cwd));
    if (version) settings = { ...settings, packageManagerVersion: version };
  }

  const plan = await planProject(settings, own, options.templatesDir);
  if (settings.dryRun) {
    output.info(dryRunText(plan, settings));
    return { settings, plan, written: false, installFailed: false };
  }

  // The queue: nothing above this line touched the disk.
  await writePlan(plan);
  output.info(`${output.color.green('✔')} Wrote ${plan.files.length} files to ${settings.displayDir}`);

  let installed = false;
  let installFailed = false;
  const nodeVersion = options.nodeVersion ?? process.version;
  if (settings.install) {
    const olderNode = installOnOlderNodeNotice(nodeVersion);
    if (olderNode) output.info(output.color.dim(olderNode));
    const result = await (options.install ?? installDependencies)(settings.targetDir, settings.packageManager);
    installed = result.ok;
    installFailed = !result.ok;
    if (!result.ok) {
      output.error(`${output.color.yellow('!')} Installing dependencies failed (${result.reason}).`);
      output.error(`  The project is complete; run ${installCommand(settings.packageManager)} in ${settings.displayDir} to finish.`);
    }
  }
  if (settings.git) {
    const result = await (options.git ?? initGit)(settings.targetDir);
    if (result.ok === false) output.error(`${output.color.yellow('!')} git init failed (${result.reason}); the project is fine without it.`);
    else if (result.ok === 'skipped') output.info(`${output.color.dim('git init skipped:')} ${result.reason}`);
  }
  output.info('');
  output.info(nextStepsText(settings, installed, output.color));
  const nodeNotice = projectNodeNotice(nodeVersion);
  if (nodeNotice) output.info(`\n${output.color.yellow('!')} ${nodeNotice}`);
  // Agents and scripts can repeat an interactive run without prompts.
  if (options.interactive) output.info(`\n${output.color.dim('Same run without prompts:')} ${equivalentCommand(settings)}`);
  return { settings, plan, written: true, installFailed };
}

/** Before anything is written: a failed pack stops the run with nothing on disk. */
async function dependOnPackedCheckout(settings: Settings, pack: () => Promise<string>, { cwd, output }: Pick<CreateOptions, 'cwd' | 'output'>): Promise<Settings> {
  let tarball: string;
  try {
    tarball = await pack();
  } catch (error) {
    if (!(error instanceof PackError)) throw error;
    throw new ExitError(EXIT.failure, `error: could not pack this checkout for the new project to depend on: ${error.message}\nNothing was written.`);
  }
  // Relative, so the project and the checkout can move together (an absolute --runtime stays absolute).
  const resolved = resolveRuntimeSpec(`file:${relative(cwd, tarball)}`, { name: OWN_PACKAGE_NAME, cwd, targetDir: settings.targetDir });
  if (!resolved.ok) throw new Error(`the packed tarball ${tarball} is not a valid npm spec: ${resolved.problem}`);
  output.info(`${output.color.dim('Running from a source checkout: the project depends on its build, packed as')} ${tarball}`);
  return { ...settings, runtimeSpec: resolved.spec };
}
