/** Subprocess entry for tests: `node --import tsx test/replay/support/run-replay.ts <replay args…>`. */
import { run } from '../../../src/cli/replay/command.js';

process.exitCode = await run(process.argv.slice(2));
