/**
 * A local S3-compatible server for tests: s3rver (objects on a temporary
 * directory) behind a gate that checks presigned URLs the way S3 does.
 * s3rver checks a presigned URL's expiry but not its SigV4 signature, and
 * the S3 store relies on the signature to hold a browser to the announced
 * size and type; so the gate recomputes the signature from the request as
 * received (method, path, query, the signed headers) and answers 403
 * `SignatureDoesNotMatch` when it differs, as AWS, R2 and MinIO do.
 * Requests the SDK signs in the `authorization` header go straight through.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const S3_ACCESS_KEY = 'S3RVER';
export const S3_SECRET_KEY = 'S3RVER';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Requests the gate refused for a bad signature. */
  refused: number;
  close(): Promise<void>;
}

/** A bucket CORS rule letting any page PUT and GET (what a browser uploading to a presigned URL needs). */
const OPEN_CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/** `browserCors`: the bucket answers browsers' preflights (off by default, as a new bucket is). */
export async function startLocalS3(bucket = 'chatkit-test', options: { browserCors?: boolean } = {}): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'chatkit-s3-'));
  const configs = options.browserCors ? [OPEN_CORS] : [];
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs }] });
  const { port: innerPort } = (await s3rver.run()) as AddressInfo;
  const state = { refused: 0 };
  const gate = createServer((req, res) => {
    const problem = presignedProblem(req);
    if (problem) {
      state.refused++;
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
      return;
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const { port } = gate.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    get refused() {
      return state.refused;
    },
    async close() {
      await closeServer(gate);
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Why a presigned (query-string SigV4) request's signature does not match, or `undefined` when it does or the request is not presigned. */
function presignedProblem(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://gate');
  const query = url.searchParams;
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return undefined;
  const signature = query.get('X-Amz-Signature') ?? '';
  const credential = query.get('X-Amz-Credential') ?? '';
  const amzDate = query.get('X-Amz-Date') ?? '';
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const [accessKey, day, region, service] = credential.split('/');
  if (accessKey !== S3_ACCESS_KEY) return 'unknown access key';
  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${S3_SECRET_KEY}`, day!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return expected === signature ? undefined : 'The request signature we calculated does not match the signature you provided.';
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}
