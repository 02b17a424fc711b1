/**
 * The CLI and the projects it generates need Node 22.12 or later (the
 * `openai` client declares Node 22; `require(esm)` and `--env-file-if-exists`
 * arrived in 22.12/22.9). Older Node fails later with confusing errors, so
 * say it up front, once, in words a user can act on.
 */
const MINIMUM = [22, 12] as const;

/** A message when `version` (like `v20.20.2`) is too old; undefined when it is fine. */
export function nodeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return undefined;
  return (
    `warning: Node ${version} is older than ${MINIMUM.join('.')}, which create-chatkit-backend and the projects it ` +
    'generates need; some commands will fail. Install Node 22 or later (https://nodejs.org, or `nvm install 22`).'
  );
}
