/**
 * What every ChatKit hook, tool and store call knows about the request.
 * The chatkit plugin builds it per request with `defaultContext()` (see
 * `context` in src/app.ts): the verified user (`userId`, the JWT `sub`;
 * undefined when auth is off), the `locale` from `Accept-Language`, and the
 * request `headers` without credentials.
 */
import type { DefaultContext } from 'create-chatkit-backend/fastify';

export interface RequestContext extends DefaultContext {
  // Your own per-request fields go here (e.g. `tenantId: string`); set them
  // in `context` in src/app.ts.
}
