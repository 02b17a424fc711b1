/**
 * The CLI entry point: picks a command from the table and runs it. Returns an
 * exit code; only `bin/` sets it on the process.
 */
import { COMMANDS, CREATE } from './shared/command-table.js';
import { ExitError, EXIT } from './shared/exit-error.js';
import { ownPackageJson } from './shared/own-package.js';
import { missingPackage, missingPackageMessage } from './shared/missing-package.js';
import { nodeVersionProblem } from './shared/node-version.js';

export async function main(argv: string[]): Promise<number> {
  // npm 7+ forwards a stray `--` from `npm create chatkit-backend -- …`.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [first, ...rest] = args;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${ownPackageJson().version}\n`);
    return EXIT.ok;
  }
  const named = [CREATE, ...COMMANDS].find((entry) => entry.name === first);
  // Anything that is not a named command belongs to the default command,
  // including `--help`, whose text lists the other commands too.
  const [entry, commandArgs] = named !== undefined ? [named, rest] : [CREATE, args];
  // Before the first prompt or file: one line, not a crash half-way.
  const tooOld = nodeVersionProblem(process.version, entry.name);
  if (tooOld) {
    process.stderr.write(`${tooOld}\n`);
    return EXIT.failure;
  }
  try {
    const module = await entry.load().catch((error: unknown) => {
      if (missingPackage(error) !== undefined) throw error;
      // A module that fails to load means a broken or partial install, not bad input.
      throw new ExitError(
        EXIT.failure,
        `error: the ${entry.name} command could not be loaded: ${(error as Error).message}\nReinstall create-chatkit-backend (npm install in your project, or npx create-chatkit-backend@latest).`,
      );
    });
    return await module.run(commandArgs);
  } catch (error) {
    if (error instanceof ExitError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    const missing = missingPackage(error);
    if (missing !== undefined) {
      process.stderr.write(`${missingPackageMessage(entry.name, missing)}\n`);
      return EXIT.failure;
    }
    throw error;
  }
}
