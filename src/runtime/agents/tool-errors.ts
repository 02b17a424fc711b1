/**
 * `reportToolError`, an Agents SDK `errorFunction` for tools.
 *
 * By default the SDK turns a tool's exception into a sentence for the model
 * and tells nobody else: the model apologises, the turn looks healthy, and
 * the bug only shows as a user saying "it never lists my tasks". With this
 * function the exception is logged first (the tool's name, the error with
 * its stack, secrets scrubbed) through the `AgentContext`'s logger, so it is
 * in the server log with its request and under the turn in `dev`; the model
 * still gets the SDK's own neutral sentence, never the error's text.
 */
import type { RunContext } from '@openai/agents';
import { loggableError } from '../redact.js';
import { AgentContext } from './context.js';

/** What the model is told: the SDK's default, so the error's text (paths, SQL, hosts) never reaches it. */
export const TOOL_FAILED_MESSAGE = 'An error occurred while running the tool. Please try again.';

/** The log line's message; `dev` recognises tool failures by the `tool` field beside `err`. */
export const TOOL_FAILED_LOG = 'A tool failed; the model was told it did not work';

/**
 * `tool({ …, errorFunction: reportToolError })`. Works for any run context;
 * the logger is the `AgentContext`'s when the run has one, else `console`.
 */
export function reportToolError(
  runContext: RunContext<unknown> | undefined,
  error: unknown,
  details?: { toolCall?: { name?: string } },
): string {
  const tool = details?.toolCall?.name ?? 'unknown';
  const context = runContext?.context;
  const logger = context instanceof AgentContext ? context.logger : console;
  logger.error({ err: loggableError(error), tool }, TOOL_FAILED_LOG);
  return TOOL_FAILED_MESSAGE;
}
