/**
 * The Fastify front door: a Fastify request as an `IncomingCall`, and an
 * `Answer` written back through the reply (JSON, so `onSend` hooks still
 * apply) or straight to the socket (streams, so nothing can buffer them).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { errorAnswer } from './core/error-answer.js';
import type { Answer, IncomingCall } from './core/exchange.js';
import type { FrameTransport } from './core/sse-writer.js';
import { drainOrClose } from './drain.js';

export function fastifyCall(request: FastifyRequest, reply: FastifyReply): IncomingCall<FastifyRequest> {
  const url = request.url;
  const mark = url.indexOf('?');
  const res = reply.raw;
  let query: URLSearchParams | undefined;
  return {
    method: request.method,
    path: mark < 0 ? url : url.slice(0, mark),
    get query() {
      return (query ??= new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1)));
    },
    headers: request.headers,
    // The plugin's content-type parser hands over the untouched request stream.
    body: request.body as AsyncIterable<Uint8Array> | undefined,
    discardBody: () => {
      request.raw.resume();
    },
    onDisconnect(listener) {
      const onClose = () => {
        if (!res.writableFinished) listener();
      };
      res.once('close', onClose);
      return () => res.off('close', onClose);
    },
    clientIp: request.ip,
    requestId: request.id,
    log: request.log,
    native: request,
  };
}

export async function sendAnswer(reply: FastifyReply, answer: Answer): Promise<FastifyReply> {
  switch (answer.kind) {
    case 'json':
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    case 'empty':
      return reply.code(answer.status).headers(answer.headers).send();
    case 'bytes': {
      const body = answer.body instanceof Readable ? answer.body : Readable.from(answer.body);
      return reply.code(answer.status).headers(answer.headers).send(body);
    }
    case 'stream': {
      // Headers hooks already set (the app's own) stay; ours win. A hijacked
      // response no longer goes through Fastify's header handling or `onSend`.
      const headers: Record<string, string | number | string[]> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers[name] = value as string | number | string[];
      }
      Object.assign(headers, answer.headers);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, headers);
      await answer.produce(nodeTransport(res));
      return reply;
    }
  }
}

/** Frames to a Node response: written together at the end of the tick, waiting for `drain` when the socket is full. */
export function nodeTransport(res: ServerResponse): FrameTransport {
  return {
    get closed() {
      return res.destroyed || res.writableEnded;
    },
    get full() {
      return res.writableNeedDrain;
    },
    write: (text) => {
      res.write(text, 'utf8');
    },
    drained: () => drainOrClose(res),
    end: () => {
      res.end();
    },
    schedule: (flush) => process.nextTick(flush),
  };
}

/** A failure Fastify itself caught (in an error or not-found handler), as the documented JSON error answer. */
export function sendErrorAnswer(request: FastifyRequest, reply: FastifyReply, error: unknown, byteLimit: number): Promise<FastifyReply> {
  return sendAnswer(reply, errorAnswer(fastifyCall(request, reply), error, {}, byteLimit).answer);
}
