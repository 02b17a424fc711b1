/**
 * Turns a raw request body into a typed `ChatKitRequest`, or a
 * `ChatKitRequestError` whose message names the field and what was wrong.
 */
import type { z } from 'zod';
import { ChatKitRequestError } from '../errors.js';
import { checkJsonShape } from './json-shape.js';
import { REQUEST_TYPES, requestSchemas, type ChatKitRequest, type RequestType } from './requests.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const knownTypes: ReadonlySet<string> = new Set(REQUEST_TYPES);

export function parseRequest(body: string | Uint8Array): ChatKitRequest {
  let text: string;
  try {
    text = typeof body === 'string' ? body : decoder.decode(body);
  } catch (cause) {
    throw new ChatKitRequestError('body: not valid UTF-8', { cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ChatKitRequestError(`body: invalid JSON (${detail})`, { cause });
  }
  checkJsonShape(text, raw, typeof body !== 'string');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ChatKitRequestError(`body: expected a JSON object, received ${describe(raw)}`);
  }
  const envelope = raw as Record<string, unknown>;
  const type = envelope.type;
  if (typeof type !== 'string') {
    throw new ChatKitRequestError(
      type === undefined
        ? 'type: required; expected one of ' + REQUEST_TYPES.join(', ')
        : `type: expected string, received ${describe(type)}`,
      { path: 'type' },
    );
  }
  if (!knownTypes.has(type)) {
    throw new ChatKitRequestError(
      `type: unknown request type ${JSON.stringify(type)}; expected one of ${REQUEST_TYPES.join(', ')}`,
      { path: 'type' },
    );
  }
  // Absent means {}; an explicit null is refused, as the reference's `dict` field refuses it.
  const metadata = envelope.metadata === undefined ? {} : envelope.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    const hint = metadata === null ? ' (omit metadata or send {})' : '';
    throw new ChatKitRequestError(`metadata: expected object, received ${describe(metadata)}${hint}`, {
      path: 'metadata',
    });
  }
  if (envelope.params === undefined) {
    throw new ChatKitRequestError('params: required (send {} when a request has no parameters)', {
      path: 'params',
    });
  }
  const schema = requestSchemas[type as RequestType] as z.ZodType;
  const result = schema.safeParse(envelope.params);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = ['params', ...issue.path.map(String)].join('.');
    throw new ChatKitRequestError(`${path}: ${explain(issue, envelope.params)}`, {
      path,
      cause: result.error,
    });
  }
  return { type, params: result.data, metadata } as ChatKitRequest;
}

function explain(issue: z.core.$ZodIssue, params: unknown): string {
  if (issue.code === 'invalid_type') {
    const received = valueAt(params, issue.path);
    return received === undefined
      ? `required; expected ${issue.expected}`
      : `expected ${issue.expected}, received ${describe(received)}`;
  }
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, received ${describe(valueAt(params, issue.path))}`;
  }
  if (issue.code === 'invalid_union') {
    const received = valueAt(params, issue.path);
    if (typeof received === 'string') return `unknown variant ${JSON.stringify(received)}`;
    const discriminator = (received as { type?: unknown } | undefined)?.type;
    return discriminator === undefined
      ? 'no matching variant (missing "type")'
      : `unknown variant ${JSON.stringify(discriminator)}`;
  }
  return issue.message;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `number ${value}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value;
}
