/**
 * The package a failed import could not find, if that is what failed. The
 * runtime's libraries and tsx are not bundled with the CLI: inside a
 * project they come from its node_modules, and an install without dev
 * dependencies (or none yet) lacks them.
 */
export function missingPackage(error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return /Cannot find package '([^']+)'/.exec((error as Error).message)?.[1];
}

export function missingPackageMessage(command: string, name: string): string {
  return (
    `error: create-chatkit-backend ${command} needs the package ${name}, which is not installed here.\n` +
    'Run npm install in your project (its package.json lists it; an install with --omit=dev leaves out tsx, which dev, doctor and replay use).'
  );
}
