/**
 * `create-chatkit-backend/runtime`: an exact TypeScript implementation of the
 * ChatKit server protocol.
 */
export * from './protocol/items.js';
export * from './protocol/events.js';
export {
  REQUEST_TYPES,
  STREAMING_REQUEST_TYPES,
  isStreamingRequest,
  requestSchemas,
  type Action,
  type AttachmentCreateParams,
  type AudioInput,
  type ChatKitRequest,
  type FeedbackKind,
  type NonStreamingRequest,
  type RequestParams,
  type RequestType,
  type StreamingRequest,
  type StreamingRequestType,
  type StructuredInputSubmission,
  type UserMessageInput,
} from './protocol/requests.js';
export { parseRequest } from './protocol/parse.js';
export { MAX_NESTING_DEPTH } from './protocol/json-shape.js';
export { toJSON, sseFrame } from './protocol/serialize.js';
export {
  ChatKitRequestError,
  CustomStreamError,
  InvalidStateError,
  NotFoundError,
  NotImplementedError,
  StreamError,
} from './errors.js';
export { defaultGenerateId, ID_PREFIXES, type StoreItemType } from './ids.js';
export { Store, AttachmentStore, type SortOrder, type StoreOptions } from './store.js';
export { MemoryStore } from './memory-store.js';
export { paginate } from './pagination.js';
export { StreamingResult, NonStreamingResult } from './results.js';
export {
  ChatKitServer,
  DEFAULT_PAGE_SIZE,
  CANCELLED_STREAM_CONTEXT,
  type ChatKitLogger,
  type HandlerOptions,
  type ProcessOptions,
} from './server.js';
export * from './attachments/index.js';
export { toThreadResponse } from './thread-response.js';
