/**
 * Request bodies as raw bytes, read with a limit, whatever the content type:
 * nothing here parses JSON or text, so no body costs more than copying it.
 */
import { HttpError } from '../errors.js';

/** Reads the whole body, refusing with a 413 as soon as it passes `limit` bytes. */
export async function readBody(
  body: AsyncIterable<Uint8Array> | undefined,
  limit: number,
  tooLarge: () => HttpError,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Passes the bytes through, failing the stream with `tooLarge()` once more than `limit` have passed. */
export async function* limited(body: AsyncIterable<Uint8Array>, limit: number, tooLarge: () => Error): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    yield chunk;
  }
}

/** A Web `ReadableStream` pulling from an async iterable (what `Response` bodies and `formData()` need). */
export function webStreamOf(source: AsyncIterable<Uint8Array>, onCancel?: () => void): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      onCancel?.();
      await iterator.return?.();
    },
  });
}

/** A `ReadableStream` as an async iterable, through its reader (not every runtime makes streams iterable). */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
