/**
 * The script format of the `scripted` provider, its validation (every
 * mistake is reported with the path of the field, e.g.
 * `turns[1].toolCalls[0].name: expected a string`) and loading from a JSON
 * file. Documented in docs/providers.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ENV, ProviderConfigError } from './provider-config.js';

export interface ScriptedToolCall {
  /** The tool's name as the agent declares it (a handoff's `transfer_to_…` name works too). */
  name: string;
  /** The arguments object, or its exact JSON text. Default `{}`. */
  arguments?: Record<string, unknown> | string;
  /** Defaults to a unique `call_scripted_<n>`. */
  callId?: string;
}

/** Makes the model call fail like a provider would. */
export interface ScriptedError {
  /** HTTP status of the simulated provider error: 401, 429, 500… Without it the error is a dropped connection. */
  status?: number;
  message?: string;
  code?: string;
}

/** One model response. */
export interface ScriptedStep {
  /** Assistant text, streamed word by word. */
  text?: string;
  /** Function calls the agent's runner executes before calling the model again. */
  toolCalls?: ScriptedToolCall[];
  /** Fail instead of (or, with `text`, after streaming) a response. */
  error?: ScriptedError;
  /** Milliseconds between streamed deltas (overrides the script's `delayMs`). */
  delayMs?: number;
}

/**
 * What the model does for one user message. A turn is either one step written
 * inline (`{ when, text }`), a tool call followed by an answer
 * (`{ when, toolCalls, text }`: the first model call makes the calls, the call
 * after the tool outputs says `text`), or an explicit list of `steps`, one per
 * model call.
 */
export interface ScriptedTurn extends ScriptedStep {
  /**
   * Case-insensitive substring of the user's message that selects this turn
   * (or a RegExp, in code). Without `when` the turn matches every message.
   */
  when?: string | RegExp;
  steps?: ScriptedStep[];
}

export interface ScriptedScript {
  turns?: ScriptedTurn[];
  /** Default milliseconds between streamed deltas (0). */
  delayMs?: number;
}

const toolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z
    .union([z.record(z.string(), z.unknown()), z.string()], { error: 'expected an object or a JSON string' })
    .optional(),
  callId: z.string().min(1).optional(),
});

const errorSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  message: z.string().optional(),
  code: z.string().optional(),
});

const stepShape = {
  text: z.string().optional(),
  toolCalls: z.array(toolCallSchema).optional(),
  error: errorSchema.optional(),
  delayMs: z.number().int().min(0).optional(),
};

const stepSchema = z.strictObject(stepShape);

const turnSchema = z.strictObject({
  ...stepShape,
  when: z
    .union([z.string(), z.instanceof(RegExp)], { error: 'expected a string (matched case-insensitively against the user message)' })
    .optional(),
  steps: z.array(stepSchema).min(1).optional(),
});

const scriptSchema = z.strictObject({
  turns: z.array(turnSchema).optional(),
  delayMs: z.number().int().min(0).optional(),
});

/** Validates a script, throwing one error that lists every problem with its path. */
export function parseScript(value: unknown, origin = 'script'): ScriptedScript {
  const result = scriptSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new ProviderConfigError(`Invalid scripted-model ${origin}:\n  ${problems.join('\n  ')}`, ENV.script);
  }
  for (const [index, turn] of (result.data.turns ?? []).entries()) {
    if (turn.steps && (turn.text !== undefined || turn.toolCalls || turn.error)) {
      throw new ProviderConfigError(
        `Invalid scripted-model ${origin}:\n  turns[${index}]: use either "steps" or inline text/toolCalls/error, not both`,
        ENV.script,
      );
    }
  }
  return result.data as ScriptedScript;
}

/** Reads and validates a JSON script file; errors name the file and the field. */
export function loadScriptFile(path: string, cwd = process.cwd()): ScriptedScript {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String((error as Error).message);
    throw new ProviderConfigError(`Cannot read the scripted-model script ${absolute} (${ENV.script}): ${reason}.`, ENV.script);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProviderConfigError(`The scripted-model script ${absolute} is not valid JSON: ${(error as Error).message}`, ENV.script);
  }
  return parseScript(json, `script ${absolute}`);
}

/** The model calls a turn makes, in order. */
export function stepsOf(turn: ScriptedTurn): ScriptedStep[] {
  if (turn.steps) return turn.steps;
  const delay = turn.delayMs === undefined ? {} : { delayMs: turn.delayMs };
  if (turn.toolCalls?.length) {
    const calls: ScriptedStep = { toolCalls: turn.toolCalls, ...delay };
    if (turn.text === undefined && !turn.error) return [calls];
    return [calls, { text: turn.text, error: turn.error, ...delay }];
  }
  return [{ text: turn.text, error: turn.error, ...delay }];
}

export function turnMatches(turn: ScriptedTurn, userText: string): boolean {
  if (turn.when === undefined) return true;
  if (typeof turn.when === 'string') return userText.toLowerCase().includes(turn.when.toLowerCase());
  turn.when.lastIndex = 0;
  return turn.when.test(userText);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(script)' : out;
}
