/**
 * Connection strings carry passwords and tokens; error messages name the
 * database without them.
 */
export function redactConnectionString(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|token|secret|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    // Not a URL (a libpq key=value string, say): keep only what cannot be a secret.
    return value.replace(/(password|authToken|token)\s*=\s*\S+/gi, '$1=***');
  }
}
