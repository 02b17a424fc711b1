/** Subprocess entry for tests and benches: `node --import tsx test/dev/support/run-dev.ts <dev args…>`. */
import { run } from '../../../src/cli/dev/command.js';

process.exitCode = await run(process.argv.slice(2));
