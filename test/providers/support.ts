/** What the provider tests import: the public providers entry point and the runtime's errors. */
export * from '../../src/runtime/providers/index.js';
export { CustomStreamError, StreamError } from '../../src/runtime/errors.js';
