/**
 * `create-chatkit-backend token [--sub <id>] [--ttl <duration>]`: a bearer
 * token for a JWT-protected project during development (for curl, and for
 * the frontend's `getAuthToken` before a real login exists), signed with the
 * project's CHATKIT_JWT_SECRET and its issuer/audience when set. Only the
 * token goes to stdout, so `TOKEN=$(npx create-chatkit-backend token)` works.
 */
import { Command } from 'commander';
import { parseArgv } from '../shared/parse-argv.js';
import { EXIT } from '../shared/exit-error.js';
import { loadProjectEnv } from '../project/env.js';
import { ProjectError, locateProjectRoot } from '../project/root.js';
import { signProjectToken } from '../project/project-token.js';
import { parseTtl } from './ttl.js';

export async function run(argv: string[]): Promise<number> {
  const program = new Command('create-chatkit-backend token')
    .description("Print a development bearer token signed with the project's CHATKIT_JWT_SECRET")
    .option('--sub <id>', 'the user id the token is for (becomes context.userId)', 'dev-user')
    .option('--ttl <duration>', 'how long it is valid: a number with s, m, h or d (e.g. 30m, 12h)', '1h')
    .option('--cwd <dir>', 'project directory', process.cwd())
    .addHelpText('after', '\nExample: curl -H "Authorization: Bearer $(npx create-chatkit-backend token)" …\nExit codes: 0 printed, 1 the project has no CHATKIT_JWT_SECRET, 2 bad usage or not in a project.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const parseExit = parseArgv(program, argv);
  if (parseExit !== undefined) return parseExit;
  const options = program.opts<{ sub: string; ttl: string; cwd: string }>();

  const ttl = parseTtl(options.ttl);
  if (!ttl.ok) {
    process.stderr.write(`token: ${ttl.message}\n`);
    return EXIT.usage;
  }
  if (options.sub.trim() === '') {
    process.stderr.write('token: --sub must not be empty (it becomes context.userId)\n');
    return EXIT.usage;
  }
  let root: string;
  try {
    root = locateProjectRoot(options.cwd);
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    process.stderr.write(`token: ${error.message}\n`);
    return EXIT.usage;
  }
  const { env } = loadProjectEnv(root);
  if (!env.CHATKIT_JWT_SECRET?.trim()) {
    process.stderr.write(
      `token: ${root} has no CHATKIT_JWT_SECRET (in the shell or .env), so its endpoint does not check tokens. ` +
        'For JWT auth, put a secret in .env (`openssl rand -hex 32`) and pass auth: { jwt: { secret } } to the chatkit plugin.\n',
    );
    return 1;
  }
  const token = await signProjectToken(env, options.sub, ttl.jose);
  process.stdout.write(`${token}\n`);
  if (process.stderr.isTTY) process.stderr.write(`(for user ${JSON.stringify(options.sub)}, valid ${options.ttl}; send it as Authorization: Bearer <token>)\n`);
  return EXIT.ok;
}
