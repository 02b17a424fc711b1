/**
 * Who is calling: a bearer JWT checked with `jose`, or the app's own
 * `verify(request)`. The subject becomes the context's `userId`, which the
 * stores' `ownerOf` uses to keep users apart.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { HttpError, UnauthorizedError } from './errors.js';
import type { AuthOptions, JwtAuthOptions } from './options.js';
import { loggableError } from '../runtime/redact.js';
import { headerValue, type IncomingCall } from './core/exchange.js';

/** Resolves the caller's user id; `undefined` when no auth is configured. Throws `UnauthorizedError`. */
export type Authenticate<TRequest> = (call: IncomingCall<TRequest>) => Promise<string | undefined>;

export function createAuthenticator<TRequest>(auth: AuthOptions<TRequest> | undefined): Authenticate<TRequest> {
  if (!auth) return async () => undefined;
  if ('jwt' in auth) return jwtAuthenticator(auth.jwt);
  return async (call) => {
    const result = await auth.verify(call.native);
    if (!result || typeof result.userId !== 'string' || result.userId === '') {
      throw new UnauthorizedError('Missing or invalid credentials');
    }
    return result.userId;
  };
}

function jwtAuthenticator<TRequest>(options: JwtAuthOptions['jwt']): Authenticate<TRequest> {
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    // A token without `exp` never stops working once leaked.
    requiredClaims: options.requireExp ? ['exp'] : [],
  };
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const remoteKeys = secret ? undefined : createRemoteJWKSet(new URL(options.jwksUrl!));
  // Two calls because jwtVerify's overloads take a key or a key getter, not a union of both.
  const verify = (token: string) =>
    secret ? jwtVerify(token, secret, verifyOptions) : jwtVerify(token, remoteKeys!, verifyOptions);
  return async (call) => {
    const token = bearerToken(headerValue(call.headers, 'authorization'));
    let subject: unknown;
    try {
      subject = (await verify(token)).payload.sub;
    } catch (error) {
      if (remoteKeys && keysUnavailable(error)) {
        // Our problem, not the caller's: a 401 would send users to sign in again for nothing.
        call.log.error({ err: loggableError(error), requestId: call.requestId }, 'JWKS could not be fetched');
        throw new HttpError(503, 'auth_unavailable', 'The signing keys could not be fetched to check the token; try again shortly');
      }
      throw new UnauthorizedError(describeJoseError(error));
    }
    return checkSubject(subject);
  };
}

/**
 * `sub` is the user id every store isolates by. jose does not check its type,
 * and a number or an object would compare differently in each store.
 */
function checkSubject(subject: unknown): string {
  if (subject === undefined) throw new UnauthorizedError('The token has no "sub" claim; it must name the user');
  if (typeof subject !== 'string') {
    const kind = subject === null ? 'null' : Array.isArray(subject) ? 'an array' : typeof subject === 'object' ? 'an object' : `a ${typeof subject}`;
    throw new UnauthorizedError(`The token's "sub" claim must be a non-empty string naming the user, not ${kind}`);
  }
  if (subject === '') throw new UnauthorizedError('The token\'s "sub" claim is empty; it must name the user');
  return subject;
}

function bearerToken(header: string | undefined): string {
  if (!header) throw new UnauthorizedError('Missing credentials: send an "Authorization: Bearer <token>" header');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError('Malformed Authorization header: expected "Bearer <token>"');
  return match[1]!;
}

/** The JWKS endpoint timed out, failed or answered garbage. */
function keysUnavailable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  // A non-200 answer is a plain JOSEError; a network failure is not a JOSEError at all.
  return !(error instanceof joseErrors.JOSEError) || error.constructor === joseErrors.JOSEError;
}

/** A reason the caller can act on, without echoing the token. */
function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing') {
      return 'The token has no "exp" claim; this server only accepts tokens that expire';
    }
    return `The token's "${error.claim}" claim is not accepted (${error.reason})`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token was signed with a key this server does not know';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'The token is malformed';
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return 'The token uses an algorithm this server does not accept';
  }
  return 'The token could not be verified';
}
