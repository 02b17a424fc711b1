/**
 * Stores persist thread metadata only: a `Thread` handed to `saveThread`
 * carries a page of items that must not end up in the thread row.
 */
export { toMetadata as withoutItems } from '../../thread-response.js';
