/**
 * Which Node each part needs, said before anything else happens:
 *
 * - the scaffolder (the default command) runs on Node 20.19 or later, the
 *   oldest Node that `npx` commonly brings and that its bundled packages
 *   support;
 * - generated projects, and `dev`, `doctor` and `replay` which run their
 *   code, need Node 22.12 or later (the `openai` client declares Node 22;
 *   `require(esm)` and `--env-file-if-exists` arrived in 22.12/22.9).
 *
 * Older Node would fail later with confusing errors (or, worse, after
 * writing files), so the entry point refuses up front with one line.
 */
type Version = readonly [major: number, minor: number];

const SCAFFOLD_MINIMUM: Version = [20, 19];
const PROJECT_MINIMUM: Version = [22, 12];
/** The `engines.node` range written into generated projects. */
export const PROJECT_NODE_RANGE = `>=${PROJECT_MINIMUM.join('.')}`;

function parse(version: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether `version` (like `v20.20.2`) is at least `minimum`; unparseable versions pass. */
function atLeast(version: string, minimum: Version): boolean {
  const parsed = parse(version);
  if (parsed === undefined) return true;
  return parsed[0] > minimum[0] || (parsed[0] === minimum[0] && parsed[1] >= minimum[1]);
}

const INSTALL_HINT = 'Install Node 22 or later (https://nodejs.org, or `nvm install 22`)';

/** The one-line refusal for `command` on `version`, or undefined when that Node is recent enough. */
export function nodeVersionProblem(version: string, command: string): string | undefined {
  const minimum = command === 'create' ? SCAFFOLD_MINIMUM : PROJECT_MINIMUM;
  if (atLeast(version, minimum)) return undefined;
  const what = command === 'create' ? 'create-chatkit-backend' : `create-chatkit-backend ${command}`;
  return `error: ${what} needs Node ${minimum.join('.')} or later, and this is Node ${version}. ${INSTALL_HINT}.`;
}

/**
 * Before installing on an older Node: the package manager will warn that
 * the project and several of its packages want a newer Node (npm prints
 * five `EBADENGINE` lines per package), which reads like a failure unless
 * it was said first that they are expected.
 */
export function installOnOlderNodeNotice(version: string): string | undefined {
  if (atLeast(version, PROJECT_MINIMUM)) return undefined;
  return `Installing on Node ${version}: expect warnings that packages need Node ${PROJECT_MINIMUM.join('.')} or later (EBADENGINE). The install itself works; running the project needs the newer Node (see the end).`;
}

/** After scaffolding on an older Node: what the new project will need. */
export function projectNodeNotice(version: string): string | undefined {
  if (atLeast(version, PROJECT_MINIMUM)) return undefined;
  return `The project needs Node ${PROJECT_MINIMUM.join('.')} or later to run (this is Node ${version}). ${INSTALL_HINT}, then run the next steps.`;
}
