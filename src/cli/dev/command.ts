/** `create-chatkit-backend dev`: run the project with restart-on-change and a live ChatKit log. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseArgv } from '../shared/parse-argv.js';
import chalk from 'chalk';
import { loadProjectEnv } from '../project/env.js';
import { ProjectError, locateProjectRoot } from '../project/root.js';
import { DevSupervisor } from './supervisor.js';
import { respectNoColor } from './color.js';
import { choosePort } from './available-port.js';

export async function run(argv: string[]): Promise<number> {
  respectNoColor();
  const program = new Command('create-chatkit-backend dev')
    .description('Run the ChatKit backend with restart on change and a live log of ChatKit requests')
    .option('-p, --port <port>', 'port to listen on (default: PORT, then 8000)')
    .option('--host <host>', 'interface to bind (default: HOST, then 127.0.0.1)')
    .option('--verbose', 'print every streamed event')
    .option('--record <dir>', 'record each session (thread) to a cassette in <dir>')
    .option('--cwd <dir>', 'project directory', process.cwd())
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const parseExit = parseArgv(program, argv);
  if (parseExit !== undefined) return parseExit;
  const options = program.opts<{ port?: string; host?: string; verbose?: boolean; record?: string; cwd: string }>();

  let root: string;
  try {
    // From a subdirectory (src/, test/) too, like doctor.
    root = locateProjectRoot(options.cwd);
  } catch (error) {
    if (error instanceof ProjectError) {
      process.stderr.write(`dev: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { env } = loadProjectEnv(root);
  const portText = options.port ?? env.PORT ?? '8000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`dev: invalid port ${JSON.stringify(portText)} (from ${options.port ? '--port' : 'PORT'}); use a number from 0 to 65535\n`);
    return 2;
  }

  const host = options.host ?? env.HOST ?? '127.0.0.1';
  const portSource = options.port ? '--port' : env.PORT ? 'PORT' : 'the default';
  const chosen = await choosePort(port, host);
  if (!chosen) {
    process.stderr.write(`dev: port ${port} (from ${portSource}) and the 19 after it are in use on ${host}: stop the other server, or pick a free port with --port <n> or PORT in .env\n`);
    return 1;
  }
  if (chosen.busy !== undefined) {
    process.stdout.write(chalk.yellow(`⚠ port ${chosen.busy} (from ${portSource}) is in use, so dev listens on ${chosen.port} instead: stop the other server, or pick a port with --port <n> or PORT in .env\n`));
  }

  const supervisor = new DevSupervisor({
    root,
    port: chosen.port,
    host,
    verbose: Boolean(options.verbose),
    ...(options.record ? { recordDir: resolve(root, options.record) } : {}),
  });
  await supervisor.start();
  await new Promise<void>((done) => {
    const stop = () => {
      process.stdout.write(chalk.dim('\nstopping…\n'));
      void supervisor.stop().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
