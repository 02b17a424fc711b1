/**
 * `create-chatkit-backend [dir] [options]`: parses the command line, decides
 * whether to ask questions, and runs the scaffolder.
 */
import { EXIT, ExitError } from '../shared/exit-error.js';
import { terminalOutput } from '../shared/output.js';
import { fileURLToPath } from 'node:url';
import { ownPackageJson, packageRoot } from '../shared/own-package.js';
import { parseCommandLine } from './flags.js';
import { shouldPrompt } from './interactivity.js';
import { noPrompter } from './prompter.js';

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, ownPackageJson().version);
  if (parsed.kind === 'printed') {
    process.stdout.write(parsed.text);
    return EXIT.ok;
  }
  const { flags } = parsed;
  // Loaded after parsing, so `--help` and `--version` stay instant.
  const { createProject } = await import('./create.js');
  const { builtCheckoutRoot, packCheckout } = await import('./source-checkout.js');
  const env = process.env;
  const interactive = shouldPrompt(flags, { stdinIsTTY: process.stdin.isTTY === true, stdoutIsTTY: process.stdout.isTTY === true }, env);
  const output = terminalOutput();
  const own = ownPackageJson();
  const checkout = builtCheckoutRoot(fileURLToPath(import.meta.url), packageRoot());
  const packRuntime = checkout === undefined ? undefined : () => packCheckout(checkout, own.name, own.version);
  const options = { flags, cwd: process.cwd(), env, interactive, output, packRuntime };
  if (!interactive) {
    const result = await createProject({ ...options, prompt: noPrompter });
    // Scripts and agents must see that the project is not ready yet (the files stay; the command to finish was printed).
    return result.installFailed ? EXIT.failure : EXIT.ok;
  }
  // Prompts are loaded only when they are used.
  const clack = await import('@clack/prompts');
  const { clackPrompter } = await import('./clack-prompter.js');
  clack.intro(output.color.bold(`create-chatkit-backend ${ownPackageJson().version}`));
  let result;
  try {
    result = await createProject({ ...options, prompt: clackPrompter });
  } catch (error) {
    if (error instanceof ExitError && error.exitCode === EXIT.cancelled) {
      // clack draws the message in its frame; the entry point then has nothing to add.
      clack.cancel(error.message);
      return EXIT.cancelled;
    }
    throw error;
  }
  if (result.installFailed) {
    clack.outro('The files are written; finish with the install command above.');
    return EXIT.failure;
  }
  clack.outro('Done.');
  return EXIT.ok;
}
