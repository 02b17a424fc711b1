/**
 * The error for a `buildApp()` that threw. Its message is printed by dev,
 * doctor and replay, so any key the project's code put into it (the value of
 * a configured secret, or anything shaped like a key or token) is redacted.
 */
import { Redactor } from '../cassette/redact.js';
import { configuredSecrets } from '../cassette/secrets.js';
import { ProjectError } from './root.js';

export function buildAppFailure(error: unknown, env: NodeJS.ProcessEnv = {}): ProjectError {
  const message = error instanceof Error ? error.message : String(error);
  return new ProjectError(`buildApp() failed: ${new Redactor({ literals: configuredSecrets(env) }).text(message)}`);
}
