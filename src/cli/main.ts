/**
 * The CLI entry point. Returns an exit code; only `bin/` exits the process.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `create-chatkit-backend ${pkg.version}

Usage:
  create-chatkit-backend [dir] [options]   scaffold a ChatKit backend
  create-chatkit-backend dev               run the project's dev server
  create-chatkit-backend doctor            diagnose CORS, keys, streaming and protocol
  create-chatkit-backend replay <cassette> replay recorded sessions offline

Options:
  -h, --help      show this help
  -v, --version   print the version
`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  process.stdout.write(HELP);
  return argv.length === 0 || argv.includes('--help') || argv.includes('-h') ? 0 : 2;
}
