/** Subprocess entry: the CLI from source, `node --import tsx test/playground/support/run-cli.ts <args…>`. */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
