/**
 * URLs as they may be logged: the values of query parameters that carry
 * credentials (the diagnostics `?token=`, a preview `sig`, a JWT someone put
 * in a query string) are replaced, so access logs never hold a secret.
 */
import { redactSecrets } from '../../runtime/redact.js';

const CREDENTIAL_PARAMETER =
  /^(token|access_token|id_token|refresh_token|auth|authorization|bearer|jwt|key|api_key|apikey|password|passwd|secret|client_secret|sig|signature|code)$/i;
/** Three base64url parts: a JWT whatever the parameter is called. */
const JWT_LIKE = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/;

export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return redactSecrets(url);
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = safeDecode(pair.slice(0, equals));
      const value = safeDecode(pair.slice(equals + 1));
      return CREDENTIAL_PARAMETER.test(name) || JWT_LIKE.test(value) ? `${pair.slice(0, equals)}=[REDACTED]` : pair;
    })
    .join('&');
  return redactSecrets(`${url.slice(0, mark)}?${query}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
