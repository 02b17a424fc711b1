/**
 * What the reference's JSON parser (pydantic's `jiter`) refuses before any
 * field is validated, checked on the parsed body:
 *
 * - nesting deeper than `MAX_NESTING_DEPTH` arrays and objects (the request
 *   object itself is level 1). Beyond it, code that walks the data
 *   recursively (serializing, copying, stores) would overflow the stack;
 *   refusing up front means nothing is saved.
 * - a string or key holding a lone UTF-16 surrogate (`"\ud800"`), which is
 *   not text and cannot be stored or sent as UTF-8.
 *
 * Both checks are skipped when the raw text shows they cannot apply, so the
 * usual small body costs one scan of its characters.
 */
import { ChatKitRequestError } from '../errors.js';

/** jiter's recursion limit: 200 nested arrays/objects are accepted, 201 are not. */
export const MAX_NESTING_DEPTH = 200;

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `fromBytes`: the text was decoded from UTF-8, which cannot encode a lone surrogate. */
export function checkJsonShape(text: string, value: unknown, fromBytes: boolean): void {
  if (!fromBytes && LONE_SURROGATE.test(text)) {
    throw new ChatKitRequestError('body: not valid UTF-8 text (it contains a lone UTF-16 surrogate)');
  }
  const mayNestTooDeep = countOpenings(text) > MAX_NESTING_DEPTH;
  const mayHoldSurrogates = SURROGATE_ESCAPE.test(text);
  if (mayNestTooDeep || mayHoldSurrogates) walk(value, mayHoldSurrogates);
}

/** `[` and `{` anywhere in the text, strings included: an upper bound of the nesting depth. */
function countOpenings(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5b || code === 0x7b) count++;
  }
  return count;
}

/** Iterative, so that the check itself cannot overflow the stack. */
function walk(root: unknown, checkStrings: boolean): void {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (checkStrings) refuseLoneSurrogate(value);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      throw new ChatKitRequestError(
        `body: nested deeper than ${MAX_NESTING_DEPTH} levels of arrays and objects, the limit (as in the Python reference); flatten the data or send it as a string`,
      );
    }
    if (Array.isArray(value)) {
      for (const entry of value) stack.push([entry, depth + 1]);
    } else {
      for (const key of Object.keys(value)) {
        if (checkStrings) refuseLoneSurrogate(key);
        stack.push([(value as Record<string, unknown>)[key], depth + 1]);
      }
    }
  }
}

function refuseLoneSurrogate(text: string): void {
  const match = LONE_SURROGATE.exec(text);
  if (!match) return;
  const escape = `\\u${match[0].charCodeAt(0).toString(16)}`;
  throw new ChatKitRequestError(
    `body: invalid JSON (a lone surrogate escape ${escape}; a \\ud800–\\udbff escape must be followed by a \\udc00–\\udfff one)`,
  );
}
