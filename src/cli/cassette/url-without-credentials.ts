/**
 * A URL with its user, password and query removed: the query is dropped too
 * because servers such as libSQL take their token there (`?authToken=…`).
 * Undefined when the text is not a URL, so each caller says that its own way.
 */
export function urlWithoutCredentials(text: string): string | undefined {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return undefined;
  }
}
