/** `create-chatkit-backend replay [cassette|dir...]`: exit 0 identical, 1 different, 2 missing/invalid. */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parseArgv } from '../shared/parse-argv.js';
import { ProjectError, findProjectRoot } from '../project/root.js';
import { enterProjectRoot } from '../project/enter-directory.js';
import { divertStdoutToStderr } from '../project/divert-stdout.js';
import { replayCassettes } from './index.js';

export async function run(argv: string[]): Promise<number> {
  const program = new Command('create-chatkit-backend replay')
    .description('Replay recorded sessions offline against the current code and compare the streamed events')
    .argument('[cassettes...]', 'cassette files or directories of *.cassette.jsonl', ['cassettes'])
    .option('--json', 'print the result as JSON')
    .option('--update', 're-record the expected events and model requests from the current code (the recorded model answers stay)')
    .addOption(new Option('--timing <mode>', 'model chunk pacing').choices(['fast', 'recorded']).default('fast'))
    .option('--cwd <dir>', 'project directory', process.cwd())
    .addHelpText('after', '\nExit codes: 0 all identical (or updated), 1 some differ, 2 a path holds no cassette, a cassette is\ninvalid or holds a secret, or the project cannot be loaded.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  const parseExit = parseArgv(program, argv);
  if (parseExit !== undefined) return parseExit;
  const options = program.opts<{ json?: boolean; update?: boolean; timing: 'fast' | 'recorded'; cwd: string }>();
  // Typed paths are relative to --cwd (default: where the user is, which may be below the project root).
  options.cwd = resolve(options.cwd); // absolute: the working directory may move to the project root below
  const given = program.args.length > 0;
  const paths = given ? ((program.processedArgs[0] as string[] | undefined) ?? []).map((path) => resolve(options.cwd, path)) : [];
  // The plugin reads NODE_ENV from the process to decide whether to warn about development defaults.
  process.env.NODE_ENV ??= 'test';
  try {
    // The project's own relative paths (CHATKIT_SCRIPT=scripts/demo.json, .data/) mean its root, as under npm run.
    const root = findProjectRoot(options.cwd);
    if (root) enterProjectRoot(root);
    // With --json, what the project prints while replaying must not corrupt the document.
    const diverted = options.json ? divertStdoutToStderr() : undefined;
    let summary: Awaited<ReturnType<typeof replayCassettes>>;
    try {
      summary = await replayCassettes(paths, { cwd: options.cwd, update: options.update, timing: options.timing });
    } finally {
      diverted?.restore();
    }
    process.stdout.write(options.json ? JSON.stringify(summary.json, null, 2) + '\n' : summary.report);
    return summary.exitCode;
  } catch (error) {
    if (error instanceof ProjectError) {
      process.stderr.write(`replay: ${error.message}\n`);
      // CI parsing --json output still gets a document saying why nothing was replayed.
      if (options.json) process.stdout.write(`${JSON.stringify({ exitCode: 2, error: error.message, cassettes: [] }, null, 2)}\n`);
      return 2;
    }
    throw error;
  }
}
