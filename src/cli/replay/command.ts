/** `create-chatkit-backend replay [cassette|dir...]`: exit 0 identical, 1 different, 2 missing/invalid. */
import { Command, Option } from 'commander';
import { parseArgv } from '../shared/parse-argv.js';
import { ProjectError } from '../project/root.js';
import { replayCassettes } from './index.js';

export async function run(argv: string[]): Promise<number> {
  const program = new Command('create-chatkit-backend replay')
    .description('Replay recorded sessions offline against the current code and compare the streamed events')
    .argument('[cassettes...]', 'cassette files or directories of *.cassette.jsonl', ['cassettes'])
    .option('--json', 'print the result as JSON')
    .option('--update', 're-record the expected events from the current code (model traffic stays as recorded)')
    .addOption(new Option('--timing <mode>', 'model chunk pacing').choices(['fast', 'recorded']).default('fast'))
    .option('--cwd <dir>', 'project directory', process.cwd())
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  const parseExit = parseArgv(program, argv);
  if (parseExit !== undefined) return parseExit;
  const paths = (program.processedArgs[0] as string[] | undefined) ?? [];
  const options = program.opts<{ json?: boolean; update?: boolean; timing: 'fast' | 'recorded'; cwd: string }>();
  // The plugin reads NODE_ENV from the process to decide whether to warn about development defaults.
  process.env.NODE_ENV ??= 'test';
  try {
    const summary = await replayCassettes(paths, { cwd: options.cwd, update: options.update, timing: options.timing });
    process.stdout.write(options.json ? JSON.stringify(summary.json, null, 2) + '\n' : summary.report);
    return summary.exitCode;
  } catch (error) {
    if (error instanceof ProjectError) {
      process.stderr.write(`replay: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
