/**
 * Upload routes, under the attachment store's `uploadPath` (default `/chatkit/api/upload`):
 *
 * - `POST {path}`: direct upload, multipart with a `file` field; answers the Attachment JSON.
 * - `PUT|POST {path}/{attachmentId}`: the second phase of `attachments.create`; the raw
 *   body (stored byte for byte, whatever its content type) or a multipart `file` field.
 * - `GET {path}/{attachmentId}/preview`: an image back, for the signed `preview_url`
 *   (or for an authenticated owner).
 *
 * Every route authenticates like the protocol endpoint and goes through the
 * `Store`, whose `ownerOf` makes someone else's attachment a 404.
 */
import { NotFoundError } from '../../runtime/errors.js';
import { AttachmentRejectedError, baseMimeType, checkMimeType, checkSize, fileTooLarge, isImageMimeType } from '../../runtime/attachments/policy.js';
import type { AttachmentByteStore } from '../../runtime/attachments/byte-store.js';
import type { Attachment } from '../../runtime/protocol/items.js';
import { toJSON } from '../../runtime/protocol/serialize.js';
import { orderAttachment } from '../../runtime/thread-response.js';
import { HttpError } from '../errors.js';
import { chunksOf, limited, webStreamOf } from './body.js';
import { contextFor, type HttpConfig } from './config.js';
import { headerValue, type Answer, type AnswerHeaders, type IncomingCall } from './exchange.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function answerDirectUpload<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  files: AttachmentByteStore<TContext>,
  call: IncomingCall<TRequest>,
  base: AnswerHeaders,
): Promise<Answer> {
  const context = await refuseUnread(call, () => contextFor(config, call));
  if (!isMultipart(call)) {
    call.discardBody();
    throw new HttpError(415, 'unsupported_media_type', 'content-type: direct uploads must be multipart/form-data with a "file" field');
  }
  const file = await multipartFile(call, files.policy.maxBytes);
  const attachment = await files.createDirectAttachment({ name: file.name, mimeType: file.type }, context);
  const size = await files.writeBytes(attachment.id, attachment.mime_type, chunksOf(file.stream()));
  attachment.metadata = { size, uploaded: true };
  try {
    await config.server.store.saveAttachment(attachment, context);
  } catch (error) {
    await files.deleteAttachment(attachment.id, context);
    throw error;
  }
  return attachmentAnswer(base, attachment);
}

export async function answerSecondPhase<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  files: AttachmentByteStore<TContext>,
  call: IncomingCall<TRequest>,
  base: AnswerHeaders,
  attachmentId: string,
): Promise<Answer> {
  const policy = files.policy;
  const attachment = await refuseUnread(call, async () => {
    const context = await contextFor(config, call);
    const found = await config.server.store.loadAttachment(attachmentId, context);
    if (found.metadata?.uploaded === true) {
      throw new HttpError(409, 'already_uploaded', `Attachment ${found.id} already has its file; create a new attachment to upload another`);
    }
    const declared = Number(headerValue(call.headers, 'content-length'));
    if (Number.isFinite(declared) && !isMultipart(call)) {
      checkSize(declared, policy, 'content-length');
      checkAnnouncedSize(declared, found);
    }
    return { found, context };
  });
  const { found, context } = attachment;
  let source: AsyncIterable<Uint8Array>;
  if (isMultipart(call)) {
    const file = await multipartFile(call, policy.maxBytes);
    checkMimeType(file.type, policy, 'content-type');
    checkAnnouncedType(file.type, found);
    source = chunksOf(file.stream());
  } else {
    const type = headerValue(call.headers, 'content-type');
    if (type && type !== 'application/octet-stream') {
      await refuseUnread(call, async () => {
        checkMimeType(type, policy, 'content-type');
        checkAnnouncedType(type, found);
      });
    }
    source = call.body ?? emptyBody();
  }
  // The bucket enforces the announced size through the upload URL's signature; the same promise holds here.
  const announced = announcedSize(found);
  if (announced !== undefined && announced < policy.maxBytes) source = limited(source, announced, () => moreThanAnnounced(announced));
  const size = await files.writeBytes(found.id, found.mime_type, source);
  found.upload_descriptor = null;
  found.metadata = { ...found.metadata, size, uploaded: true };
  await config.server.store.saveAttachment(found, context);
  return attachmentAnswer(base, found);
}

