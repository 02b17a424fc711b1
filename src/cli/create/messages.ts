/**
 * The scaffolder's multi-line texts (the settings it resolved, the dry-run
 * plan, the next steps), built from the settings alone so tests can read
 * them without running anything. One-line progress and step failures are
 * printed where they happen (create.ts); usage errors where the bad value is
 * found (flags.ts, resolve-settings.ts).
 */
import type { ChalkInstance } from 'chalk';
import { hasWidgetTools } from './choices.js';
import { installCommand, runScript } from './package-manager.js';
import type { FilePlan } from './plan.js';
import { displayDirArgument, equivalentCommand, type Settings } from './settings.js';

export function resolvedSettingsText(settings: Settings, color: ChalkInstance): string {
  const row = (name: string, value: string | number) => `  ${color.dim(name.padEnd(16))}${value}`;
  return [
    'Creating a ChatKit backend with:',
    row('directory', settings.emptyTargetFirst ? `${settings.displayDir} (its current contents are removed first; .git is kept)` : settings.displayDir),
    row('package name', settings.packageName),
    row('template', settings.template),
    row('provider', settings.provider),
    row('model', settings.model),
    ...(settings.baseUrl ? [row('base URL', settings.baseUrl)] : []),
    row('store', settings.store),
    row('auth', settings.auth),
    row('frontend', settings.frontend),
    row('port', settings.port),
    row('package manager', settings.packageManager),
    row('install', settings.install ? 'yes' : 'no'),
    row('git', settings.git ? 'yes' : 'no'),
  ].join('\n');
}

export function dryRunText(plan: FilePlan, settings: Settings): string {
  const lines = [
    `Dry run: nothing was written. The plan for ${settings.displayDir}:`,
    ...(plan.emptyFirst ? [`  remove the current contents of ${settings.displayDir} (keeping .git)`] : []),
    ...plan.files.map((file) => `  write ${file.path} (${file.contents.length} bytes, from ${file.source})`),
    ...(settings.install ? [`  run ${installCommand(settings.packageManager)}`] : []),
    ...(settings.git ? ['  git init and a first commit'] : []),
    '',
    `Same run without prompts: ${equivalentCommand({ ...settings, dryRun: false })}`,
  ];
  return lines.join('\n');
}

const DOMAIN_ALLOWLIST_URL = 'https://platform.openai.com/settings/organization/security/domain-allowlist';

export function nextStepsText(settings: Settings, installed: boolean, color: ChalkInstance): string {
  const run = (script: string) => runScript(settings.packageManager, script);
  const steps: string[] = [];
  if (settings.displayDir !== '.') steps.push(`cd ${displayDirArgument(settings)}`);
  if (!installed) steps.push(installCommand(settings.packageManager));
  // Comments for what must be in .env before the server starts: it refuses to start without them.
  if (settings.provider === 'openai') steps.push('# in .env, paste your key: OPENAI_API_KEY=sk-...');
  if (settings.provider === 'gemini') steps.push('# in .env, paste your key: GEMINI_API_KEY=...');
  if (settings.provider === 'openai-compatible') steps.push(`# start your model server at ${settings.baseUrl}`);
  if (settings.auth === 'jwt') steps.push('# in .env, set CHATKIT_JWT_SECRET= to a secret of your own (openssl rand -hex 32)');
  if (settings.store === 'postgres') steps.push('# in .env, check DATABASE_URL points at your PostgreSQL');
  steps.push(run('dev'));
  const tips = [
    ...(settings.provider === 'openai' || settings.provider === 'gemini'
      ? [`No key yet? CHATKIT_MODEL_PROVIDER=scripted ${hasWidgetTools(settings.template) ? 'CHATKIT_SCRIPT=scripts/demo.json ' : ''}${run('dev')} answers offline.`]
      : []),
    `${run('doctor')} checks keys, CORS and streaming; ${run('test')} runs offline.`,
    ...(settings.frontend === 'none'
      ? []
      : [
          'Connect your frontend with the snippet in frontend/ (README.md: Connect the frontend),',
          `and register each site's domain in ChatKit's allowlist: ${DOMAIN_ALLOWLIST_URL}`,
        ]),
  ];
  return [color.bold('Next steps:'), ...steps.map((step) => `  ${color.cyan(step)}`), '', ...tips].join('\n');
}
