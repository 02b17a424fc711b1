/**
 * The 16 ChatKit request types as zod schemas. Unknown keys are stripped, as
 * the reference ignores them; required fields and defaults follow the
 * reference's models so the same bodies are accepted and rejected.
 */
import { z } from 'zod';
import { laxBoolean, laxNonNegativeInt } from './lax-scalars.js';

const paginationParams = {
  limit: laxNonNegativeInt.nullish(),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().nullish(),
};

const userMessageTextContent = z.object({
  type: z.literal('input_text'),
  text: z.string(),
});
const userMessageTagContent = z.object({
  type: z.literal('input_tag'),
  id: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
  group: z.string().nullish(),
  interactive: laxBoolean.default(false),
});
export const userMessageContentSchema = z.discriminatedUnion('type', [
  userMessageTextContent,
  userMessageTagContent,
]);

const inferenceOptions = z.object({
  tool_choice: z.object({ id: z.string() }).nullish(),
  model: z.string().nullish(),
});

export const userMessageInputSchema = z.object({
  content: z.array(userMessageContentSchema),
  attachments: z.array(z.string()),
  quoted_text: z.string().nullish(),
  inference_options: inferenceOptions,
});

const structuredInputSubmission = z.object({
  status: z.enum(['answered', 'skipped']).default('answered'),
  answers: z
    .record(
      z.string(),
      z.object({
        values: z.array(z.string()).default([]),
        skipped: laxBoolean.default(false),
      }),
    )
    .default({}),
});

const action = z.object({
  type: z.string(),
  payload: z.unknown().optional(),
});

const customActionParams = z.object({
  thread_id: z.string(),
  item_id: z.string().nullish(),
  action,
});

const threadId = { thread_id: z.string() };

/** Request schemas keyed by `type`. */
export const requestSchemas = {
  // streaming
  'threads.create': z.object({ input: userMessageInputSchema }),
  'threads.add_user_message': z.object({ input: userMessageInputSchema, ...threadId }),
  'threads.add_client_tool_output': z.object({ ...threadId, result: z.unknown() }),
  'threads.add_structured_input': z.object({
    ...threadId,
    item_id: z.string(),
    input: structuredInputSubmission,
  }),
  'threads.retry_after_item': z.object({ ...threadId, item_id: z.string() }),
  'threads.custom_action': customActionParams,
  // non-streaming
  'threads.get_by_id': z.object(threadId),
  'threads.list': z.object(paginationParams),
  'items.list': z.object({ ...threadId, ...paginationParams }),
  'items.feedback': z.object({
    ...threadId,
    item_ids: z.array(z.string()),
    kind: z.enum(['positive', 'negative']),
  }),
  'attachments.create': z.object({
    name: z.string(),
    size: laxNonNegativeInt,
    mime_type: z.string(),
  }),
  'attachments.delete': z.object({ attachment_id: z.string() }),
  'threads.update': z.object({ ...threadId, title: z.string() }),
  'threads.delete': z.object(threadId),
  'input.transcribe': z.object({ audio_base64: z.string(), mime_type: z.string() }),
  'threads.sync_custom_action': customActionParams,
} as const;

export type RequestType = keyof typeof requestSchemas;
export type RequestParams<T extends RequestType> = z.output<(typeof requestSchemas)[T]>;

/** A parsed request: a discriminated union on `type`. */
export type ChatKitRequest = {
  [T in RequestType]: { type: T; params: RequestParams<T>; metadata: Record<string, unknown> };
}[RequestType];

export const STREAMING_REQUEST_TYPES = [
  'threads.create',
  'threads.add_user_message',
  'threads.add_client_tool_output',
  'threads.add_structured_input',
  'threads.retry_after_item',
  'threads.custom_action',
] as const satisfies readonly RequestType[];

export type StreamingRequestType = (typeof STREAMING_REQUEST_TYPES)[number];
export type StreamingRequest = Extract<ChatKitRequest, { type: StreamingRequestType }>;
export type NonStreamingRequest = Exclude<ChatKitRequest, { type: StreamingRequestType }>;

export const REQUEST_TYPES = Object.keys(requestSchemas) as RequestType[];

const streamingTypes: ReadonlySet<string> = new Set(STREAMING_REQUEST_TYPES);

/** Streaming is decided by the request type alone. */
export function isStreamingRequest(request: ChatKitRequest): request is StreamingRequest {
  return streamingTypes.has(request.type);
}

export type UserMessageInput = z.output<typeof userMessageInputSchema>;
export type StructuredInputSubmission = z.output<typeof structuredInputSubmission>;
export type Action = z.output<typeof action>;
export type AttachmentCreateParams = RequestParams<'attachments.create'>;
export type FeedbackKind = RequestParams<'items.feedback'>['kind'];

/** Audio for `input.transcribe`: decoded bytes plus the raw and base MIME types. */
export interface AudioInput {
  data: Uint8Array;
  /** Raw MIME type as sent, e.g. `audio/webm;codecs=opus`. */
  mime_type: string;
  /** The part before `;`, e.g. `audio/webm`. */
  media_type: string;
}