export async function answerPreview<TContext, TRequest>(
  config: HttpConfig<TContext, TRequest>,
  files: AttachmentByteStore<TContext>,
  call: IncomingCall<TRequest>,
  base: AnswerHeaders,
  attachmentId: string,
): Promise<Answer> {
  const signature = call.query.get('sig');
  const signedFor = signature ? files.verifyPreviewSignature(attachmentId, signature, call.query.get('exp') ?? undefined) : undefined;
  if (signedFor === undefined) {
    // No valid signature: the caller must be the owner.
    const context = await contextFor(config, call);
    await config.server.store.loadAttachment(attachmentId, context);
  }
  const stored = await files.openBytes(attachmentId);
  if (!isImageMimeType(stored.mimeType)) {
    stored.stream.destroy();
    throw new NotFoundError(`Attachment ${attachmentId} is not an image; only images have previews`);
  }
  return {
    kind: 'bytes',
    status: 200,
    headers: {
      ...base,
      'content-type': stored.mimeType,
      'content-length': String(stored.size),
      // Never cached past the signature's expiry.
      'cache-control': `private, max-age=${Math.min(3600, signedFor ?? 3600)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    },
    body: stored.stream,
    close: () => stored.stream.destroy(),
  };
}

function announcedSize(attachment: Attachment): number | undefined {
  const size = attachment.metadata?.size;
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined;
}

function moreThanAnnounced(announced: number): AttachmentRejectedError {
  return new AttachmentRejectedError(413, `file: more than the ${announced} bytes announced in attachments.create; announce the real size`, 'file');
}

function checkAnnouncedSize(declared: number, attachment: Attachment): void {
  const announced = announcedSize(attachment);
  if (announced !== undefined && declared > announced) throw moreThanAnnounced(announced);
}

/** The upload must be the type `attachments.create` announced (as a presigned bucket URL also requires). */
function checkAnnouncedType(type: string, attachment: Attachment): void {
  if (baseMimeType(type) !== baseMimeType(attachment.mime_type)) {
    throw new AttachmentRejectedError(
      415,
      `content-type: ${JSON.stringify(baseMimeType(type))} differs from the ${JSON.stringify(baseMimeType(attachment.mime_type))} announced in attachments.create; send the announced type`,
      'content-type',
    );
  }
}

function attachmentAnswer(base: AnswerHeaders, attachment: Attachment): Answer {
  return { kind: 'json', status: 200, headers: { ...base, 'content-type': 'application/json; charset=utf-8' }, body: toJSON(orderAttachment(attachment)) };
}

function isMultipart(call: IncomingCall<unknown>): boolean {
  return /^multipart\/form-data\s*;/i.test(headerValue(call.headers, 'content-type') ?? '');
}

/**
 * The `file` part of a multipart body, read through the platform's own
 * parser (`Response.formData()`), with the bytes counted on the way in so a
 * body far over the limit is cut off instead of buffered.
 */
async function multipartFile(call: IncomingCall<unknown>, maxBytes: number): Promise<File> {
  const body = limited(call.body ?? emptyBody(), maxBytes + MULTIPART_OVERHEAD, () => fileTooLarge(maxBytes));
  let form: FormData;
  try {
    form = await new Response(webStreamOf(body), { headers: { 'content-type': headerValue(call.headers, 'content-type')! } }).formData();
  } catch (error) {
    if (error instanceof Error && error.name === 'AttachmentRejectedError') throw error;
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (cause instanceof Error && cause.name === 'AttachmentRejectedError') throw cause;
    throw new HttpError(400, 'invalid_request', 'body: not a valid multipart/form-data body; send the file in a multipart field named "file"');
  }
  const file = form.get('file');
  if (!(file instanceof File)) {
    const names = [...new Set(form.keys())];
    const received = names.length > 0 ? `received ${names.map((name) => JSON.stringify(name)).join(', ')}` : 'received no field';
    throw new HttpError(400, 'invalid_request', `file: required; send the bytes in a multipart field named "file" (${received})`);
  }
  checkSize(file.size, { maxBytes, allowedMimeTypes: [] }, 'file');
  return file;
}

/** Runs a check before the body is read; when it refuses, the unread bytes are dropped so the connection stays usable. */
async function refuseUnread<T>(call: IncomingCall<unknown>, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    call.discardBody();
    throw error;
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
