/** Subprocess entry for tests: `node --import tsx test/replay/support/run-cli.ts <command> <args…>` (the CLI's own entry point). */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
