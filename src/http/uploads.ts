/**
 * Upload routes, under `uploads.path` (default `/chatkit/api/upload`):
 *
 * - `POST {path}`: direct upload, multipart with a `file` field; answers the Attachment JSON.
 * - `PUT|POST {path}/:attachmentId`: the second phase of `attachments.create`; the raw
 *   body or a multipart `file` field.
 * - `GET {path}/:attachmentId/preview`: an image back, for the signed `preview_url`
 *   (or for an authenticated owner).
 *
 * Every route authenticates like the protocol endpoint and goes through the
 * `Store`, whose `ownerOf` makes someone else's attachment a 404.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { FileAttachmentStore } from '../runtime/attachments/filesystem-store.js';
import { checkMimeType, checkSize, isImageMimeType } from '../runtime/attachments/policy.js';
import { NotFoundError } from '../runtime/errors.js';
import type { Attachment } from '../runtime/protocol/items.js';
import { toJSON } from '../runtime/protocol/serialize.js';
import { orderAttachment } from '../runtime/thread-response.js';
import { HttpError } from './errors.js';
import { answerErrorsAsJson, contextFor, type PluginState } from './shared.js';

interface IdParams {
  attachmentId: string;
}

export async function registerUploadRoutes<TContext>(
  scope: FastifyInstance,
  state: PluginState<TContext>,
  files: FileAttachmentStore<TContext>,
): Promise<void> {
  const policy = files.policy;
  await scope.register(multipart, {
    // One byte over the limit reaches the store's own counter, which refuses with a 413.
    limits: { fileSize: policy.maxBytes + 1, files: 1, fields: 10, parts: 11 },
    // Keep the name exactly as sent, so a name with path parts is refused instead of silently trimmed.
    preservePath: true,
  });
  // Raw two-phase bodies are streamed to disk, never buffered.
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  answerErrorsAsJson(scope, policy.maxBytes, (method, url) => `No upload route ${method} ${url}`);
  scope.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  scope.post('/', async (request, reply) => {
    const context = await contextFor(state, request);
    if (!request.isMultipart()) {
      throw new HttpError(415, 'unsupported_media_type', 'content-type: direct uploads must be multipart/form-data with a "file" field');
    }
    const part = await request.file();
    if (!part) throw missingFile();
    if (part.fieldname !== 'file') {
      part.file.resume();
      throw new HttpError(400, 'invalid_request', `file: expected the multipart field "file", received "${part.fieldname}"`);
    }
    const attachment = discardOnThrow(
      () => files.createDirectAttachment({ name: part.filename, mimeType: part.mimetype }, context),
      () => part.file.resume(),
    );
    const size = await files.writeBytes(attachment.id, attachment.mime_type, part.file);
    attachment.metadata = { size, uploaded: true };
    try {
      await state.server.store.saveAttachment(attachment, context);
    } catch (error) {
      await files.deleteAttachment(attachment.id, context);
      throw error;
    }
    return sendAttachment(reply, attachment);
  });

  const secondPhase = async (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) => {
    const context = await contextFor(state, request);
    const attachment = await state.server.store.loadAttachment(request.params.attachmentId, context);
    if (attachment.metadata?.uploaded === true) {
      drain(request);
      throw new HttpError(409, 'already_uploaded', `Attachment ${attachment.id} already has its file; create a new attachment to upload another`);
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared)) discardOnThrow(() => checkSize(declared, policy, 'content-length'), () => drain(request));
    let source: Readable;
    if (request.isMultipart()) {
      const part = await request.file();
      if (!part) throw missingFile();
      discardOnThrow(() => checkMimeType(part.mimetype, policy, 'content-type'), () => part.file.resume());
      source = part.file;
    } else {
      const type = request.headers['content-type'];
      if (type && type !== 'application/octet-stream') {
        discardOnThrow(() => checkMimeType(type, policy, 'content-type'), () => drain(request));
      }
      source = request.body as Readable;
    }
    const size = await files.writeBytes(attachment.id, attachment.mime_type, source);
    attachment.upload_descriptor = null;
    attachment.metadata = { ...attachment.metadata, size, uploaded: true };
    await state.server.store.saveAttachment(attachment, context);
    return sendAttachment(reply, attachment);
  };
  scope.put<{ Params: IdParams }>('/:attachmentId', secondPhase);
  scope.post<{ Params: IdParams }>('/:attachmentId', secondPhase);

  scope.get<{ Params: IdParams; Querystring: { sig?: string } }>('/:attachmentId/preview', async (request, reply) => {
    const { attachmentId } = request.params;
    const signature = request.query.sig;
    if (!signature || !files.verifyPreviewSignature(attachmentId, signature)) {
      // No valid signature: the caller must be the owner.
      const context = await contextFor(state, request);
      await state.server.store.loadAttachment(attachmentId, context);
    }
    const stored = await files.openBytes(attachmentId);
    if (!isImageMimeType(stored.mimeType)) {
      stored.stream.destroy();
      throw new NotFoundError(`Attachment ${attachmentId} is not an image; only images have previews`);
    }
    return reply
      .type(stored.mimeType)
      .header('content-length', stored.size)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .send(stored.stream);
  });
}

function sendAttachment(reply: FastifyReply, attachment: Attachment): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(toJSON(orderAttachment(attachment)));
}

/** Runs a check on an upload; when it refuses, the unread bytes are dropped first so the connection stays usable. */
function discardOnThrow<T>(check: () => T, discard: () => void): T {
  try {
    return check();
  } catch (error) {
    discard();
    throw error;
  }
}

/** Reads and drops an unwanted request body so the connection stays usable. */
function drain(request: FastifyRequest): void {
  const body = request.body as Readable | undefined;
  if (body && typeof body.resume === 'function') body.resume();
}

function missingFile(): HttpError {
  return new HttpError(400, 'invalid_request', 'file: required; send the bytes in a multipart field named "file"');
}
