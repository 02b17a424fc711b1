/**
 * The secret a store signs URLs with. Several instances behind a load
 * balancer, or one instance after a restart, only accept each other's URLs
 * when they share it, so production refuses to start without it instead of
 * signing with a random per-process key that turns every preview into a 403.
 */
export const UPLOAD_SECRET_VARIABLE = 'CHATKIT_UPLOAD_SECRET';

/** Thrown at construction: the store cannot work as configured. */
export class MissingSigningSecretError extends Error {
  override name = 'MissingSigningSecretError';
}

/**
 * The configured secret (the option, else `CHATKIT_UPLOAD_SECRET`), or
 * `undefined` outside production when none is set.
 */
export function signingSecretFrom(option: string | undefined, storeName: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // An empty value (a blank line in .env) is no secret.
  const secret = option ?? (env[UPLOAD_SECRET_VARIABLE] || undefined);
  if (secret !== undefined && secret.length < 32) {
    throw new MissingSigningSecretError(
      `${storeName}: the signing secret (${UPLOAD_SECRET_VARIABLE} or signingSecret) is ${secret.length} characters; use at least 32 random characters, e.g. the output of \`openssl rand -hex 32\``,
    );
  }
  if (secret === undefined && env.NODE_ENV === 'production') {
    throw new MissingSigningSecretError(
      `${storeName}: ${UPLOAD_SECRET_VARIABLE} is not set. In production every instance must sign preview URLs with the same secret, or previews break after a restart and on the other instances; ` +
        `set ${UPLOAD_SECRET_VARIABLE} to at least 32 random characters (\`openssl rand -hex 32\`), the same on every instance, or pass signingSecret`,
    );
  }
  return secret;
}
