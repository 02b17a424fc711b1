/**
 * Whether the plugin serves upload routes, and where: worked out from the
 * options before anything is registered, so a mismatch between the route and
 * the URLs the attachment store hands out fails at start-up.
 */
import { isAttachmentByteStore, type AttachmentByteStore } from '../runtime/attachments/byte-store.js';
import type { ChatKitServer } from '../runtime/server.js';
import { ChatKitPluginConfigError, normalizePath, type UploadOptions } from './options.js';

export interface UploadTarget<TContext> {
  files: AttachmentByteStore<TContext>;
  /** The route prefix, equal to `files.uploadPath`. */
  path: string;
}

/** `undefined` when uploads are off, or left at their default and the server has no attachment store that keeps bytes. */
export function chooseUploadTarget<TContext>(
  uploads: UploadOptions<TContext> | false | undefined,
  server: ChatKitServer<TContext>,
  protocolPath: string,
): UploadTarget<TContext> | undefined {
  if (uploads === false) return undefined;
  const files = uploads?.store ?? (isAttachmentByteStore<TContext>(server.attachmentStore) ? server.attachmentStore : undefined);
  if (!files) {
    if (!uploads) return undefined;
    throw new ChatKitPluginConfigError(
      'uploads: the upload routes need a FileAttachmentStore or S3AttachmentStore; pass uploads: { store } or give the ChatKitServer one (new MyServer(store, new FileAttachmentStore()))',
    );
  }
  const path = normalizePath(uploads?.path ?? files.uploadPath, 'uploads.path');
  if (path !== files.uploadPath) {
    throw new ChatKitPluginConfigError(
      `uploads.path: ${path} differs from the attachment store's uploadPath ${files.uploadPath}, so upload URLs would point nowhere; set the same path on both`,
    );
  }
  if (path === protocolPath) {
    throw new ChatKitPluginConfigError(`uploads.path: must differ from path (${protocolPath})`);
  }
  return { files, path };
}
