/**
 * The declarative command table. Each command module is imported only when
 * that command runs, so `create-chatkit-backend --help` and a scaffold never
 * load Fastify, tsx or the Agents SDK.
 */
export interface CommandModule {
  /** `argv` is everything after the command name. Returns the exit code. */
  run(argv: string[]): Promise<number>;
}

export interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  load(): Promise<CommandModule>;
}

/** The default command: `create-chatkit-backend [dir] [options]`. */
export const CREATE: CommandEntry = {
  name: 'create',
  usage: '[dir] [options]',
  summary: 'scaffold a ChatKit backend (the default command)',
  load: () => import('../create/command.js'),
};

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'dev', usage: 'dev [options]', summary: "run the project's dev server with reload", load: () => import('../dev/command.js') },
  {
    name: 'doctor',
    usage: 'doctor [options]',
    summary: 'diagnose keys, CORS, auth, streaming and protocol',
    load: () => import('../doctor/command.js'),
  },
  {
    name: 'replay',
    usage: 'replay [cassettes...] [options]',
    summary: 'replay recorded sessions offline and compare the events',
    load: () => import('../replay/command.js'),
  },
  { name: 'token', usage: 'token [--sub <id>] [--ttl <duration>]', summary: "print a development JWT signed with the project's secret", load: () => import('../token/command.js') },
];
