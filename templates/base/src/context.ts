/**
 * What every ChatKit hook, tool and store call knows about the request.
 * The chatkit plugin builds it per request (see `context` in src/app.ts).
 */
export interface RequestContext {
  /** The verified user (the JWT `sub`); undefined when auth is off. */
  userId: string | undefined;
  /** The user's language from `Accept-Language`, e.g. `fr-FR`. */
  locale: string | undefined;
  /** Request headers, without credentials. */
  headers: Record<string, string | string[] | undefined>;
}
